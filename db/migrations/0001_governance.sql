CREATE TABLE `ballots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`chat_account_id` integer,
	`choice` text NOT NULL,
	`message` text NOT NULL,
	`nonce` text NOT NULL,
	`timestamp` integer NOT NULL,
	`signatures` text NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ballots_nonce` ON `ballots` (`proposal_id`,`nonce`);--> statement-breakpoint
CREATE INDEX `ballots_proposal` ON `ballots` (`proposal_id`);--> statement-breakpoint
CREATE TABLE `proposals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`chat_account_id` integer NOT NULL,
	`platform` text NOT NULL,
	`network` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`message` text NOT NULL,
	`hash` text NOT NULL,
	`signatures` text,
	`rules` text NOT NULL,
	`snapshot_height` integer NOT NULL,
	`snapshot_hash` text NOT NULL,
	`total_power` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`outcome` text,
	`starts_at` integer,
	`ends_at` integer,
	`closed_at` integer,
	`veto_ends_at` integer,
	`tally_version` integer DEFAULT 0 NOT NULL,
	`announced_version` integer DEFAULT 0 NOT NULL,
	`announced_at` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `snapshot_entries` (
	`proposal_id` integer NOT NULL,
	`address` text NOT NULL,
	`power` text NOT NULL,
	`validators` text NOT NULL,
	PRIMARY KEY(`proposal_id`, `address`),
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `veto_signatures` (
	`proposal_id` integer NOT NULL,
	`message` text NOT NULL,
	`address` text NOT NULL,
	`public_key` text NOT NULL,
	`signature` text NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	PRIMARY KEY(`proposal_id`, `address`),
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `delivered_ref` text;