CREATE TABLE `chat_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`platform_user_id` text NOT NULL,
	`display_name` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_accounts_platform_user` ON `chat_accounts` (`platform`,`platform_user_id`);--> statement-breakpoint
CREATE TABLE `drafts` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_account_id` integer NOT NULL,
	`platform` text NOT NULL,
	`chat_id` text,
	`kind` text NOT NULL,
	`network` text NOT NULL,
	`signer` text NOT NULL,
	`unsigned_tx` text,
	`tx_id` text,
	`lock_time` integer,
	`message` text,
	`meta` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`signed_tx` text,
	`failure_reason` text,
	`block_height` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`expires_at` integer NOT NULL,
	`submitted_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `drafts_status` ON `drafts` (`status`);--> statement-breakpoint
CREATE INDEX `drafts_account` ON `drafts` (`chat_account_id`);--> statement-breakpoint
CREATE INDEX `drafts_tx` ON `drafts` (`tx_id`);--> statement-breakpoint
CREATE TABLE `link_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`draft_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`draft_id`) REFERENCES `drafts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `link_tokens_draft_id_unique` ON `link_tokens` (`draft_id`);--> statement-breakpoint
CREATE TABLE `linked_addresses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_account_id` integer NOT NULL,
	`address` text NOT NULL,
	`is_primary` integer DEFAULT false NOT NULL,
	`linked_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `linked_addresses_account_address` ON `linked_addresses` (`chat_account_id`,`address`);--> statement-breakpoint
CREATE INDEX `linked_addresses_address` ON `linked_addresses` (`address`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedupe_key` text NOT NULL,
	`chat_account_id` integer,
	`platform` text NOT NULL,
	`recipient` text NOT NULL,
	`audience` text DEFAULT 'user' NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sent_at` integer,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_key_unique` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_pending` ON `outbox` (`platform`,`sent_at`,`next_attempt_at`);