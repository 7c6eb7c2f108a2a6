CREATE TABLE `contract_sessions` (
	`chat_account_id` integer PRIMARY KEY NOT NULL,
	`wasm` text NOT NULL,
	`sha256` text NOT NULL,
	`storage` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `upload_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`chat_account_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
