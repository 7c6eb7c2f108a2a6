CREATE TABLE `contract_sessions` (
	`chat_account_id` integer PRIMARY KEY NOT NULL,
	`wasm` text NOT NULL,
	`sha256` text NOT NULL,
	`storage` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`chat_account_id`) REFERENCES `chat_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
