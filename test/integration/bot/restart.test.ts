// `npm start` killed with SIGKILL after the page said "sent": the embedded devnet's chain lives next to the
// database, so the restarted bot continues the same chain, re-sends the lost transaction, and says so once.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, it } from 'vitest';
import { decodeTransactionHex, encodeTransactionHex, signTransaction } from '../../../pactus/index.js';
import { DEFAULT_DEVNET_MNEMONIC } from '../../../pactus/node/devnet/index.js';
import { devnetKeys } from '../../../pactus/node/devnet/genesis.js';
import { placeholders } from '../../eval/dataset.js';
import { http } from '../../support/http.js';

const dir = mkdtempSync(join(tmpdir(), 'npm-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Bot {
  child: ChildProcessWithoutNullStreams;
  next(timeoutMs?: number): Promise<Record<string, unknown> | null>;
  stderr(): string;
}

function start(): Bot {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: join(dir, 'bot.db'),
      SIGNER_PORT: '0',
      // Slow blocks, so the signed transaction is still in the (memory-only) pool when the process dies.
      DEVNET_BLOCK_MS: '2500',
      LOG_LEVEL: 'info',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const queue: Record<string, unknown>[] = [];
  const waiters: ((v: Record<string, unknown>) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    const value = JSON.parse(l) as Record<string, unknown>;
    const waiter = waiters.shift();
    if (waiter) waiter(value);
    else queue.push(value);
  });
  return {
    child,
    stderr: () => stderr,
    next: (timeoutMs = 20_000) =>
      queue.length
        ? Promise.resolve(queue.shift()!)
        : new Promise((resolve) => {
            const timer = setTimeout(() => resolve(null), timeoutMs);
            waiters.push((v) => {
              clearTimeout(timer);
              resolve(v);
            });
          }),
  };
}

const kill = (bot: Bot) =>
  new Promise<void>((resolve) => {
    if (bot.child.exitCode !== null || bot.child.signalCode !== null) return resolve();
    bot.child.once('exit', () => resolve());
    bot.child.kill('SIGKILL');
  });

const heightIn = (text: string) => Number(/"height":(\d+)/.exec(text)?.[1] ?? NaN);

it('kill -9 after "sent": the same chain continues, the transaction confirms, the person is told once', async () => {
  const p = placeholders();
  const first = start();
  let second: Bot | null = null;
  let third: Bot | null = null;
  try {
    first.child.stdin.write(`send 2 PAC to ${p.$ED1} memo survive\n`);
    const draft = (await first.next()) as { buttons: { type: string; url?: string }[] };
    const url = draft.buttons.find((b) => b.type === 'link')!.url!;
    const api = url.replace('/s/', '/api/links/');
    const link = await http<{ unsignedTx: string }>(api);
    const key = devnetKeys(DEFAULT_DEVNET_MNEMONIC).accounts[0]!.key;
    const signed = signTransaction(decodeTransactionHex(link.body.unsignedTx), key);
    expect((await http(api, { json: { signedTx: encodeTransactionHex(signed) } })).status).toBe(200);
    await kill(first); // before the next block: the pool, and the transaction with it, are gone
    const firstHeight = heightIn(first.stderr());
    expect(existsSync(join(dir, 'devnet-chain.jsonl'))).toBe(true);

    second = start();
    second.child.stdin.write("what's my balance\n");
    expect(JSON.stringify(await second.next())).toMatch(/Balance/);
    expect(second.stderr()).toMatch(/continuing the embedded devnet chain/);
    expect(heightIn(second.stderr())).toBeGreaterThanOrEqual(firstHeight);
    const note = (await second.next(30_000)) as { notification?: boolean; blocks: unknown[] } | null;
    expect(note?.notification).toBe(true);
    expect(JSON.stringify(note!.blocks)).toMatch(/confirmed in block \d+/);
    second.child.stdin.write(`balance of ${p.$ED1}\n`);
    const after = JSON.stringify(await second.next());
    expect(after).toMatch(/100,002 PAC/); // 100,000 at genesis + the 2 PAC that survived the crash
    expect(await second.next(1500)).toBeNull(); // nothing more: told once
    await kill(second);

    third = start();
    third.child.stdin.write("what's my balance\n");
    await third.next();
    expect(await third.next(3000)).toBeNull(); // a further restart says nothing again
  } finally {
    for (const bot of [first, second, third]) if (bot) await kill(bot);
  }
}, 120_000);
