CREATE TABLE `schedule_runs` (
	`schedule_id` integer NOT NULL,
	`due_at` integer NOT NULL,
	`draft_id` text,
	PRIMARY KEY(`schedule_id`, `due_at`),
	FOREIGN KEY (`schedule_id`) REFERENCES `schedules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `schedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_account_id` integer NOT NULL,
	`platform` text NOT NULL,
	`to_address` text NOT NULL,
	`contact_name` text,
	`amount` text NOT NULL,
	`memo` text,
	`every` text NOT NULL,
	`next_due_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`stopped_at` integer,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `schedules_due` ON `schedules` (`stopped_at`,`next_due_at`);