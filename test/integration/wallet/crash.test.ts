import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../db/connection.js';
import { encodeTransactionHex, signTransaction } from '../../../pactus/index.js';
import { PactusNodeClient } from '../../../chain/client.js';
import { startDevnet, type Devnet } from '../../../devnet/index.js';
import {
  createWallet,
  draftById,
  dueOutbox,
  ensureChatAccount,
  markOutboxSent,
  type Wallet,
} from '../../../wallet/index.js';
import { http, linkApi } from '../../support/http.js';
import { PAC, devnetAccount } from '../../support/txs.js';
import { jsonOf, rows } from '../../support/db.js';
import { sql } from 'drizzle-orm';
import { testnetWalletConfig } from '../../support/wallet-config.js';

let devnet: Devnet;
let dir: string;
let db: Db;
let client: PactusNodeClient;
let wallet: Wallet;

beforeAll(async () => {
  devnet = await startDevnet({ blockMs: 200 });
  dir = mkdtempSync(join(tmpdir(), 'pactus-crash-'));
  db = await openDatabase(join(dir, 'bot.db'));
  client = new PactusNodeClient({ endpoints: [devnet.endpoint] });
});
afterAll(async () => {
  client.close();
  await closeDatabase(db);
  await devnet.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function startSignerProcess(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/signer-process.ts'], {
    env: { ...process.env, DATABASE_URL: join(dir, 'bot.db'), PACTUS_GRPC: devnet.endpoint },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`signer process exited with ${code}`)));
  });
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

it('killed between broadcast and confirmation: after restart the draft confirms and is announced exactly once', async () => {
  const first = await startSignerProcess();
  wallet = createWallet({
    db,
    node: client,
    config: testnetWalletConfig({ publicUrl: first.url, blockIntervalMs: 200 }),
    logger: pino({ level: 'silent' }),
  });
  const from = devnetAccount(devnet, 'ed25519-account', 0);
  const req = {
    chatAccountId: await ensureChatAccount(db, { platform: 'console', userId: 'crash' }),
    platform: 'console',
    chatId: null,
  };
  const draft = await wallet.drafting.transfer(req, {
    from: from.address.toString('testnet'),
    to: devnetAccount(devnet, 'ed25519-account', 1).address.toString('testnet'),
    amount: PAC,
  });

  devnet.pauseBlocks(); // the transaction will sit in the pool
  const signed = encodeTransactionHex(signTransaction(draft.tx, from.key));
  const post = await http(linkApi(draft.url), { json: { signedTx: signed } });
  expect(post.status).toBe(200);
  expect(devnet.chain.poolContent().map((t) => t.id)).toContain(draft.view.id);
  await kill(first.child);
  expect((await draftById(db, draft.draftId))!.status).toBe('submitted');

  devnet.resumeBlocks();
  await new Promise((r) => setTimeout(r, 600)); // committed while nobody watches
  expect(devnet.chain.transaction(draft.view.id)).toBeDefined();
  expect((await draftById(db, draft.draftId))!.status).toBe('submitted');

  const second = await startSignerProcess();
  for (let i = 0; i < 100 && (await draftById(db, draft.draftId))!.status !== 'confirmed'; i++)
    await new Promise((r) => setTimeout(r, 50));
  expect(await draftById(db, draft.draftId)).toMatchObject({
    status: 'confirmed',
    blockHeight: devnet.chain.transaction(draft.view.id)!.height,
  });
  await kill(second.child);

  // A third start changes nothing: the notification exists once and is delivered once.
  const third = await startSignerProcess();
  await new Promise((r) => setTimeout(r, 400));
  await kill(third.child);
  const delivered: number[] = [];
  for (let pass = 0; pass < 2; pass++)
    for (const row of await dueOutbox(db, 'console', Date.now()))
      if (await markOutboxSent(db, row.id, Date.now())) delivered.push(row.id);
  expect(delivered).toHaveLength(1);
  const outboxRows = await rows<{ kind: string; payload: string | object }>(
    db,
    'SELECT kind, payload FROM outbox',
  );
  expect(outboxRows).toHaveLength(1);
  expect(jsonOf(outboxRows[0]!.payload)).toMatchObject({ status: 'confirmed', txId: draft.view.id });
});

it('a broadcast the node lost is sent again by the tracker after a restart', async () => {
  const from = devnetAccount(devnet, 'ed25519-account', 2);
  const req = {
    chatAccountId: await ensureChatAccount(db, { platform: 'console', userId: 'lost' }),
    platform: 'console',
    chatId: null,
  };
  const draft = await wallet.drafting.transfer(req, {
    from: from.address.toString('testnet'),
    to: devnetAccount(devnet, 'ed25519-account', 3).address.toString('testnet'),
    amount: PAC,
  });
  // Simulate a crash right after the link was consumed and before the broadcast reached any node.
  const signed = encodeTransactionHex(signTransaction(draft.tx, from.key));
  await rows(
    db,
    sql`UPDATE drafts SET status = 'submitted', signed_tx = ${signed} WHERE id = ${draft.draftId}`,
  );
  const proc = await startSignerProcess();
  for (let i = 0; i < 100 && (await draftById(db, draft.draftId))!.status !== 'confirmed'; i++)
    await new Promise((r) => setTimeout(r, 50));
  await kill(proc.child);
  expect((await draftById(db, draft.draftId))!.status).toBe('confirmed');
});
