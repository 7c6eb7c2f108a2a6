// The deployment's identity (deployment/): each version of its manifest, and the operator's anchor of it
// (part of the schema: schema.ts re-exports it).
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
// Read lazily (in references()), so the import cycle with schema.ts is harmless.
import { drafts } from './schema.js';

/**
 * Versions of the deployment manifest (operator, pool, team keys, approved models, rules), one row per change.
 * A version is in force from the block its anchor is in; the first version also before its anchor.
 */
export const deploymentVersions = sqliteTable('deployment_versions', {
  version: integer('version').primaryKey(),
  /** BLAKE2b-256 of the canonical manifest: what the anchor's memo commits to. */
  hash: text('hash').notNull().unique(),
  manifest: text('manifest', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  /** The operator's 0-PAC memo transaction: the draft it signs (off the devnet), then the transaction. */
  anchorDraftId: text('anchor_draft_id').references(() => drafts.id),
  anchorTxId: text('anchor_tx_id'),
  anchorSignedTx: text('anchor_signed_tx'),
  anchorHeight: integer('anchor_height'),
  createdAt: integer('created_at').notNull(),
});
