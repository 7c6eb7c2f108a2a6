CREATE TABLE `guard_drafts` (
	`draft_id` text PRIMARY KEY NOT NULL,
	`chat_account_id` integer NOT NULL,
	`amount` text NOT NULL,
	`created_at` integer NOT NULL,
	`applied` text NOT NULL,
	FOREIGN KEY (`draft_id`) REFERENCES `drafts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `guard_drafts_account` ON `guard_drafts` (`chat_account_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `guard_loosenings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_account_id` integer NOT NULL,
	`setting` text NOT NULL,
	`value` text,
	`requested_at` integer NOT NULL,
	`effective_at` integer NOT NULL,
	`cancelled_at` integer,
	`applied_at` integer,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `guard_loosenings_account` ON `guard_loosenings` (`chat_account_id`,`setting`);--> statement-breakpoint
CREATE TABLE `guard_recipients` (
	`chat_account_id` integer NOT NULL,
	`address` text NOT NULL,
	`first_asked_at` integer NOT NULL,
	PRIMARY KEY(`chat_account_id`, `address`),
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `guard_settings` (
	`chat_account_id` integer PRIMARY KEY NOT NULL,
	`daily_limit` text,
	`tx_limit` text,
	`allowlist` integer DEFAULT false NOT NULL,
	`cooling_off_ms` integer DEFAULT 0 NOT NULL,
	`undo_seconds` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `drafts` ADD `broadcast_after` integer;