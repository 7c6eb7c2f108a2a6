// `npm start` on its embedded defaults (devnet, rules model, console) in JSON-lines mode, as a script would use it.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { expect, it } from 'vitest';
import { DEFAULT_DEVNET_MNEMONIC, devnetAccountKey, devnetKeys } from '../../../devnet/index.js';
import { placeholders } from '../../eval/dataset.js';
import { spawnBot } from '../../support/bot-process.js';
import { signTransactionLink } from '../../support/http.js';

it('npm start: a JSON Reply per line, a real signing link, and the confirmation arriving on stdout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  const bot = spawnBot({ DATABASE_URL: join(dir, 'bot.db'), DEVNET_BLOCK_MS: '200', LOG_LEVEL: 'info' });
  try {
    const p = placeholders();
    bot.child.stdin.write("what's my balance\n");
    const balance = await bot.line();
    expect(JSON.stringify(balance)).toContain(p.$ED0);
    expect(bot.stderr()).toContain(DEFAULT_DEVNET_MNEMONIC); // the banner (stderr in JSON mode)
    expect(bot.stderr()).toContain('embedded devnet');

    bot.child.stdin.write(`send 1.5 PAC to ${p.$ED1} memo hello\n`);
    const draft = (await bot.line()) as { visibility: string; buttons: { type: string; url?: string }[] };
    expect(draft.visibility).toBe('private');
    const url = draft.buttons.find((b) => b.type === 'link')!.url!;
    const key = devnetAccountKey(devnetKeys(DEFAULT_DEVNET_MNEMONIC), 'ed25519-account', 0).key;
    expect((await signTransactionLink(url, key)).status).toBe(200);
    const note = (await bot.line()) as { notification?: boolean; blocks: { text?: string }[] };
    expect(note.notification).toBe(true);
    expect(JSON.stringify(note.blocks)).toMatch(/confirmed in block \d+/);
    bot.child.stdin.end();
    expect(await bot.exited()).toBe(0);
    expect(bot.stderr()).not.toMatch(new RegExp(url.split('/s/')[1]!));
  } finally {
    await bot.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

it('`echo help | npm start`: one answer and a quiet exit, the manifest anchor in flight stopped before the devnet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  // Blocks a second apart (the default): the anchoring is still waiting on its block when stdin ends.
  const bot = spawnBot({ DATABASE_URL: join(dir, 'bot.db'), LOG_LEVEL: 'info' });
  try {
    bot.child.stdin.end('help\n');
    expect(JSON.stringify(await bot.line())).toMatch(/help <section>/);
    expect(await bot.exited()).toBe(0);
    expect(bot.stderr()).not.toMatch(/"level":(?:40|50|60)/);
  } finally {
    await bot.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

it('the console takes "/command args" lines, as buttons are shown there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  const bot = spawnBot({ DATABASE_URL: join(dir, 'bot.db'), DEVNET_BLOCK_MS: '200', LOG_LEVEL: 'warn' });
  try {
    bot.child.stdin.write(`send 1 PAC to ${placeholders().$ED1}\n`);
    const draft = (await bot.line()) as {
      buttons: { type: string; action?: string; args?: { draft: string } }[];
    };
    const cancel = draft.buttons.find((b) => b.type === 'action')!;
    bot.child.stdin.write(`/cancel ${cancel.args!.draft}\n`);
    expect(JSON.stringify(await bot.line())).toMatch(/Cancelled/);
    bot.child.stdin.write('/fee\n');
    expect(JSON.stringify(await bot.line())).toMatch(/0\.01 PAC/);
    bot.child.stdin.end();
    expect(await bot.exited()).toBe(0);
  } finally {
    await bot.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

it('reads its settings from a .env in the working directory (the environment still wins)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dot-env-'));
  // .env.example copied as the README says, with a database of this test's own.
  const example = readFileSync('.env.example', 'utf8')
    .replace(/^DATABASE_URL=.*$/m, `DATABASE_URL=${join(dir, 'from-dot-env.db')}`)
    .replace(/^DEVNET_BLOCK_MS=.*$/m, 'DEVNET_BLOCK_MS=200')
    .replace(/^LOG_LEVEL=.*$/m, 'LOG_LEVEL=warn')
    .replace(/^DEVNET_MNEMONIC=.*$/m, `DEVNET_MNEMONIC=${generateMnemonic(wordlist)}`);
  writeFileSync(join(dir, '.env'), example);
  const bot = spawnBot({ DEVNET_MNEMONIC: DEFAULT_DEVNET_MNEMONIC }, { cwd: dir });
  try {
    bot.child.stdin.write('/fee\n');
    expect(JSON.stringify(await bot.line())).toMatch(/0\.01 PAC/);
    expect(existsSync(join(dir, 'from-dot-env.db'))).toBe(true);
    expect(bot.stderr()).toContain(DEFAULT_DEVNET_MNEMONIC);
    bot.child.stdin.end();
    expect(await bot.exited()).toBe(0);
  } finally {
    await bot.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
