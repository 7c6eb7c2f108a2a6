ALTER TABLE "telegram_updates" ADD COLUMN "chat_key" text;--> statement-breakpoint
CREATE INDEX "telegram_updates_chat" ON "telegram_updates" USING btree ("chat_key","update_id");