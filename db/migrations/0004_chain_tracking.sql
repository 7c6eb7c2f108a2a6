CREATE TABLE `chain_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `drafts` ADD `broadcast_height` integer;--> statement-breakpoint
ALTER TABLE `drafts` ADD `unseen_since` integer;--> statement-breakpoint
ALTER TABLE `drafts` ADD `stalled_at` integer;