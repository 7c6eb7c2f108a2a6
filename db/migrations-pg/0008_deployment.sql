CREATE TABLE "deployment_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"manifest" json NOT NULL,
	"anchor_draft_id" text,
	"anchor_tx_id" text,
	"anchor_signed_tx" text,
	"anchor_height" bigint,
	"created_at" bigint NOT NULL,
	CONSTRAINT "deployment_versions_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "final_anchor_draft_id" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "final_anchor_tx_id" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "final_anchor_height" bigint;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "final_anchor_signed_tx" text;--> statement-breakpoint
ALTER TABLE "deployment_versions" ADD CONSTRAINT "deployment_versions_anchor_draft_id_drafts_id_fk" FOREIGN KEY ("anchor_draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;