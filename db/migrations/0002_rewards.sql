CREATE TABLE `rewards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`address` text NOT NULL,
	`chat_account_id` integer,
	`kind` text NOT NULL,
	`amount` text NOT NULL,
	`day` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`status` text DEFAULT 'unpaid' NOT NULL,
	`payout_draft_id` text,
	`created_at` integer NOT NULL,
	`paid_at` integer,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payout_draft_id`) REFERENCES `drafts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rewards_dedupe_key_unique` ON `rewards` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `rewards_address_day` ON `rewards` (`address`,`day`);--> statement-breakpoint
CREATE INDEX `rewards_day` ON `rewards` (`day`);--> statement-breakpoint
CREATE INDEX `rewards_account_kind` ON `rewards` (`chat_account_id`,`kind`,`created_at`);--> statement-breakpoint
CREATE INDEX `rewards_status` ON `rewards` (`status`);