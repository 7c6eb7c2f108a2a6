// Rewards: accrual throughput (each an IMMEDIATE SQLite transaction with cap checks) and payout planning.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openDatabase } from '../db/connection.js';
import { NANO_PER_PAC } from '../pactus/amount.js';
import { accrue } from '../rewards/ledger.js';
import { DEFAULT_REWARDS } from '../rewards/config.js';
import { Address, AddressType } from '../pactus/address.js';
import { planPayouts } from '../rewards/payouts.js';
import type { ChainReader } from '../rewards/weight.js';
import { heading } from './harness.js';

export async function run(): Promise<void> {
  heading('rewards (SQLite file, WAL)');
  const dir = mkdtempSync(join(tmpdir(), 'bench-rewards-'));
  const db = await openDatabase(join(dir, 'bot.db'));
  const config = { ...DEFAULT_REWARDS, dailyBudget: 1_000_000n * NANO_PER_PAC };
  const now = Date.now();
  const n = 20_000;
  const addresses = Array.from({ length: 5000 }, (_, i) => {
    const hash = new Uint8Array(20);
    new DataView(hash.buffer).setUint32(0, i + 1);
    return Address.fromHash(AddressType.Ed25519Account, hash).toString('testnet');
  });
  const started = performance.now();
  for (let i = 0; i < n; i++)
    await accrue(db, config, {
      address: addresses[i % 5000]!,
      chatAccountId: null,
      kind: 'transaction',
      dedupeKey: `k${i}`,
      now,
    });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${'accruals (5,000 addresses, caps checked)'.padEnd(44)} ${Math.round(n / seconds).toLocaleString('en-US')} per second`,
  );
  const planStarted = performance.now();
  // Account addresses are paid as they are: planning asks the node only about validator addresses.
  const noNode: ChainReader = {
    getAccount: () => Promise.reject(new Error('not asked for accounts')),
    findValidator: () => Promise.reject(new Error('not asked for accounts')),
  };
  const plan = await planPayouts(db, noNode, { minPayout: config.minPayout, poolAddress: null });
  console.log(
    `${'plan payouts for 20,000 unpaid rewards'.padEnd(44)} ${(performance.now() - planStarted).toFixed(0)} ms -> ${plan.batches.length} transactions, ${plan.held.length} accounts held below the minimum payout`,
  );
  await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}
