CREATE TABLE `compute_checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`epoch` integer NOT NULL,
	`contributor` text NOT NULL,
	`outcome` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `compute_checks_epoch` ON `compute_checks` (`epoch`,`contributor`);--> statement-breakpoint
CREATE TABLE `compute_epochs` (
	`epoch` integer PRIMARY KEY NOT NULL,
	`root` text NOT NULL,
	`bundle` text NOT NULL,
	`status` text DEFAULT 'closed' NOT NULL,
	`anchor_draft_id` text,
	`anchor_tx_id` text,
	`anchor_height` integer,
	`closed_at` integer NOT NULL,
	FOREIGN KEY (`anchor_draft_id`) REFERENCES `drafts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `compute_payouts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`epoch` integer NOT NULL,
	`draft_id` text NOT NULL,
	`recipients` text NOT NULL,
	`status` text DEFAULT 'drafted' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`draft_id`) REFERENCES `drafts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `compute_payouts_draft` ON `compute_payouts` (`draft_id`);--> statement-breakpoint
CREATE INDEX `compute_payouts_epoch` ON `compute_payouts` (`epoch`);--> statement-breakpoint
CREATE TABLE `compute_receipts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`epoch` integer NOT NULL,
	`contributor` text NOT NULL,
	`leaf` text NOT NULL,
	`receipt` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `compute_receipts_leaf` ON `compute_receipts` (`leaf`);--> statement-breakpoint
CREATE INDEX `compute_receipts_epoch` ON `compute_receipts` (`epoch`,`contributor`);