CREATE TABLE `reward_claims` (
	`claim` text PRIMARY KEY NOT NULL,
	`reward_id` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reward_links` (
	`chat_account_id` integer NOT NULL,
	`address` text NOT NULL,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`chat_account_id`, `address`)
);
--> statement-breakpoint
CREATE INDEX `reward_links_address` ON `reward_links` (`address`,`seen_at`);--> statement-breakpoint
CREATE INDEX `reward_links_account` ON `reward_links` (`chat_account_id`,`seen_at`);--> statement-breakpoint
CREATE TABLE `compute_epoch_seeds` (
	`epoch` integer PRIMARY KEY NOT NULL,
	`seed` text NOT NULL,
	`commitment` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `compute_spot_checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`epoch` integer NOT NULL,
	`request_hash` text NOT NULL,
	`leaf` text NOT NULL,
	`contributor` text NOT NULL,
	`reruns` text NOT NULL,
	`outcome` text NOT NULL,
	`failed` text,
	`detail` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `compute_spot_checks_leaf` ON `compute_spot_checks` (`leaf`);--> statement-breakpoint
CREATE INDEX `compute_spot_checks_epoch` ON `compute_spot_checks` (`epoch`);--> statement-breakpoint
ALTER TABLE `compute_receipts` ADD `counted_prompt` integer;--> statement-breakpoint
ALTER TABLE `compute_receipts` ADD `counted_completion` integer;--> statement-breakpoint
ALTER TABLE `compute_receipts` ADD `flag` text;