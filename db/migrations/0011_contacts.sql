CREATE TABLE `contacts` (
	`chat_account_id` integer NOT NULL,
	`name` text NOT NULL,
	`address` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`chat_account_id`, `name`),
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contacts_address` ON `contacts` (`chat_account_id`,`address`);