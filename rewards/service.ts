import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Sql } from '../db/connection.js';
import { rewards } from '../db/schema.js';
import { linkedAddressesOf, primaryAddressOf } from '../wallet/accounts.js';
import type { DraftRow, Requester } from '../wallet/drafts.js';
import type { DraftingService } from '../wallet/drafting.js';
import { WalletError } from '../wallet/errors.js';
import { accrue, reportFor, summaryFor, type AccrualResult } from './ledger.js';
import {
  createPayouts,
  planPayouts,
  reconcilePayouts,
  type CreatedPayout,
  type PlannedPayout,
} from './payouts.js';
import type { RewardsConfig } from './config.js';

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

/**
 * PIP-44 interaction rewards: only real, successful interactions count (an answered question, a confirmed
 * transaction, a valid ballot), only for linked addresses, within daily caps; paid non-custodially in batches
 * the pool operator signs.
 */
export class RewardsService {
  constructor(
    private readonly db: Db,
    readonly config: RewardsConfig,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The address a chat account earns on: the given one if the account linked it, else its primary wallet. */
  private earningAddress(sql: Sql, chatAccountId: number, preferred?: string[]): string | null {
    const linked = linkedAddressesOf(sql, chatAccountId).map((a) => a.address);
    const match = preferred?.find((a) => linked.includes(a));
    return match ?? primaryAddressOf(sql, chatAccountId);
  }

  private record(sql: Sql, accrual: Omit<Parameters<typeof accrue>[2], 'now'>): AccrualResult {
    const result = accrue(sql, this.config, { ...accrual, now: this.now() });
    if (result.granted > 0n)
      this.logger.debug({ kind: accrual.kind, granted: result.granted.toString() }, 'reward accrued');
    return result;
  }

  /** An answered question (a read-only action that succeeded); the cooldown stops repeats. */
  question(chatAccountId: number, action: string, succeeded: boolean): AccrualResult | null {
    if (!succeeded || !QUESTION_ACTIONS.has(action)) return null;
    const address = this.earningAddress(this.db, chatAccountId);
    if (!address) return null; // unlinked accounts earn nothing
    return this.record(this.db, {
      address,
      chatAccountId,
      kind: 'question',
      dedupeKey: `q:${chatAccountId}:${this.now()}:${action}`,
    });
  }

  /** Inside the confirming transaction: a user's transaction earns once; a payout settles its rewards. */
  onConfirmed(tx: Sql, draft: DraftRow): void {
    if (draft.meta?.payout) {
      tx.update(rewards)
        .set({ status: 'paid', paidAt: this.now() })
        .where(and(eq(rewards.payoutDraftId, draft.id), eq(rewards.status, 'pending')))
        .run();
      return;
    }
    if (!['transfer', 'batch_transfer', 'bond', 'unbond', 'withdraw'].includes(draft.kind)) return;
    const address = this.earningAddress(tx, draft.chatAccountId, [draft.signer]);
    if (!address) return;
    this.record(tx, {
      address,
      chatAccountId: draft.chatAccountId,
      kind: 'transaction',
      dedupeKey: `tx:${draft.id}`,
    });
  }

  /** Inside the ballot's transaction: a valid vote earns once per proposal per person. */
  onBallot(tx: Sql, ballot: { proposalId: number; chatAccountId: number; addresses: string[] }): void {
    const address = this.earningAddress(tx, ballot.chatAccountId, ballot.addresses);
    if (!address) return;
    this.record(tx, {
      address,
      chatAccountId: ballot.chatAccountId,
      kind: 'vote',
      dedupeKey: `vote:${ballot.proposalId}:${ballot.chatAccountId}`,
    });
  }

  summary(chatAccountId: number) {
    const addresses = linkedAddressesOf(this.db, chatAccountId).map((a) => a.address);
    return { addresses, ...summaryFor(this.db, this.config, addresses, this.now()) };
  }

  report() {
    return { ...reportFor(this.db, this.now()), plan: planPayouts(this.db) };
  }

  plan(): PlannedPayout[] {
    return planPayouts(this.db);
  }

  async payout(drafting: DraftingService, requester: Requester): Promise<CreatedPayout[]> {
    if (!this.config.poolAddress)
      throw new WalletError('no_pool', 'No reward pool is configured (REWARDS_POOL_ADDRESS).');
    this.reconcile();
    return createPayouts(this.db, drafting, requester, this.config.poolAddress);
  }

  reconcile(): void {
    const result = reconcilePayouts(this.db, this.now());
    if (result.paid || result.returned) this.logger.info(result, 'reward payouts reconciled');
  }
}
