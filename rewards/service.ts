import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { BackgroundPass } from '../db/background-pass.js';
import { type Db, type Sql, isDatabaseUnavailable, tables } from '../db/connection.js';
import { NodeUnavailable } from '../chain/errors.js';
import { linkedAddressesOf, primaryAddressOf } from '../wallet/accounts.js';
import type { DraftRow, Requester } from '../wallet/drafts.js';
import type { DraftingService } from '../wallet/drafting.js';
import { WalletError } from '../wallet/errors.js';
import { utcDay, type RewardsConfig } from './config.js';
import {
  lastQuestionAt,
  pendingRewardEvents,
  recordRewardEvent,
  settleRewardEvent,
  type RewardEvent,
} from './events.js';
import { accrue, reportFor, summaryFor } from './ledger.js';
import {
  createPayouts,
  planPayouts,
  reconcilePayouts,
  type CreatedPayout,
  type PayoutPlan,
} from './payouts.js';
import { identityOf, personOf, recordLinks, voteClaims } from './persons.js';
import { ChainWeights, type ChainReader } from './weight.js';

/** Actions that answer a question (read-only); drafts earn when their transaction confirms instead. */
export const QUESTION_ACTIONS = new Set([
  'balance',
  'account',
  'fee',
  'tx_status',
  'help',
  'proposals',
  'proposal',
  'voting_power',
  'my_addresses',
]);

const EARNING_DRAFTS = new Set(['transfer', 'batch_transfer', 'bond', 'unbond', 'withdraw']);

/**
 * PIP-44 interaction rewards: only real, successful interactions count (an answered question, a confirmed
 * transaction, a valid ballot), only for people with a linked address of real on-chain weight, within a cap per
 * address, a cap per person and a global budget; paid non-custodially in batches the pool operator signs.
 *
 * Interactions are noted as events where they happen (synchronously, inside the same database transaction) and
 * settled by `process()`, which asks the node who has weight; a node outage delays rewards, never loses them.
 */
export class RewardsService {
  private stopped = false;
  /**
   * Settling runs in the background when poked: a pass that fails for a reason that passes (the node or the
   * database away) leaves the rest unsettled, is logged once per outage and tried again with backoff.
   */
  private readonly pass: BackgroundPass;

  constructor(
    private readonly db: Db,
    readonly config: RewardsConfig,
    private readonly chain: ChainReader,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.pass = new BackgroundPass({
      name: 'reward settlement',
      run: () => this.drain(),
      everyMs: null,
      logger,
    });
    this.pass.start();
  }

  // ------------------------------------------------------------------ interactions

  private async note(sql: Sql, event: Omit<RewardEvent, 'id' | 'createdAt'>): Promise<void> {
    // Who was linked to whom when this happened: a link removed later still counts for the day's limits.
    await recordLinks(sql, event.chatAccountId, this.now());
    if (await recordRewardEvent(sql, { ...event, createdAt: this.now() }))
      // After the caller's transaction commits: better-sqlite3 transactions are synchronous.
      setImmediate(() => this.poke());
  }

  /** An answered question (a read-only action that succeeded); the cooldown stops repeats. */
  async question(chatAccountId: number, action: string, succeeded: boolean): Promise<void> {
    if (!succeeded || !QUESTION_ACTIONS.has(action)) return;
    if (!(await primaryAddressOf(this.db, chatAccountId))) return; // unlinked accounts earn nothing
    const last = await lastQuestionAt(this.db, chatAccountId);
    if (last !== null && last > this.now() - this.config.cooldownMs) {
      await recordLinks(this.db, chatAccountId, this.now());
      return;
    }
    await this.note(this.db, {
      kind: 'question',
      chatAccountId,
      addresses: [],
      dedupeKey: `q:${chatAccountId}:${this.now()}:${action}`,
      subject: null,
    });
  }

  /** Inside the confirming transaction: a user's transaction earns once; a payout settles its rewards. */
  async onConfirmed(tx: Sql, draft: DraftRow): Promise<void> {
    const { rewards } = tables(tx);
    if (draft.meta?.payout) {
      await tx
        .update(rewards)
        .set({ status: 'paid', paidAt: this.now() })
        .where(and(eq(rewards.payoutDraftId, draft.id), eq(rewards.status, 'pending')));
      return;
    }
    if (!EARNING_DRAFTS.has(draft.kind)) return;
    await this.note(tx, {
      kind: 'transaction',
      chatAccountId: draft.chatAccountId,
      addresses: [draft.signer],
      dedupeKey: `tx:${draft.id}`,
      subject: null,
    });
  }

