CREATE TABLE "contract_sessions" (
	"chat_account_id" integer PRIMARY KEY NOT NULL,
	"wasm" text NOT NULL,
	"sha256" text NOT NULL,
	"storage" json NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "upload_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"chat_account_id" integer NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
ALTER TABLE "contract_sessions" ADD CONSTRAINT "contract_sessions_chat_account_id_chat_accounts_id_fk" FOREIGN KEY ("chat_account_id") REFERENCES "public"."chat_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upload_tokens" ADD CONSTRAINT "upload_tokens_chat_account_id_chat_accounts_id_fk" FOREIGN KEY ("chat_account_id") REFERENCES "public"."chat_accounts"("id") ON DELETE no action ON UPDATE no action;