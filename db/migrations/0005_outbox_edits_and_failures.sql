ALTER TABLE `outbox` ADD `edit_of` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `failed_at` integer;--> statement-breakpoint
CREATE INDEX `outbox_edit_of` ON `outbox` (`edit_of`);