import { and, desc, eq, inArray } from 'drizzle-orm';
import { tables, type Sql } from '../db/connection.js';
import type { Network } from '../pactus/network.js';
import { decodeTransactionHex } from '../pactus/tx-decode.js';
import { PayloadType } from '../pactus/tx-types.js';

export interface HistoryEntry {
  at: number;
  direction: 'sent' | 'received' | 'staked' | 'unstaked' | 'withdrew';
  amount: bigint | null;
  counterpart: string;
  status: string;
  txId: string | null;
  /** Signed by the person (a draft still waiting for, or never given, a signature is not). */
  signed: boolean;
}

/** A draft's status in words: a pending draft is waiting for the person's signature, not sent. */
function statusOf(draft: {
  status: string;
  blockHeight: number | null;
  failureReason: string | null;
}): string {
  switch (draft.status) {
    case 'pending':
      return 'awaiting signature';
    case 'held':
      return 'signed, in its undo window';
    case 'submitted':
      return 'signed and sent, awaiting confirmation';
    case 'confirmed':
      return draft.blockHeight ? `confirmed in block ${draft.blockHeight}` : 'confirmed';
    case 'failed':
      return draft.failureReason ? `failed: ${draft.failureReason}` : 'failed';
    case 'expired':
      return 'expired';
    case 'cancelled':
      return 'cancelled';
    default:
      return draft.status;
  }
}

const TX_KINDS = ['transfer', 'batch_transfer', 'bond', 'unbond', 'withdraw'] as const;

/**
 * A person's recent transactions as the bot knows them: what they drafted here (with its status) and what the chain
 * scan saw arrive at their linked addresses (incoming alerts). Pactus nodes have no per-address history, so
 * transactions made elsewhere and not to a linked address are not in it.
 */
export async function historyOf(
  db: Sql,
  chatAccountId: number,
  network: Network,
  limit = 10,
): Promise<HistoryEntry[]> {
  const { drafts: d, outbox: o } = tables(db);
  const drafted = await db
    .select()
    .from(d)
    .where(and(eq(d.chatAccountId, chatAccountId), inArray(d.kind, [...TX_KINDS])))
    .orderBy(desc(d.createdAt))
    .limit(limit);
  const entries: HistoryEntry[] = [];
  for (const draft of drafted) {
    if (!draft.unsignedTx) continue;
    const p = decodeTransactionHex(draft.unsignedTx).payload;
    const base = {
      at: draft.createdAt,
      status: statusOf(draft),
      txId: draft.txId,
      signed: draft.signedTx !== null,
    };
    if (p.type === PayloadType.Transfer)
      entries.push({ ...base, direction: 'sent', amount: p.amount, counterpart: p.to.toString(network) });
    else if (p.type === PayloadType.BatchTransfer)
      entries.push({
        ...base,
        direction: 'sent',
        amount: p.recipients.reduce((sum, r) => sum + r.amount, 0n),
        counterpart: `${p.recipients.length} recipients`,
      });
    else if (p.type === PayloadType.Bond)
      entries.push({ ...base, direction: 'staked', amount: p.stake, counterpart: p.to.toString(network) });
    else if (p.type === PayloadType.Unbond)
      entries.push({
        ...base,
        direction: 'unstaked',
        amount: null,
        counterpart: p.validator.toString(network),
      });
    else if (p.type === PayloadType.Withdraw)
      entries.push({
        ...base,
        direction: 'withdrew',
        amount: p.amount,
        counterpart: p.from.toString(network),
      });
  }
  const received = await db
    .select({ at: o.createdAt, payload: o.payload })
    .from(o)
    .where(and(eq(o.chatAccountId, chatAccountId), eq(o.kind, 'incoming_transfer')))
    .orderBy(desc(o.createdAt))
    .limit(limit);
  for (const r of received) {
    const p = r.payload as { from: string; amount: string; height: number; txId: string };
    entries.push({
      at: r.at,
      direction: 'received',
      amount: BigInt(p.amount),
      counterpart: p.from,
      status: `confirmed in block ${p.height}`,
      txId: p.txId,
      signed: true,
    });
  }
  return entries.sort((a, b) => b.at - a.at).slice(0, limit);
}

/**
 * The addresses the person has paid through the bot: recipients of their confirmed transfers, batches and
 * withdrawals (a withdrawal's recipient was chosen as a payee's is, so it is as known).
 */
export async function paidAddressesOf(
  db: Sql,
  chatAccountId: number,
  network: Network,
): Promise<Set<string>> {
  const { drafts: d } = tables(db);
  const sent = await db
    .select({ unsignedTx: d.unsignedTx })
    .from(d)
    .where(
      and(
        eq(d.chatAccountId, chatAccountId),
        inArray(d.kind, ['transfer', 'batch_transfer', 'withdraw']),
        eq(d.status, 'confirmed'),
      ),
    )
    .orderBy(desc(d.createdAt))
    .limit(500);
  const paid = new Set<string>();
  for (const { unsignedTx } of sent) {
    if (!unsignedTx) continue;
    const p = decodeTransactionHex(unsignedTx).payload;
    if (p.type === PayloadType.Transfer || p.type === PayloadType.Withdraw) paid.add(p.to.toString(network));
    else if (p.type === PayloadType.BatchTransfer)
      for (const r of p.recipients) paid.add(r.to.toString(network));
  }
  return paid;
}
