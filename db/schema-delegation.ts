// Vote delegation (governance/delegation.ts): every delegation and revocation the bot accepted, and the set in
// force at each proposal's snapshot (part of the schema: schema.ts re-exports it).
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
// Read lazily (in references()), so the import cycle with schema.ts is harmless.
import { chatAccounts, proposals } from './schema.js';

/**
 * One holder's signature of a delegation or revocation text, in the order the bot accepted them (`id`): a holder's
 * latest row made at or before a snapshot's block is its choice for that proposal. A text signed by several
 * holders is one row per holder.
 */
export const delegations = sqliteTable(
  'delegations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    delegator: text('delegator').notNull(),
    /** Who votes with the holder's power; null for a revocation. */
    delegate: text('delegate'),
    message: text('message').notNull(),
    nonce: text('nonce').notNull(),
    publicKey: text('public_key').notNull(),
    signature: text('signature').notNull(),
    /** The block the signed text is valid from (the chain height when it was made). */
    height: integer('height').notNull(),
    /** The signed text's issue time (ms): a holder's rows are accepted only in this order. */
    issuedAt: integer('issued_at').notNull(),
    acceptedAt: integer('accepted_at').notNull(),
    chatAccountId: integer('chat_account_id').references(() => chatAccounts.id),
  },
  (t) => [
    uniqueIndex('delegations_holder_nonce').on(t.delegator, t.nonce),
    index('delegations_delegate').on(t.delegate),
    index('delegations_height').on(t.height),
  ],
);

/** The delegations and revocations in force at a proposal's snapshot: one per holder with power in it. */
export const snapshotDelegations = sqliteTable(
  'snapshot_delegations',
  {
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id, { onDelete: 'cascade' }),
    delegator: text('delegator').notNull(),
    delegate: text('delegate'),
    message: text('message').notNull(),
    publicKey: text('public_key').notNull(),
    signature: text('signature').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.proposalId, t.delegator] }),
    index('snapshot_delegations_delegate').on(t.proposalId, t.delegate),
  ],
);
