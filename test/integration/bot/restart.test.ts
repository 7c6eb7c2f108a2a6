// `npm start` killed with SIGKILL after the page said "sent": the embedded devnet's chain lives next to the
// database, so the restarted bot continues the same chain, re-sends the lost transaction, and says so once.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DEFAULT_DEVNET_MNEMONIC, devnetAccountKey, devnetKeys } from '../../../devnet/index.js';
import { placeholders } from '../../eval/dataset.js';
import { spawnBot, type BotProcess } from '../../support/bot-process.js';
import { signTransactionLink } from '../../support/http.js';
import { waitFor } from '../../support/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'npm-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The first process makes no block in its lifetime (the longest interval there is), so the signed transaction is
// certainly still in the (memory-only) pool when it dies; the restarted ones make blocks fast, so the re-sent
// transaction confirms without waiting out a slow block.
const start = (blockMs: number) =>
  spawnBot({
    DATABASE_URL: join(dir, 'bot.db'),
    DEVNET_BLOCK_MS: String(blockMs),
    LOG_LEVEL: 'info',
  });
const NO_BLOCKS = 60_000;
const FAST_BLOCKS = 200;

const heightIn = (text: string) => Number(/"height":(\d+)/.exec(text)?.[1] ?? NaN);

it('kill -9 after "sent": the same chain continues, the transaction confirms, the person is told once', async () => {
  const p = placeholders();
  const first = start(NO_BLOCKS);
  let second: BotProcess | null = null;
  let third: BotProcess | null = null;
  try {
    first.child.stdin.write(`send 2 PAC to ${p.$ED1} memo survive\n`);
    // Generous waits for output: a process starting tsx, SQLite and the devnet is slow when the suite runs beside it.
    const draft = (await first.line(60_000)) as { buttons: { type: string; url?: string }[] };
    const url = draft.buttons.find((b) => b.type === 'link')!.url!;
    const key = devnetAccountKey(devnetKeys(DEFAULT_DEVNET_MNEMONIC), 'ed25519-account', 0).key;
    expect((await signTransactionLink(url, key)).status).toBe(200);
    await first.kill(); // before the next block: the pool, and the transaction with it, are gone
    const firstHeight = heightIn(first.stderr());
    expect(existsSync(join(dir, 'devnet-chain.jsonl'))).toBe(true);

    second = start(FAST_BLOCKS);
    second.child.stdin.write("what's my balance\n");
    expect(JSON.stringify(await second.line(60_000))).toMatch(/Balance/);
    expect(second.stderr()).toMatch(/continuing the embedded devnet chain/);
    expect(heightIn(second.stderr())).toBeGreaterThanOrEqual(firstHeight);
    const note = (await second.next(30_000)) as { notification?: boolean; blocks: unknown[] } | null;
    expect(note?.notification).toBe(true);
    expect(JSON.stringify(note!.blocks)).toMatch(/confirmed in block \d+/);
    second.child.stdin.write(`balance of ${p.$ED1}\n`);
    const after = JSON.stringify(await second.line(60_000));
    expect(after).toMatch(/100,002 PAC/); // 100,000 at genesis + the 2 PAC that survived the crash
    expect(await second.next(1500)).toBeNull(); // nothing more: told once
    await second.kill();

    third = start(FAST_BLOCKS);
    third.child.stdin.write("what's my balance\n");
    expect(JSON.stringify(await third.line(60_000))).toMatch(/Balance/);
    // Only the leader's tracker could repeat the note, and the killed second process holds the lease until it
    // expires: wait until this one leads, then give its tracker passes time to say anything.
    await waitFor(() => /this process is the leader/.test(third!.stderr()), 60_000);
    expect(await third.next(3000)).toBeNull(); // a further restart says nothing again
  } finally {
    for (const bot of [first, second, third]) if (bot) await bot.kill();
  }
}, 240_000);
