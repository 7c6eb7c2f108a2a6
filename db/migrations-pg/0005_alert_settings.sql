CREATE TABLE "alert_settings" (
	"chat_account_id" integer NOT NULL,
	"kind" text NOT NULL,
	"enabled" boolean NOT NULL,
	CONSTRAINT "alert_settings_chat_account_id_kind_pk" PRIMARY KEY("chat_account_id","kind")
);
--> statement-breakpoint
ALTER TABLE "alert_settings" ADD CONSTRAINT "alert_settings_chat_account_id_chat_accounts_id_fk" FOREIGN KEY ("chat_account_id") REFERENCES "public"."chat_accounts"("id") ON DELETE cascade ON UPDATE no action;