// The compute layer's records: accepted receipts, check outcomes, closed epochs, payouts.
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import { first, tables, type Sql } from '../db/connection.js';
import type { ComputeCheckOutcome } from '../db/schema.js';
import type { AnchorJson } from '../deployment/anchors.js';
import type { EpochBundle } from './epoch.js';
import { receiptLeaf, type Receipt } from './receipt.js';

/** Stores an accepted receipt once (by its leaf); false when it was already there. */
export async function storeReceipt(db: Sql, epoch: number, receipt: Receipt, now: number): Promise<boolean> {
  const { computeReceipts: r } = tables(db);
  const inserted = await db
    .insert(r)
    .values({
      epoch,
      contributor: receipt.contributor,
      leaf: receiptLeaf(receipt),
      receipt: receipt as unknown as Record<string, unknown>,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ one: sql`1` });
  return inserted.length === 1;
}

export async function recordCheck(
  db: Sql,
  epoch: number,
  contributor: string,
  outcome: ComputeCheckOutcome,
  reason: string,
  now: number,
): Promise<void> {
  const { computeChecks: c } = tables(db);
  await db.insert(c).values({ epoch, contributor, outcome, reason, createdAt: now });
}

export async function receiptsOf(db: Sql, epoch: number): Promise<Receipt[]> {
  const { computeReceipts: r } = tables(db);
  const rows = await db.select({ receipt: r.receipt }).from(r).where(eq(r.epoch, epoch)).orderBy(asc(r.id));
  return rows.map((row) => row.receipt as unknown as Receipt);
}

/** The first failure of each contributor in the epoch: what zeroes its credit. */
export async function failuresOf(db: Sql, epoch: number): Promise<Record<string, string>> {
  const { computeChecks: c } = tables(db);
  const rows = await db
    .select({ contributor: c.contributor, reason: c.reason })
    .from(c)
    .where(and(eq(c.epoch, epoch), eq(c.outcome, 'fail')))
    .orderBy(asc(c.id));
  const zeroed: Record<string, string> = {};
  for (const row of rows) zeroed[row.contributor] ??= row.reason;
  return zeroed;
}

export async function checksOf(
  db: Sql,
  contributors: string[],
  epoch: number,
): Promise<{ contributor: string; outcome: ComputeCheckOutcome; reason: string }[]> {
  if (!contributors.length) return [];
  const { computeChecks: c } = tables(db);
  return db
    .select({ contributor: c.contributor, outcome: c.outcome, reason: c.reason })
    .from(c)
    .where(and(eq(c.epoch, epoch), inArray(c.contributor, contributors)));
}

/** Epochs before `current` that have receipts or checks and are not closed yet, oldest first. */
export async function epochsToClose(db: Sql, current: number): Promise<number[]> {
  const { computeReceipts: r, computeChecks: c, computeEpochs: e } = tables(db);
  const open = await db
    .selectDistinct({ epoch: r.epoch })
    .from(r)
    .where(lt(r.epoch, current))
    .union(db.selectDistinct({ epoch: c.epoch }).from(c).where(lt(c.epoch, current)));
  const closed = new Set((await db.select({ epoch: e.epoch }).from(e)).map((row) => row.epoch));
  return open
    .map((row) => row.epoch)
    .filter((n) => !closed.has(n))
    .sort((a, b) => a - b);
}

/** Stores a closed epoch once; false when another process closed it first. */
export async function storeEpoch(db: Sql, bundle: EpochBundle, now: number): Promise<boolean> {
  const { computeEpochs: e } = tables(db);
  const inserted = await db
    .insert(e)
    .values({
      epoch: bundle.epoch,
      root: bundle.root,
      bundle: bundle as unknown as Record<string, unknown>,
      closedAt: now,
    })
    .onConflictDoNothing()
    .returning({ one: sql`1` });
  return inserted.length === 1;
}

export async function epochRow(db: Sql, epoch: number) {
  const { computeEpochs: e } = tables(db);
  return first(db.select().from(e).where(eq(e.epoch, epoch)).limit(1));
}

export async function latestEpoch(db: Sql) {
  const { computeEpochs: e } = tables(db);
  return first(
    db
      .select()
      .from(e)
      .orderBy(sql`${e.epoch} desc`)
      .limit(1),
  );
}

/** The anchor of a closed epoch as its bundle carries it: the transaction and the operator's signed bytes. */
export async function epochAnchor(
  db: Sql,
  row: { anchorTxId: string | null; anchorHeight: number | null; anchorDraftId: string | null },
): Promise<AnchorJson | null> {
  if (!row.anchorTxId || !row.anchorDraftId) return null;
  const { drafts } = tables(db);
  const draft = await first(
    db.select({ signedTx: drafts.signedTx }).from(drafts).where(eq(drafts.id, row.anchorDraftId)).limit(1),
  );
  return draft?.signedTx
    ? { txId: row.anchorTxId, signedTx: draft.signedTx, height: row.anchorHeight }
    : null;
}
