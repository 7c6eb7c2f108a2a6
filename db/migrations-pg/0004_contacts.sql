CREATE TABLE "contacts" (
	"chat_account_id" integer NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "contacts_chat_account_id_name_pk" PRIMARY KEY("chat_account_id","name")
);
--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_chat_account_id_chat_accounts_id_fk" FOREIGN KEY ("chat_account_id") REFERENCES "public"."chat_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contacts_address" ON "contacts" USING btree ("chat_account_id","address");