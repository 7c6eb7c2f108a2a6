// `npm start` on its embedded defaults (devnet, rules model, console) in JSON-lines mode, as a script would use it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { DEFAULT_DEVNET_MNEMONIC } from '../../../pactus/node/devnet/index.js';
import { placeholders } from '../../eval/dataset.js';
import { http } from '../../support/http.js';
import { decodeTransactionHex, encodeTransactionHex, signTransaction } from '../../../pactus/index.js';
import { devnetKeys } from '../../../pactus/node/devnet/genesis.js';

it('npm start: a JSON Reply per line, a real signing link, and the confirmation arriving on stdout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: join(dir, 'bot.db'),
      SIGNER_PORT: '0',
      DEVNET_BLOCK_MS: '200',
      LOG_LEVEL: 'info',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no output; stderr: ${stderr.slice(-2000)}`)), 20_000);
      lines.once('line', (l) => {
        clearTimeout(timer);
        resolve(JSON.parse(l) as Record<string, unknown>);
      });
    });
  try {
    const p = placeholders();
    child.stdin.write("what's my balance\n");
    const balance = await next();
    expect(JSON.stringify(balance)).toContain(p.$ED0);
    expect(stderr).toContain(DEFAULT_DEVNET_MNEMONIC); // the banner (stderr in JSON mode)
    expect(stderr).toContain('embedded devnet');

    child.stdin.write(`send 1.5 PAC to ${p.$ED1} memo hello\n`);
    const draft = (await next()) as { visibility: string; buttons: { type: string; url?: string }[] };
    expect(draft.visibility).toBe('private');
    const url = draft.buttons.find((b) => b.type === 'link')!.url!;
    const link = await http<{ unsignedTx: string }>(url.replace('/s/', '/api/links/'));
    const key = devnetKeys(DEFAULT_DEVNET_MNEMONIC).accounts[0]!.key;
    const post = await http(url.replace('/s/', '/api/links/'), {
      json: {
        signedTx: encodeTransactionHex(signTransaction(decodeTransactionHex(link.body.unsignedTx), key)),
      },
    });
    expect(post.status).toBe(200);
    const note = (await next()) as { notification?: boolean; blocks: { text?: string }[] };
    expect(note.notification).toBe(true);
    expect(JSON.stringify(note.blocks)).toMatch(/confirmed in block \d+/);
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(stderr).not.toMatch(new RegExp(url.split('/s/')[1]!));
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

it('the console takes "/command args" lines, as buttons are shown there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: join(dir, 'bot.db'),
      SIGNER_PORT: '0',
      DEVNET_BLOCK_MS: '200',
      LOG_LEVEL: 'warn',
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const lines = createInterface({ input: child.stdout });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve) =>
      lines.once('line', (l) => resolve(JSON.parse(l) as Record<string, unknown>)),
    );
  try {
    child.stdin.write(`send 1 PAC to ${placeholders().$ED1}\n`);
    const draft = (await next()) as {
      buttons: { type: string; action?: string; args?: { draft: string } }[];
    };
    const cancel = draft.buttons.find((b) => b.type === 'action')!;
    child.stdin.write(`/cancel ${cancel.args!.draft}\n`);
    expect(JSON.stringify(await next())).toMatch(/Cancelled/);
    child.stdin.write('/fee\n');
    expect(JSON.stringify(await next())).toMatch(/0\.01 PAC/);
    child.stdin.end();
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
