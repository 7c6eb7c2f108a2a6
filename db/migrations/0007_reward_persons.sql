CREATE TABLE `reward_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`chat_account_id` integer NOT NULL,
	`addresses` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`subject` text,
	`created_at` integer NOT NULL,
	`processed_at` integer,
	`outcome` text,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reward_events_dedupe_key_unique` ON `reward_events` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `reward_events_pending` ON `reward_events` (`processed_at`);--> statement-breakpoint
CREATE INDEX `reward_events_account` ON `reward_events` (`chat_account_id`,`kind`,`id`);--> statement-breakpoint
ALTER TABLE `rewards` ADD `person_id` integer;--> statement-breakpoint
CREATE INDEX `rewards_person_kind` ON `rewards` (`person_id`,`kind`,`created_at`);