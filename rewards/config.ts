import { NANO_PER_PAC } from '../pactus/amount.js';
import type { RewardKind } from '../db/schema.js';

export interface RewardsConfig {
  /** NanoPAC per interaction kind; PIP-44 keeps each within 0.001-0.01 PAC. */
  amounts: Record<RewardKind, bigint>;
  /** Per linked address per UTC day. */
  dailyCap: bigint;
  /** Per person per UTC day: all their chat accounts and every address linked to any of them together. */
  personDailyCap: bigint;
  /** Only people with an address holding at least this much (balance, or a validator's stake) earn. */
  minWeight: bigint;
  /** Rewards wait until an address's unpaid total reaches this, so a payout never costs more than it pays. */
  minPayout: bigint;
  /** All addresses together per UTC day. */
  dailyBudget: bigint;
  /** A chat account earns for one question at most once per cooldown. */
  cooldownMs: number;
  /** The community pool that pays; the bot only drafts, the pool's operator signs. */
  poolAddress: string | null;
}

export const MIN_REWARD = NANO_PER_PAC / 1000n; // 0.001 PAC
export const MAX_REWARD = NANO_PER_PAC / 100n; // 0.01 PAC

export const DEFAULT_REWARDS: RewardsConfig = {
  amounts: { question: MIN_REWARD, transaction: 5n * MIN_REWARD, vote: MAX_REWARD },
  dailyCap: 50n * MIN_REWARD,
  personDailyCap: 50n * MIN_REWARD,
  minWeight: NANO_PER_PAC,
  minPayout: 50n * MIN_REWARD,
  dailyBudget: 10n * NANO_PER_PAC,
  cooldownMs: 60_000,
  poolAddress: null,
};

export function validateRewardAmounts(amounts: Record<RewardKind, bigint>): void {
  for (const [kind, amount] of Object.entries(amounts))
    if (amount < MIN_REWARD || amount > MAX_REWARD)
      throw new Error(`The ${kind} reward must be between 0.001 and 0.01 PAC (PIP-44).`);
}

/** The UTC day a timestamp falls in: caps reset at 00:00 UTC. */
export function utcDay(timestamp: number): string {
  return new Date(timestamp).toISOString().slice(0, 10);
}
