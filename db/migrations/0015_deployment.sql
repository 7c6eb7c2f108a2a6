CREATE TABLE `deployment_versions` (
	`version` integer PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`manifest` text NOT NULL,
	`anchor_draft_id` text,
	`anchor_tx_id` text,
	`anchor_signed_tx` text,
	`anchor_height` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`anchor_draft_id`) REFERENCES `drafts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deployment_versions_hash_unique` ON `deployment_versions` (`hash`);--> statement-breakpoint
ALTER TABLE `proposals` ADD `final_anchor_draft_id` text;--> statement-breakpoint
ALTER TABLE `proposals` ADD `final_anchor_tx_id` text;--> statement-breakpoint
ALTER TABLE `proposals` ADD `final_anchor_height` integer;--> statement-breakpoint
ALTER TABLE `proposals` ADD `final_anchor_signed_tx` text;