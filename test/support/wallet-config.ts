import type { WalletConfig } from '../../wallet/config.js';

/**
 * A testnet wallet config for tests and benches: links to nowhere, 10 s blocks, a 3-block unbonding, the real
 * clock; each caller overrides what it is about (its clock, its limits, a devnet's pace).
 */
export function testnetWalletConfig(overrides: Partial<WalletConfig> = {}): WalletConfig {
  return {
    network: 'testnet',
    publicUrl: 'http://127.0.0.1:1',
    linkTtlMs: 15 * 60_000,
    blockIntervalMs: 10_000,
    unbondInterval: 3,
    now: Date.now,
    ...overrides,
  };
}
