// Delegations in the database: the log of every accepted delegation and revocation (one row per holder, in the
// order accepted), each holder's current choice, and the set frozen into a proposal's snapshot.
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import { type Sql, tables } from '../db/connection.js';
import type { delegations as DelegationsTable } from '../db/schema.js';
import { delegateMap, latestAt, type SnapshotDelegation } from './delegation.js';
import { parseDelegationMessage } from './delegation-messages.js';

export type DelegationRow = typeof DelegationsTable.$inferSelect;

const CHUNK = 500;

/** A stored holder's signature as the bundle carries it. */
const asSnapshotDelegation = (r: {
  message: string;
  delegator: string;
  publicKey: string;
  signature: string;
}): SnapshotDelegation => ({
  message: r.message,
  signature: { address: r.delegator, publicKey: r.publicKey, signature: r.signature },
});

/** `fn` over `items` in chunks (a long IN list is split so no store's parameter limit is reached). */
async function chunked<T, R>(items: T[], fn: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await fn(items.slice(i, i + CHUNK))));
  return out;
}

/** Each holder's latest accepted row, whatever its height: what holds for snapshots taken from now on. */
export async function currentChoices(sql: Sql, holders: string[]): Promise<Map<string, DelegationRow>> {
  const { delegations } = tables(sql);
  const rows = await chunked([...new Set(holders)], (part) =>
    sql.select().from(delegations).where(inArray(delegations.delegator, part)).orderBy(asc(delegations.id)),
  );
  const latest = new Map<string, DelegationRow>();
  for (const row of rows.sort((a, b) => a.id - b.id)) latest.set(row.delegator, row);
  return latest;
}

/** The holders whose current choice is to delegate to one of `delegates`. */
export async function currentDelegators(sql: Sql, delegates: string[]): Promise<DelegationRow[]> {
  const { delegations } = tables(sql);
  const named = await chunked([...new Set(delegates)], (part) =>
    sql
      .selectDistinct({ delegator: delegations.delegator })
      .from(delegations)
      .where(inArray(delegations.delegate, part)),
  );
  const current = await currentChoices(
    sql,
    named.map((r) => r.delegator),
  );
  return [...current.values()].filter((r) => r.delegate !== null && delegates.includes(r.delegate));
}

/**
 * The delegations in force at a snapshot of `height`: each holder's latest row made at or before it, among the rows
 * accepted so far, for the holders with power in the snapshot only.
 */
export async function delegationsAt(
  sql: Sql,
  height: number,
  holders: Set<string>,
): Promise<SnapshotDelegation[]> {
  const { delegations } = tables(sql);
  const rows = await sql
    .select()
    .from(delegations)
    .where(lte(delegations.height, height))
    .orderBy(asc(delegations.id));
  return latestAt(rows, height, holders).map(asSnapshotDelegation);
}

/** The set frozen into a proposal's snapshot, as the bundle carries it (by holder). */
export async function snapshotDelegationsOf(sql: Sql, proposalId: number): Promise<SnapshotDelegation[]> {
  const { snapshotDelegations } = tables(sql);
  const rows = await sql
    .select()
    .from(snapshotDelegations)
    .where(eq(snapshotDelegations.proposalId, proposalId))
    .orderBy(asc(snapshotDelegations.delegator));
  return rows.map(asSnapshotDelegation);
}

/** Holder -> delegate at a proposal's snapshot (revocations and holders without a delegation are absent). */
export async function snapshotDelegates(sql: Sql, proposalId: number): Promise<Map<string, string>> {
  const { snapshotDelegations } = tables(sql);
  const rows = await sql
    .select({ delegator: snapshotDelegations.delegator, delegate: snapshotDelegations.delegate })
    .from(snapshotDelegations)
    .where(eq(snapshotDelegations.proposalId, proposalId));
  return delegateMap(rows);
}

/** Holders who delegated to one of `addresses` at a proposal's snapshot. */
export async function snapshotDelegatorsTo(
  sql: Sql,
  proposalId: number,
  addresses: string[],
): Promise<{ delegator: string; delegate: string }[]> {
  const { snapshotDelegations } = tables(sql);
  const rows = await chunked(addresses, (part) =>
    sql
      .select({ delegator: snapshotDelegations.delegator, delegate: snapshotDelegations.delegate })
      .from(snapshotDelegations)
      .where(
        and(eq(snapshotDelegations.proposalId, proposalId), inArray(snapshotDelegations.delegate, part)),
      ),
  );
  return rows.filter((r): r is { delegator: string; delegate: string } => r.delegate !== null);
}

/** Freezes a snapshot's delegations with its proposal (each delegate read back from its signed text). */
export async function freezeDelegations(
  sql: Sql,
  proposalId: number,
  held: SnapshotDelegation[],
): Promise<void> {
  const { snapshotDelegations } = tables(sql);
  for (const delegation of held) {
    const text = parseDelegationMessage(delegation.message);
    if (!text) throw new Error(`an accepted delegation of ${delegation.signature.address} does not parse`);
    await sql.insert(snapshotDelegations).values({
      proposalId,
      delegator: delegation.signature.address,
      delegate: text.delegate,
      message: delegation.message,
      publicKey: delegation.signature.publicKey,
      signature: delegation.signature.signature,
    });
  }
}