  /**
   * Inside the ballot's transaction: a valid vote earns once per proposal per person, and once per proposal per
   * address the ballot was signed with, whichever chat account casts it.
   */
  async onBallot(
    tx: Sql,
    ballot: { proposalId: number; chatAccountId: number; addresses: string[] },
  ): Promise<void> {
    await this.note(tx, {
      kind: 'vote',
      chatAccountId: ballot.chatAccountId,
      addresses: ballot.addresses,
      dedupeKey: `vote:${ballot.proposalId}:${ballot.chatAccountId}`,
      subject: `vote:${ballot.proposalId}`,
    });
  }

  // ------------------------------------------------------------------ settling

  /** Starts a settling pass unless one is running; a running pass goes round again. */
  poke(): void {
    if (!this.stopped) this.pass.wake();
  }

  /** Settles every event noted so far, the outcome of each recorded with it (true when the pass worked). */
  settle(): Promise<boolean> {
    return this.pass.runNow();
  }

  /** Shutdown (idempotent): no new pass starts, and the running one ends before the database closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.pass.stop();
  }

  private async drain(): Promise<void> {
    const weights = new ChainWeights(this.chain);
    for (;;) {
      if (this.stopped) return;
      const events = await pendingRewardEvents(this.db, 100);
      if (events.length === 0) return;
      for (const event of events) {
        if (this.stopped) return;
        let outcome: string;
        try {
          outcome = await this.settleEvent(event, weights);
        } catch (error) {
          // The node or the database away is not the event's fault: it stays unsettled and the pass is retried.
          if (error instanceof NodeUnavailable || isDatabaseUnavailable(error)) throw error;
          this.logger.error({ err: error, event: event.id }, 'reward event failed');
          outcome = 'error';
        }
        await settleRewardEvent(this.db, event.id, outcome, this.now());
      }
    }
  }

  private async settleEvent(event: RewardEvent, weights: ChainWeights): Promise<string> {
    const person = await personOf(this.db, event.chatAccountId);
    if (person.addresses.length === 0) return 'unlinked';
    const own = (await linkedAddressesOf(this.db, event.chatAccountId)).map((a) => a.address);
    const candidates = [
      ...new Set([
        ...event.addresses.filter((a) => person.addresses.includes(a)),
        ...[await primaryAddressOf(this.db, event.chatAccountId)].filter((a): a is string => a !== null),
        ...own,
        ...person.addresses,
      ]),
    ];
    const address = await weights.firstHeavy(candidates, this.config.minWeight);
    if (!address) return 'no_weight';
    // Limits count over everyone tied to this chat account by links today (and within the cooldown), not only
    // those linked now; payouts still go only to addresses linked now (the candidates above).
    const since = Math.min(Date.parse(utcDay(event.createdAt)), event.createdAt - this.config.cooldownMs);
    const identity = await identityOf(this.db, event.chatAccountId, since);
    const result = await accrue(this.db, this.config, {
      address,
      chatAccountId: event.chatAccountId,
      person: { id: person.id, ...identity },
      kind: event.kind,
      dedupeKey: event.dedupeKey,
      sameAs: event.subject ? identity.chatAccountIds.map((id) => `${event.subject}:${id}`) : undefined,
      claims: event.kind === 'vote' && event.subject ? voteClaims(event.subject, event.addresses) : undefined,
      now: event.createdAt,
    });
    if (result.granted > 0n)
      this.logger.debug({ kind: event.kind, granted: result.granted.toString() }, 'reward accrued');
    return result.status;
  }

  // ------------------------------------------------------------------ reading

  async summary(chatAccountId: number) {
    const person = await personOf(this.db, chatAccountId);
    const addresses = (await linkedAddressesOf(this.db, chatAccountId)).map((a) => a.address);
    return {
      addresses,
      person,
      ...(await summaryFor(this.db, this.config, person, this.now())),
    };
  }

  /** Whether this chat account's person has an address heavy enough to earn (asks the node). */
  async earningAddress(chatAccountId: number): Promise<string | null> {
    const person = await personOf(this.db, chatAccountId);
    return new ChainWeights(this.chain).firstHeavy(person.addresses, this.config.minWeight);
  }

  async report() {
    return { ...(await reportFor(this.db, this.now())), plan: await this.plan() };
  }

  plan(): Promise<PayoutPlan> {
    return planPayouts(this.db, this.chain, {
      minPayout: this.config.minPayout,
      poolAddress: this.config.poolAddress,
    });
  }

  async payout(drafting: DraftingService, requester: Requester): Promise<CreatedPayout[]> {
    if (!this.config.poolAddress)
      throw new WalletError('no_pool', 'No reward pool is configured (REWARDS_POOL_ADDRESS).');
    await this.reconcile();
    return createPayouts(this.db, drafting, requester, this.config.poolAddress, await this.plan());
  }

  async reconcile(): Promise<void> {
    const result = await reconcilePayouts(this.db, this.now());
    if (result.paid || result.returned) this.logger.info(result, 'reward payouts reconciled');
  }
}
