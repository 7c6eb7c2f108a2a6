// The PostgreSQL twin of schema-delegation.ts (schema-pg.ts re-exports it; comments live in schema-delegation.ts).
import { bigint, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { chatAccounts, proposals } from './schema-pg.js';

export const delegations = pgTable(
  'delegations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    delegator: text('delegator').notNull(),
    delegate: text('delegate'),
    message: text('message').notNull(),
    nonce: text('nonce').notNull(),
    publicKey: text('public_key').notNull(),
    signature: text('signature').notNull(),
    height: bigint('height', { mode: 'number' }).notNull(),
    issuedAt: bigint('issued_at', { mode: 'number' }).notNull(),
    acceptedAt: bigint('accepted_at', { mode: 'number' }).notNull(),
    chatAccountId: integer('chat_account_id').references(() => chatAccounts.id),
  },
  (t) => [
    uniqueIndex('delegations_holder_nonce').on(t.delegator, t.nonce),
    index('delegations_delegate').on(t.delegate),
    index('delegations_height').on(t.height),
  ],
);

export const snapshotDelegations = pgTable(
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
