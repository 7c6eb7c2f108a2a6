ALTER TABLE `telegram_updates` ADD `chat_key` text;--> statement-breakpoint
CREATE INDEX `telegram_updates_chat` ON `telegram_updates` (`chat_key`,`update_id`);