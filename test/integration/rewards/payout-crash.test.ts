// rewards:payout from the CLI against a running bot (its own process), killed mid-payout: after the restart
// nothing is paid twice and nothing is lost.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../db/connection.js';
import { PrivateKey } from '../../../pactus/index.js';
import { PactusNodeClient } from '../../../chain/client.js';
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../../devnet/index.js';
import { accrue } from '../../../rewards/ledger.js';
import { DEFAULT_REWARDS } from '../../../rewards/config.js';
import { http, signTransactionLink } from '../../support/http.js';
import { waitFor } from '../../support/wait.js';
import { devnetAccount } from '../../support/txs.js';
import { rows } from '../../support/db.js';
import { freePort } from '../../support/ports.js';

let devnet: Devnet;
let dir: string;
let db: Db;
let client: PactusNodeClient;
let port: number;
const PAC = 1_000_000_000n;

const env = () => ({
  ...process.env,
  PACTUS_GRPC: devnet.endpoint,
  DATABASE_URL: join(dir, 'bot.db'),
  SIGNER_PORT: String(port),
  SIGNER_PUBLIC_URL: `http://127.0.0.1:${port}`,
  REWARDS_POOL_ADDRESS: pool().address.toString('testnet'),
  REWARDS_MIN_PAYOUT_PAC: '0.01', // each address is owed 0.015 PAC
  CONSOLE: 'false',
  DISCORD_TOKEN: '',
  TELEGRAM_TOKEN: '',
  LOG_LEVEL: 'warn',
  UNDO_SECONDS: '0', // the payout is broadcast as soon as it is signed
});
const pool = () => devnetAccount(devnet, 'bls-account', DEVNET_ROLES.rewardPool);

async function startBot(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    env: env(),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    if ((await http(`http://127.0.0.1:${port}/healthz`).catch(() => ({ status: 0 }))).status === 200)
      return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('bot did not start');
}

const kill = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL')));
const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['bin/pactus-bot.js', ...args], { env: env() });
const statuses = async () =>
  (
    await rows<{ status: string; n: number | string }>(
      db,
      'SELECT status, COUNT(*) AS n FROM rewards GROUP BY status',
    )
  ).map((r) => ({ status: r.status, n: Number(r.n) }));

const sign = async (url: string): Promise<number> => (await signTransactionLink(url, pool().key)).status;

beforeAll(async () => {
  devnet = await startDevnet({ blockMs: 200 });
  dir = mkdtempSync(join(tmpdir(), 'payout-crash-'));
  db = await openDatabase(join(dir, 'bot.db'));
  client = new PactusNodeClient({ endpoints: [devnet.endpoint] });
  port = await freePort();
});
afterAll(async () => {
  client.close();
  await closeDatabase(db);
  await devnet.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('killed between broadcast and confirmation of a payout: nothing paid twice, nothing lost', async () => {
  const addresses = Array.from({ length: 11 }, (_, i) =>
    PrivateKey.fromBytes('ed25519', new Uint8Array(32).fill(150 + i))
      .publicKey()
      .accountAddress()
      .toString('testnet'),
  );
  for (const [i, address] of addresses.entries()) {
    await accrue(db, DEFAULT_REWARDS, {
      address,
      chatAccountId: null,
      kind: 'vote',
      dedupeKey: `v${i}`,
      now: Date.now(),
    });
    await accrue(db, DEFAULT_REWARDS, {
      address,
      chatAccountId: null,
      kind: 'transaction',
      dedupeKey: `t${i}`,
      now: Date.now(),
    });
  }
  const owed = DEFAULT_REWARDS.amounts.vote + DEFAULT_REWARDS.amounts.transaction;

  let bot = await startBot();
  const plan = JSON.parse((await cli('rewards:payout', '--dry-run')).stdout) as {
    transactions: number;
    plan: { recipients: unknown[] }[];
  };
  expect(plan.transactions).toBe(2);
  expect(plan.plan.map((p) => p.recipients.length)).toEqual([8, 3]);
  const urls = [
    ...(await cli('rewards:payout')).stdout.matchAll(/(http:\/\/\S+\/s\/[A-Za-z0-9_-]{43})/g),
  ].map((m) => m[1]!);
  expect(urls).toHaveLength(2);
  expect(await statuses()).toEqual([{ status: 'pending', n: 22 }]);

  const before = await Promise.all(addresses.map((a) => client.getBalance(a)));
  devnet.pauseBlocks();
  expect(await sign(urls[0]!)).toBe(200);
  await kill(bot); // the batch is in the pool; nobody is watching it
  devnet.resumeBlocks();
  await waitFor(async () => (await client.getBalance(addresses[0]!)) > before[0]!);

  bot = await startBot();
  await waitFor(async () => (await statuses()).find((s) => s.status === 'paid' && s.n === 16));
  expect((await cli('rewards:payout')).stdout).toMatch(/Nothing to pay/); // the other 3 are still in their own payout
  expect(await sign(urls[1]!)).toBe(200);
  await waitFor(async () => {
    const now = await statuses();
    return now.length === 1 && now[0]!.status === 'paid' && now[0]!.n === 22;
  });
  await kill(bot);

  const after = await Promise.all(addresses.map((a) => client.getBalance(a)));
  after.forEach((balance, i) => expect(balance - before[i]!).toBe(owed));
  expect(owed).toBe((15n * PAC) / 1000n);
}, 90_000);
