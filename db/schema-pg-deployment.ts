// The PostgreSQL twin of schema-deployment.ts (schema-pg.ts re-exports it; comments live in schema-deployment.ts).
import { bigint, integer, json, pgTable, text } from 'drizzle-orm/pg-core';
import { drafts } from './schema-pg.js';

export const deploymentVersions = pgTable('deployment_versions', {
  version: integer('version').primaryKey(),
  hash: text('hash').notNull().unique(),
  manifest: json('manifest').$type<Record<string, unknown>>().notNull(),
  anchorDraftId: text('anchor_draft_id').references(() => drafts.id),
  anchorTxId: text('anchor_tx_id'),
  anchorSignedTx: text('anchor_signed_tx'),
  anchorHeight: bigint('anchor_height', { mode: 'number' }),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});
