// PIP-44's compute layer: contributors' signed receipts, spot-check outcomes, closed epochs and their payouts
// (part of the schema: schema.ts re-exports it).
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
// Read lazily (in references()), so the import cycle with schema.ts is harmless.
import { drafts } from './schema.js';

export type ComputeCheckOutcome = 'pass' | 'fail' | 'unresolved';
/** A due spot check's result: the three above, or 'unchecked' when no other contributor could re-run it. */
export type SpotCheckOutcome = ComputeCheckOutcome | 'unchecked';
export type ComputeEpochStatus = 'closed' | 'anchored';
export type ComputePayoutStatus = 'drafted' | 'paid' | 'failed';

/** Accepted receipts (signature, hashes and tokens checked against what the router sent and received). */
export const computeReceipts = sqliteTable(
  'compute_receipts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** floor(height / COMPUTE_EPOCH_BLOCKS) at the time the receipt was accepted. */
    epoch: integer('epoch').notNull(),
    contributor: text('contributor').notNull(),
    /** The receipt's leaf hash: one row per receipt, however often it is offered. */
    leaf: text('leaf').notNull(),
    receipt: text('receipt', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /**
     * Tokens the bot counted with the approved model's own tokenizer and chat template (compute/tokenizer.ts);
     * the credit is the smaller of these and the receipt's claim.
     */
    countedPrompt: integer('counted_prompt'),
    countedCompletion: integer('counted_completion'),
    /** Why the claim is not believed (it exceeds the count by more than the template's overhead); null if it is. */
    flag: text('flag'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('compute_receipts_leaf').on(t.leaf),
    index('compute_receipts_epoch').on(t.epoch, t.contributor),
  ],
);

/** Spot checks and receipt problems: one 'fail' zeroes the contributor's credit for the epoch. */
export const computeChecks = sqliteTable(
  'compute_checks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    epoch: integer('epoch').notNull(),
    contributor: text('contributor').notNull(),
    outcome: text('outcome').$type<ComputeCheckOutcome>().notNull(),
    reason: text('reason').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('compute_checks_epoch').on(t.epoch, t.contributor)],
);

/**
 * Each epoch's secret spot-check seed and its commitment (BLAKE2b-256 of the seed). The commitment goes out with
 * every request of the epoch and is signed into every receipt; the seed is revealed in the closed bundle, so anyone
 * can recompute which requests were due for a check (compute/spot-sampling.ts).
 */
export const computeEpochSeeds = sqliteTable('compute_epoch_seeds', {
  epoch: integer('epoch').primaryKey(),
  seed: text('seed').notNull(),
  commitment: text('commitment').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** One row per request that was due for a spot check: the original receipt, the re-runs and what came of it. */
export const computeSpotChecks = sqliteTable(
  'compute_spot_checks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    epoch: integer('epoch').notNull(),
    requestHash: text('request_hash').notNull(),
    /** The leaf of the receipt that was checked, and its contributor. */
    leaf: text('leaf').notNull(),
    contributor: text('contributor').notNull(),
    /** Leaves of the re-runs' receipts (other contributors), in the order they answered. */
    reruns: text('reruns', { mode: 'json' }).$type<string[]>().notNull(),
    outcome: text('outcome').$type<SpotCheckOutcome>().notNull(),
    /** The contributor whose answer differed from two others, when one did. */
    failed: text('failed'),
    detail: text('detail').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('compute_spot_checks_leaf').on(t.leaf), index('compute_spot_checks_epoch').on(t.epoch)],
);

/** A closed epoch: its public bundle (receipts, root, credits, shares) and the anchoring transaction. */
export const computeEpochs = sqliteTable('compute_epochs', {
  epoch: integer('epoch').primaryKey(),
  root: text('root').notNull(),
  bundle: text('bundle', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  status: text('status').$type<ComputeEpochStatus>().notNull().default('closed'),
  anchorDraftId: text('anchor_draft_id').references(() => drafts.id),
  anchorTxId: text('anchor_tx_id'),
  anchorHeight: integer('anchor_height'),
  closedAt: integer('closed_at').notNull(),
});

/** Batch-transfer drafts that pay an epoch's shares; paid once, on confirmation. */
export const computePayouts = sqliteTable(
  'compute_payouts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    epoch: integer('epoch').notNull(),
    draftId: text('draft_id')
      .notNull()
      .references(() => drafts.id),
    /** [{ address, amount (NanoPAC, decimal) }] */
    recipients: text('recipients', { mode: 'json' }).$type<{ address: string; amount: string }[]>().notNull(),
    status: text('status').$type<ComputePayoutStatus>().notNull().default('drafted'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('compute_payouts_draft').on(t.draftId), index('compute_payouts_epoch').on(t.epoch)],
);
