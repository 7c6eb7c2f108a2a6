import type { Network } from '../pactus/network.js';

export interface WalletConfig {
  network: Network;
  /** Base URL of the signer page as people reach it (SIGNER_PUBLIC_URL). */
  publicUrl: string;
  /** How long a signing link stays valid (LINK_TTL_MINUTES, default 15 minutes). */
  linkTtlMs: number;
  /** Used to bound a draft's expiry by its lock_time window (10 s on mainnet and testnet). */
  blockIntervalMs: number;
  /** Blocks between unbond and withdraw (181,440 on mainnet; the devnet's own value there). */
  unbondInterval: number;
  /** Wallets one chat account may start linking per 24 hours (LINKS_PER_DAY, default 5). */
  linksPerDay?: number;
  /** Seconds a signed transaction waits for a cancel before broadcast, for people who set none (UNDO_SECONDS; 0). */
  undoDefaultSeconds?: number;
  /** How long loosening a person's limits waits before it takes effect (LIMITS_LOOSEN_DELAY_HOURS; 24 h). */
  loosenDelayMs?: number;
  now: () => number;
}

export const DEFAULT_LINK_TTL_MS = 15 * 60 * 1000;
export const MAINNET_UNBOND_INTERVAL = 181_440;
export const DEFAULT_LINKS_PER_DAY = 5;
