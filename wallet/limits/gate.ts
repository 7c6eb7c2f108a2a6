import { and, asc, eq, gt, inArray, ne, or } from 'drizzle-orm';
import { type Db, type Sql, tables, transaction } from '../../db/connection.js';
import type { DraftKind } from '../../db/schema.js';
import { pacText as pac } from '../../pactus/amount.js';
import type { Address } from '../../pactus/address.js';
import { periodWords } from '../../pactus/time-words.js';
import { decodeTransactionHex, signerOf, type Transaction } from '../../pactus/tx.js';
import type { WalletConfig } from '../config.js';
import type { DraftResult } from '../draft-issue.js';
import type { Requester } from '../drafts.js';
import { WalletError } from '../errors.js';
import { personOf } from '../persons.js';
import { limitsOf, type LimitSettings, type Limits } from './settings.js';
import { OwnAddresses, spendOf, whenWords, type Spend } from './spend.js';
import type { AppliedLimits } from './shown.js';

const DAY = 24 * 3600_000;

/** A draft refused by a limit the person set; the message names the limit and when it would allow the payment. */
export class LimitError extends WalletError {}

/** Whose limits hold for a draft, and what they own. */
interface Scope {
  accounts: number[];
  own: OwnAddresses;
}

/**
 * Enforces the limits a person set before any signing link exists. The check and the draft are one database
 * transaction (SQLite IMMEDIATE, PostgreSQL SERIALIZABLE), so two drafts asked for at once, even in two
 * processes, cannot both fit into what is left of a daily limit.
 */
export class LimitsGate {
  constructor(
    private readonly db: Db,
    private readonly config: WalletConfig,
  ) {}

  get settings(): LimitSettings {
    return limitSettingsOf(this.config);
  }

  /**
   * Runs `issue` (which stores the draft and its link) only if the transaction fits the limits; otherwise throws
   * a LimitError and nothing is stored but the moment a new recipient was first asked for.
   */
  async admit(requester: Requester, kind: DraftKind, tx: Transaction, issue: () => Promise<DraftResult>) {
    const spend = spendOf(tx.payload);
    if (!spend) return issue();
    const now = this.config.now();
    const signer = signerOf(tx.payload).toString(this.config.network);
    const { scope, strangers } = await this.noteAsks(requester.chatAccountId, signer, spend, now);
    return transaction(this.db, async (t) => {
      const { limits } = await limitsOf(t, scope.accounts, now, this.settings);
      const applied = await this.check(t, scope, limits, spend, strangers, now, kind);
      const result = await issue();
      const { guardDrafts } = tables(t);
      await t.insert(guardDrafts).values({
        draftId: result.draftId,
        chatAccountId: requester.chatAccountId,
        amount: spend.amount,
        createdAt: now,
        applied: { ...applied },
      });
      return result;
    });
  }

  /**
   * Who the limits cover, and the recipients that are none of theirs, recording when each was first asked for:
   * outside the draft's (or the signature's) transaction, so that a refusal keeps it, as the cooling-off period
   * runs from the first ask.
   */
  private async noteAsks(chatAccountId: number, signer: string, spend: Spend, now: number) {
    const scope = await this.scope(chatAccountId, signer);
    const strangers = spend.recipients
      .filter((r) => !scope.own.has(r))
      .map((r) => r.toString(this.config.network));
    const { limits } = await limitsOf(this.db, scope.accounts, now, this.settings);
    if (limits.coolingOffMs > 0 && strangers.length)
      await noteFirstAsks(this.db, chatAccountId, strangers, now);
    return { scope, strangers };
  }

  /** Before the signature's transaction: a cooling-off period set after the link was made runs from now. */
  async beforeSigning(draft: { chatAccountId: number; signer: string }, tx: Transaction): Promise<void> {
    const spend = spendOf(tx.payload);
    if (spend) await this.noteAsks(draft.chatAccountId, draft.signer, spend, this.config.now());
  }

