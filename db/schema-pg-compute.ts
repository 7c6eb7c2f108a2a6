// The PostgreSQL twin of schema-compute.ts (schema-pg.ts re-exports it; comments live in schema-compute.ts).
import { bigint, index, integer, json, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type {
  ComputeCheckOutcome,
  ComputeEpochStatus,
  ComputePayoutStatus,
  SpotCheckOutcome,
} from './schema-compute.js';
import { drafts } from './schema-pg.js';

export const computeReceipts = pgTable(
  'compute_receipts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    epoch: integer('epoch').notNull(),
    contributor: text('contributor').notNull(),
    leaf: text('leaf').notNull(),
    receipt: json('receipt').$type<Record<string, unknown>>().notNull(),
    countedPrompt: integer('counted_prompt'),
    countedCompletion: integer('counted_completion'),
    flag: text('flag'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('compute_receipts_leaf').on(t.leaf),
    index('compute_receipts_epoch').on(t.epoch, t.contributor),
  ],
);

export const computeChecks = pgTable(
  'compute_checks',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    epoch: integer('epoch').notNull(),
    contributor: text('contributor').notNull(),
    outcome: text('outcome').$type<ComputeCheckOutcome>().notNull(),
    reason: text('reason').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('compute_checks_epoch').on(t.epoch, t.contributor)],
);

export const computeEpochSeeds = pgTable('compute_epoch_seeds', {
  epoch: integer('epoch').primaryKey(),
  seed: text('seed').notNull(),
  commitment: text('commitment').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});

export const computeSpotChecks = pgTable(
  'compute_spot_checks',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    epoch: integer('epoch').notNull(),
    requestHash: text('request_hash').notNull(),
    leaf: text('leaf').notNull(),
    contributor: text('contributor').notNull(),
    reruns: json('reruns').$type<string[]>().notNull(),
    outcome: text('outcome').$type<SpotCheckOutcome>().notNull(),
    failed: text('failed'),
    detail: text('detail').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('compute_spot_checks_leaf').on(t.leaf), index('compute_spot_checks_epoch').on(t.epoch)],
);

export const computeEpochs = pgTable('compute_epochs', {
  epoch: integer('epoch').primaryKey(),
  root: text('root').notNull(),
  bundle: json('bundle').$type<Record<string, unknown>>().notNull(),
  status: text('status').$type<ComputeEpochStatus>().notNull().default('closed'),
  anchorDraftId: text('anchor_draft_id').references(() => drafts.id),
  anchorTxId: text('anchor_tx_id'),
  anchorHeight: bigint('anchor_height', { mode: 'number' }),
  closedAt: bigint('closed_at', { mode: 'number' }).notNull(),
});

export const computePayouts = pgTable(
  'compute_payouts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    epoch: integer('epoch').notNull(),
    draftId: text('draft_id')
      .notNull()
      .references(() => drafts.id),
    recipients: json('recipients').$type<{ address: string; amount: string }[]>().notNull(),
    status: text('status').$type<ComputePayoutStatus>().notNull().default('drafted'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('compute_payouts_draft').on(t.draftId), index('compute_payouts_epoch').on(t.epoch)],
);
