// Accrues rewards from its own process and database connection, for the cross-process cap test.
import { closeDatabase, openDatabase } from '../../db/connection.js';
import { accrue } from '../../rewards/ledger.js';
import type { RewardsConfig } from '../../rewards/config.js';

const [dbPath, worker, count, addressCount, now] = process.argv.slice(2);
const db = await openDatabase(dbPath!);
const config = JSON.parse(process.env.REWARDS_CONFIG!, (k, v) =>
  typeof v === 'string' && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
) as RewardsConfig;
let granted = 0n;
for (let i = 0; i < Number(count); i++) {
  const address = `addr-${i % Number(addressCount)}`;
  const r = await accrue(db, config, {
    address,
    chatAccountId: null,
    kind: 'transaction',
    dedupeKey: `w${worker}:${i}`,
    now: Number(now),
  });
  granted += r.granted;
}
process.stdout.write(`${granted}\n`);
await closeDatabase(db);