  /**
   * At signing, inside the transaction that consumes the link: the draft checked again against the limits that
   * hold now, over the same people as when it was drafted. A limit tightened after the link was made holds for it
   * too (a link made before "max 20 PAC per transaction" is not signed for 500; one made before the allowlist was
   * turned on does not pay a stranger), and two links signed at once cannot both fit into what is left of a
   * lowered daily limit. Unchanged limits never refuse here what they let through at drafting. Returns the limits
   * that hold: their undo window is the one this signature waits.
   */
  async recheck(
    t: Sql,
    draft: { id: string; chatAccountId: number; kind: DraftKind; signer: string },
    tx: Transaction,
  ): Promise<Limits> {
    const now = this.config.now();
    const scope = await this.scope(draft.chatAccountId, draft.signer, t);
    const { limits } = await limitsOf(t, scope.accounts, now, this.settings);
    const spend = spendOf(tx.payload);
    if (!spend) return limits;
    const strangers = spend.recipients
      .filter((r) => !scope.own.has(r))
      .map((r) => r.toString(this.config.network));
    await this.check(t, scope, limits, spend, strangers, now, draft.kind, 'sign', draft.id);
    return limits;
  }

  /**
   * The person of the requester, and of everyone who linked the sending address: a limit set on a wallet holds
   * whichever chat account asks to spend from it.
   */
  private async scope(chatAccountId: number, signer: string, db: Sql = this.db): Promise<Scope> {
    const { linkedAddresses } = tables(db);
    const person = await personOf(db, chatAccountId);
    const accounts = new Set(person.chatAccountIds);
    // Paying oneself (a 0-PAC memo record) is no payment to a stranger.
    const addresses = new Set([...person.addresses, signer]);
    const linkers = await db
      .select({ id: linkedAddresses.chatAccountId })
      .from(linkedAddresses)
      .where(eq(linkedAddresses.address, signer));
    for (const { id } of linkers)
      if (!accounts.has(id)) {
        const other = await personOf(db, id);
        other.chatAccountIds.forEach((a) => accounts.add(a));
        other.addresses.forEach((a) => addresses.add(a));
      }
    return { accounts: [...accounts], own: new OwnAddresses([...addresses], this.config.network) };
  }

  private async check(
    t: Sql,
    scope: Scope,
    limits: Limits,
    spend: Spend,
    strangers: string[],
    now: number,
    kind: DraftKind,
    phase: Phase = 'draft',
    draftId?: string,
  ): Promise<AppliedLimits> {
    const what = WHAT[kind] ?? 'payment';
    if (limits.txLimit !== null && spend.amount > limits.txLimit)
      throw new LimitError(
        'limit_per_transaction',
        `Your limit per transaction is ${pac(limits.txLimit)}, and this ${what} is ${pac(spend.amount)}, so ${refused(phase, what)}. Ask for ${pac(limits.txLimit)} or less; raising the limit takes effect ${periodWords(this.settings.loosenDelayMs)} after you ask.`,
      );
    if (strangers.length && limits.allowlist)
      await this.checkAllowlist(t, scope.accounts, strangers, now, what, phase);
    if (strangers.length && limits.coolingOffMs > 0)
      await this.checkCoolingOff(t, scope.accounts, strangers, limits.coolingOffMs, now, what, phase);
    // At signing, what is signed counts (unsigned links move nothing yet), and never this draft itself.
    const used = await usedInWindow(t, scope.accounts, now, phase === 'sign' ? draftId : undefined);
    const usedTotal = used.reduce((sum, u) => sum + u.amount, 0n);
    if (limits.dailyLimit !== null && usedTotal + spend.amount > limits.dailyLimit)
      throw new LimitError(
        'limit_daily',
        dailyRefusal(limits.dailyLimit, used, spend.amount, now, what, this.settings.loosenDelayMs, phase),
      );
    return {
      dailyLimit: limits.dailyLimit?.toString() ?? null,
      dailyUsed: (usedTotal + spend.amount).toString(),
      txLimit: limits.txLimit?.toString() ?? null,
      allowlist: limits.allowlist,
      coolingOffMs: limits.coolingOffMs,
      undoSeconds: limits.undoSeconds,
    };
  }

