CREATE TABLE `conversation_turns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`user_text` text NOT NULL,
	`bot_text` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conversation_turns_key` ON `conversation_turns` (`key`,`id`);--> statement-breakpoint
CREATE INDEX `conversation_turns_at` ON `conversation_turns` (`at`);--> statement-breakpoint
CREATE TABLE `discord_followups` (
	`user_id` text PRIMARY KEY NOT NULL,
	`application_id` text NOT NULL,
	`token` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rate_buckets` (
	`key` text PRIMARY KEY NOT NULL,
	`tokens` real NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `short_ids` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `short_ids_expires` ON `short_ids` (`expires_at`);--> statement-breakpoint
CREATE TABLE `telegram_updates` (
	`update_id` integer PRIMARY KEY NOT NULL,
	`payload` text,
	`received_at` integer NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`done_at` integer
);
--> statement-breakpoint
CREATE INDEX `telegram_updates_open` ON `telegram_updates` (`done_at`,`claimed_until`);--> statement-breakpoint
CREATE INDEX `telegram_updates_received` ON `telegram_updates` (`received_at`);