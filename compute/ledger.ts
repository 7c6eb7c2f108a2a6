// The compute layer's records: accepted receipts, check outcomes, closed epochs, payouts.
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import { first, tables, type Sql } from '../db/connection.js';
import type { ComputeCheckOutcome } from '../db/schema.js';
import type { AnchorJson } from '../deployment/anchors.js';
import type { EpochBundle } from './epoch.js';
import { receiptLeaf, type Receipt } from './receipt.js';
import { newSeed, seedCommitment, type SpotCheckRecord } from './spot-sampling.js';
import type { Metered, TokenCount } from './token-count.js';

/** Stores an accepted receipt once (by its leaf), with the bot's own token counts; false when it was there. */
export async function storeReceipt(
  db: Sql,
  epoch: number,
  receipt: Receipt,
  now: number,
  metered?: Pick<Metered, 'counted' | 'flag'>,
): Promise<boolean> {
  const { computeReceipts: r } = tables(db);
  const inserted = await db
    .insert(r)
    .values({
      epoch,
      contributor: receipt.contributor,
      leaf: receiptLeaf(receipt),
      receipt: receipt as unknown as Record<string, unknown>,
      countedPrompt: metered?.counted.prompt ?? null,
      countedCompletion: metered?.counted.completion ?? null,
      flag: metered?.flag ?? null,
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

/**
 * The epoch's spot-check seed and commitment, made by whichever process asks first (every process then reads the
 * same row).
 */
export async function epochSeed(
  db: Sql,
  epoch: number,
  now: number,
): Promise<{ seed: string; commitment: string }> {
  const { computeEpochSeeds: s } = tables(db);
  const seed = newSeed();
  await db
    .insert(s)
    .values({ epoch, seed, commitment: seedCommitment(seed), createdAt: now })
    .onConflictDoNothing();
  const row = await first(db.select().from(s).where(eq(s.epoch, epoch)).limit(1));
  return { seed: row!.seed, commitment: row!.commitment };
}

/** The seed row of an epoch, if a request of it was ever sent. */
export async function seedOf(db: Sql, epoch: number): Promise<{ seed: string; commitment: string } | null> {
  const { computeEpochSeeds: s } = tables(db);
  return (await first(db.select().from(s).where(eq(s.epoch, epoch)).limit(1))) ?? null;
}

/** Records a due request's check once (by the checked receipt's leaf). */
export async function storeSpotCheck(
  db: Sql,
  epoch: number,
  check: SpotCheckRecord,
  now: number,
): Promise<void> {
  const { computeSpotChecks: c } = tables(db);
  await db
    .insert(c)
    .values({
      epoch,
      requestHash: check.request,
      leaf: check.leaf,
      contributor: check.contributor,
      reruns: check.reruns,
      outcome: check.outcome,
      failed: check.failed,
      detail: check.detail,
      createdAt: now,
    })
    .onConflictDoNothing();
}

/** The epoch's counted tokens and flags by receipt leaf, and its spot checks in the order they were recorded. */
export async function meteringOf(
  db: Sql,
  epoch: number,
): Promise<{
  counted: Record<string, TokenCount>;
  flagged: Record<string, string>;
  checks: SpotCheckRecord[];
}> {
  const { computeReceipts: r, computeSpotChecks: c } = tables(db);
  const counted: Record<string, TokenCount> = {};
  const flagged: Record<string, string> = {};
  for (const row of await db
    .select({ leaf: r.leaf, prompt: r.countedPrompt, completion: r.countedCompletion, flag: r.flag })
    .from(r)
    .where(eq(r.epoch, epoch))) {
    if (row.prompt !== null && row.completion !== null)
      counted[row.leaf] = { prompt: row.prompt, completion: row.completion };
    if (row.flag) flagged[row.leaf] = row.flag;
  }
  const checks = (await db.select().from(c).where(eq(c.epoch, epoch)).orderBy(asc(c.id))).map((row) => ({
    request: row.requestHash,
    leaf: row.leaf,
    contributor: row.contributor,
    reruns: row.reruns,
    outcome: row.outcome,
    failed: row.failed,
    detail: row.detail,
  }));
  return { counted, flagged, checks };
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