  /**
   * Only contacts and the person's own wallets may receive. A contact saved (or re-pointed) less than the
   * loosening delay ago does not count yet: saving one is how the allowlist would otherwise be lifted at once.
   */
  private async checkAllowlist(
    t: Sql,
    accounts: number[],
    strangers: string[],
    now: number,
    what: string,
    phase: Phase,
  ) {
    const delay = this.settings.loosenDelayMs;
    const { contacts } = tables(t);
    const saved = await t
      .select({ name: contacts.name, address: contacts.address, createdAt: contacts.createdAt })
      .from(contacts)
      .where(and(inArray(contacts.chatAccountId, accounts), inArray(contacts.address, strangers)));
    for (const address of strangers) {
      const entries = saved.filter((c) => c.address === address);
      if (!entries.length)
        throw new LimitError(
          'limit_allowlist',
          `Your allowlist is on: only your saved contacts and your own wallets may receive, and ${address} is neither, so ${refused(phase, what)}. Save it as a contact ("save ${address} as alice"): in allowlist mode a new contact can receive ${periodWords(delay)} after it was saved.`,
        );
      const oldest = entries.reduce((a, b) => (a.createdAt <= b.createdAt ? a : b));
      if (oldest.createdAt + delay > now)
        throw new LimitError(
          'limit_allowlist',
          `Your allowlist is on, and ${oldest.name} (${address}) was saved as a contact less than ${periodWords(delay)} ago, so it cannot receive yet. ${laterWords(phase, what)} from ${whenWords(oldest.createdAt + delay, now)}.`,
        );
    }
  }

  /** A first payment to an address waits the cooling-off period, counted from when it was first asked for. */
  private async checkCoolingOff(
    t: Sql,
    accounts: number[],
    strangers: string[],
    coolingOffMs: number,
    now: number,
    what: string,
    phase: Phase,
  ) {
    // Read only when needed: decoding the person's confirmed payments is most of this check's cost, and a contact
    // or an ask from long enough ago settles it first.
    let known: Set<string> | null = null;
    const { contacts, guardRecipients } = tables(t);
    for (const address of strangers) {
      const starts = [
        ...(
          await t
            .select({ at: contacts.createdAt })
            .from(contacts)
            .where(and(inArray(contacts.chatAccountId, accounts), eq(contacts.address, address)))
        ).map((r) => r.at),
        ...(
          await t
            .select({ at: guardRecipients.firstAskedAt })
            .from(guardRecipients)
            .where(
              and(inArray(guardRecipients.chatAccountId, accounts), eq(guardRecipients.address, address)),
            )
        ).map((r) => r.at),
      ];
      const since = starts.length ? Math.min(...starts) : now;
      if (since + coolingOffMs <= now) continue;
      known ??= await paidAddresses(t, accounts, this.config.network);
      if (!known.has(address))
        throw new LimitError(
          'limit_cooling_off',
          `${address} is a new address for you, and your cooling-off period for first payments is ${periodWords(coolingOffMs)}, so ${refused(phase, what)}. Ask again from ${whenWords(since + coolingOffMs, now)}.`,
        );
    }
  }
}

/**
 * When a limit refuses: before the link exists ('draft'), or at signing ('sign'), when a limit tightened after the
 * link was made no longer lets it through. The refusals say which.
 */
type Phase = 'draft' | 'sign';
const refused = (phase: Phase, what: string) =>
  phase === 'draft'
    ? `I did not draft this ${what}`
    : `this ${what} cannot be signed any more (your limits changed after its link was made; nothing was sent)`;
const laterWords = (phase: Phase, what: string) =>
  phase === 'draft' ? `I can draft this ${what}` : `I can draft a new ${what}`;

const WHAT: Partial<Record<DraftKind, string>> = {
  transfer: 'transfer',
  batch_transfer: 'batch transfer',
  bond: 'stake',
  withdraw: 'withdrawal',
};

export function limitSettingsOf(config: WalletConfig): LimitSettings {
  return {
    undoDefaultSeconds: config.undoDefaultSeconds ?? 0,
    loosenDelayMs: config.loosenDelayMs ?? DAY,
  };
}

/** Records when each recipient was first asked for (a later ask keeps the first time). */
async function noteFirstAsks(db: Sql, chatAccountId: number, addresses: string[], now: number) {
  const { guardRecipients } = tables(db);
  await db
    .insert(guardRecipients)
    .values(addresses.map((address) => ({ chatAccountId, address, firstAskedAt: now })))
    .onConflictDoNothing();
}

