CREATE TABLE `alert_settings` (
	`chat_account_id` integer NOT NULL,
	`kind` text NOT NULL,
	`enabled` integer NOT NULL,
	PRIMARY KEY(`chat_account_id`, `kind`),
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
