ALTER TABLE `ballots` ADD `leaf_index` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `ballots` ADD `receipt` text;--> statement-breakpoint
ALTER TABLE `proposals` ADD `ballot_frontier` text;--> statement-breakpoint
ALTER TABLE `proposals` ADD `ballot_root` text;--> statement-breakpoint
ALTER TABLE `proposals` ADD `ballot_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `proposals` ADD `anchor_draft_id` text;--> statement-breakpoint
ALTER TABLE `proposals` ADD `anchor_tx_id` text;--> statement-breakpoint
ALTER TABLE `proposals` ADD `anchor_height` integer;--> statement-breakpoint
ALTER TABLE `proposals` ADD `anchor_signed_tx` text;