/**
 * What counts against the daily limit at `now`: money-moving drafts of the person made in the last 24 hours that
 * were or still can be signed (a live link, held in its undo window, sent, confirmed). A draft cancelled, expired
 * unsigned or refused by the network moved nothing and counts for nothing.
 */
export async function usedInWindow(
  db: Sql,
  accounts: number[],
  now: number,
  signing?: string,
): Promise<{ amount: bigint; at: number }[]> {
  const { guardDrafts: g, drafts: d } = tables(db);
  const signed = inArray(d.status, ['held', 'submitted', 'confirmed']);
  return db
    .select({ amount: g.amount, at: g.createdAt })
    .from(g)
    .innerJoin(d, eq(d.id, g.draftId))
    .where(
      and(
        inArray(g.chatAccountId, accounts),
        gt(g.createdAt, now - DAY),
        // `signing`: the draft being signed, checked against what is signed besides it.
        signing === undefined
          ? or(signed, and(eq(d.status, 'pending'), gt(d.expiresAt, now)))
          : and(signed, ne(d.id, signing)),
      ),
    )
    .orderBy(asc(g.createdAt));
}

/** Names the limit, what is used and left, and the moment enough earlier payments leave the 24-hour window. */
function dailyRefusal(
  limit: bigint,
  used: { amount: bigint; at: number }[],
  amount: bigint,
  now: number,
  what: string,
  loosenDelayMs: number,
  phase: Phase,
): string {
  const total = used.reduce((sum, u) => sum + u.amount, 0n);
  const left = total >= limit ? 0n : limit - total;
  const head = `Your daily limit is ${pac(limit)} in any 24 hours; ${pac(total)} is already drafted or sent in the last 24 hours, so ${pac(left)} is left and this ${what} is ${pac(amount)}, so ${refused(phase, what)}.`;
  if (amount > limit)
    return `${head} It is more than the whole daily limit: ask for ${pac(limit)} or less, or raise the limit (a higher limit takes effect ${periodWords(loosenDelayMs)} after you ask).`;
  let remaining = total;
  for (const u of used) {
    remaining -= u.amount;
    if (remaining + amount <= limit)
      return `${head} ${laterWords(phase, what)} from ${whenWords(u.at + DAY, now)}, when earlier payments leave the window (cancelling an unsigned draft frees its amount at once).`;
  }
  return head;
}

/** Addresses the person has paid before through the bot (confirmed money-moving drafts of any of their accounts). */
async function paidAddresses(db: Sql, accounts: number[], network: WalletConfig['network']) {
  const { drafts: d } = tables(db);
  const rows = await db
    .select({ unsignedTx: d.unsignedTx })
    .from(d)
    .where(
      and(
        inArray(d.chatAccountId, accounts),
        inArray(d.kind, ['transfer', 'batch_transfer', 'bond', 'withdraw']),
        eq(d.status, 'confirmed'),
      ),
    )
    .limit(1000);
  const paid = new Set<string>();
  for (const { unsignedTx } of rows) {
    if (!unsignedTx) continue;
    const spend = spendOf(decodeTransactionHex(unsignedTx).payload);
    spend?.recipients.forEach((r: Address) => paid.add(r.toString(network)));
  }
  return paid;
}

/**
 * Unlinking a wallet takes it out of its person's limits' reach at once (unlinking needs no signature), so while
 * any spending limit holds it is refused: the limits must be lifted first, which waits the loosening delay.
 */
export async function checkUnlink(db: Sql, config: WalletConfig, chatAccountId: number): Promise<void> {
  const person = await personOf(db, chatAccountId);
  const settings = limitSettingsOf(config);
  const { limits } = await limitsOf(db, person.chatAccountIds, config.now(), settings);
  const set = [
    limits.dailyLimit !== null && 'a daily limit',
    limits.txLimit !== null && 'a limit per transaction',
    limits.allowlist && 'the allowlist',
    limits.coolingOffMs > 0 && 'a cooling-off period',
  ].filter(Boolean);
  if (set.length)
    throw new LimitError(
      'limit_unlink',
      `You have ${set.join(', ')} set, and unlinking a wallet would take it out of their reach at once, so I did not unlink it. Lift those limits first (that takes effect ${periodWords(settings.loosenDelayMs)} after you ask), then unlink.`,
    );
}
