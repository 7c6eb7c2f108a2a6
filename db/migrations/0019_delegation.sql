CREATE TABLE `delegations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delegator` text NOT NULL,
	`delegate` text,
	`message` text NOT NULL,
	`nonce` text NOT NULL,
	`public_key` text NOT NULL,
	`signature` text NOT NULL,
	`height` integer NOT NULL,
	`issued_at` integer NOT NULL,
	`accepted_at` integer NOT NULL,
	`chat_account_id` integer,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `delegations_holder_nonce` ON `delegations` (`delegator`,`nonce`);--> statement-breakpoint
CREATE INDEX `delegations_delegate` ON `delegations` (`delegate`);--> statement-breakpoint
CREATE INDEX `delegations_height` ON `delegations` (`height`);--> statement-breakpoint
CREATE TABLE `snapshot_delegations` (
	`proposal_id` integer NOT NULL,
	`delegator` text NOT NULL,
	`delegate` text,
	`message` text NOT NULL,
	`public_key` text NOT NULL,
	`signature` text NOT NULL,
	PRIMARY KEY(`proposal_id`, `delegator`),
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `snapshot_delegations_delegate` ON `snapshot_delegations` (`proposal_id`,`delegate`);