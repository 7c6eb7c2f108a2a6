// Secrets never pass the conversation's entry, whatever door they come through (free text, a typed command, a
// command's or button's arguments, a form, a file's name or text, a group message): the person hears the refusal
// and nothing else; no model, node, log, memory, memo or draft sees the secret. One stack (devnet, SQLite) for all.
import { fakeModel } from '@langchain/core/testing';
import { Writable } from 'node:stream';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyToText, type Reply } from '../../../agents/reply.js';
import { createLogger, loggerOptions, scrub } from '../../../bot/logger.js';
import { ConversationMemory } from '../../../bot/core/memory.js';
import type { ChatEvent } from '../../../bot/core/event.js';
import { closeDatabase, openDatabase, tables, type Db } from '../../../db/connection.js';
import { PactusNodeClient } from '../../../chain/client.js';
import { PrivateKey } from '../../../pactus/keys.js';
import { checkMemo } from '../../../wallet/draft-rules.js';
import { DEFAULT_LINK_TTL_MS, createWallet, type Wallet } from '../../../wallet/index.js';
import { REDACTED, SECRET_REFUSAL, containsSecret } from '../../../pactus/secrets/index.js';
import { WalletError } from '../../../wallet/errors.js';
import { conversationFor, dm, inGroup } from '../../support/app.js';
import {
  bytesToHex,
  layoutArb,
  mnemonicArb,
  privateKeyOf,
  promised,
  renderPhrase,
  seeded,
} from '../../support/secret-forms.js';
import type { Stack } from '../../support/stack.js';
import { waitFor } from '../../support/wait.js';

/**
 * The bot's stores without a chain: a SQLite file, and a node client whose every call is recorded (and fails, as
 * nothing listens there). The point is that a secret never gets as far as any node call.
 */
const logs: string[] = [];
let db: Db;
let dir: string;
let wallet: Wallet;
const nodeCalls: string[] = [];
let stack: Stack;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  db = await openDatabase(join(dir, 'bot.db'));
  const node = new PactusNodeClient({
    endpoints: ['127.0.0.1:9'],
    deadlineMs: 200,
    readAttempts: 1,
    backoffMs: 0,
  });
  for (const name of Object.getOwnPropertyNames(PactusNodeClient.prototype)) {
    const method = (node as unknown as Record<string, unknown>)[name];
    if (name === 'constructor' || typeof method !== 'function') continue;
    (node as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      nodeCalls.push(name);
      return (method as (...a: unknown[]) => unknown).apply(node, args);
    };
  }
  const config = {
    network: 'testnet' as const,
    publicUrl: 'http://127.0.0.1:0',
    linkTtlMs: DEFAULT_LINK_TTL_MS,
    blockIntervalMs: 1000,
    unbondInterval: 20,
    now: Date.now,
  };
  wallet = createWallet({ db, node, config, logger: botLogger() });
  // conversationFor reads only the wallet and the logger of a stack.
  stack = { wallet, logger: botLogger(), db } as unknown as Stack;
});
afterAll(async () => {
  wallet.node.close();
  await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

const to = PrivateKey.fromBytes('ed25519', new Uint8Array(32).fill(3))
  .publicKey()
  .accountAddress()
  .toString('testnet');

/** A logger like the bot's (createLogger's options) writing into `logs`. */
function botLogger() {
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  return pino(loggerOptions('debug'), sink);
}

/** Secrets to send: generated phrases in promised layouts, and keys in each encoding. */
function secrets(count: number): string[] {
  const phrases = fc
    .sample(fc.tuple(mnemonicArb, layoutArb, fc.integer()), { numRuns: count * 4, seed: 31 })
    .filter(([words, layout]) => promised(words, layout))
    .slice(0, count)
    .map(([words, layout, seed]) => renderPhrase(words, layout, seeded(seed)));
  const bytes = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
  const hex = bytesToHex(bytes);
  return [
    ...phrases,
    `my private key is ${hex}`,
    `${hex} is my private key`,
    hex.match(/../g)!.join(':'),
    privateKeyOf('ed25519', bytes).toString('testnet'),
    privateKeyOf('bls', bytes).toString('mainnet').toUpperCase(),
    `privkey ${Buffer.from(bytes).toString('base64')}`,
  ];
}

/** Words of the rendered layouts around a secret ("my seed phrase is: ..."), which a reply may well say. */
const AROUND = new Set(['recovery', 'restore', 'wallet', 'advance', 'backup', 'private', 'privkey']);

/** Long pieces of the secret (8 letters or more, or hex) that a reply, a log or a stored row must not repeat. */
function pieces(secret: string): string[] {
  return secret
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => (w.length >= 8 && !AROUND.has(w)) || /^[0-9a-f]{16,}$/.test(w));
}

function expectRefused(reply: Reply, secret: string) {
  const text = replyToText(reply);
  expect(text).toBe(`✗ ${SECRET_REFUSAL}`);
  expect(reply.buttons).toEqual([]);
  for (const piece of pieces(secret)) expect(text.toLowerCase()).not.toContain(piece);
}

describe('the entry', () => {
  it('refuses a secret through every door, and no model, node, log, memory or draft sees it', async () => {
    const model = fakeModel().respondWithTools([{ name: 'balance', args: {} }]);
    const { conversation } = conversationFor(stack, model);
    nodeCalls.length = 0;
    const { drafts, conversationTurns } = tables(db);
    const all = secrets(12);
    {
      for (const secret of all) {
        const doors: ChatEvent[] = [
          dm(secret, 'door-text'),
          inGroup(`hey bot ${secret}`, 'door-group', 'telegram'),
          {
            ...dm('', 'door-typed'),
            text: undefined,
            commandText: { name: 'send', text: `to: ${to} | amount: 5 | memo: ${secret}` },
          },
          { ...dm('', 'door-ask'), text: undefined, commandText: { name: 'ask', text: secret } },
          {
            ...dm('', 'door-command'),
            text: undefined,
            command: { name: 'send', args: { to, amount: '5', memo: secret } },
          },
          { ...dm('', 'door-form'), text: undefined, command: { name: 'tx_status', args: { id: secret } } },
          {
            ...dm('', 'door-nested'),
            text: undefined,
            command: { name: 'help', args: { topic: { note: secret } } },
          },
          {
            ...dm('check this', 'door-file'),
            attachment: {
              name: 'contract.wat',
              size: 100,
              bytes: new TextEncoder().encode(`(module) ;; ${secret}`),
            },
          },
          {
            ...dm('check this', 'door-name'),
            attachment: {
              name: `${secret}.wasm`,
              size: 8,
              bytes: Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0),
            },
          },
        ];
        for (const event of doors) {
          expect(conversation.isPersonal(event)).toBe(false);
          expectRefused(await conversation.handle(event), secret);
        }
      }
      expect(model.callCount).toBe(0);
      expect(nodeCalls).toEqual([]);
      expect(await db.select().from(drafts)).toEqual([]);
      expect(await db.select().from(conversationTurns)).toEqual([]);
      const logged = logs.join('');
      expect(logged).toContain('refused a message containing a secret');
      for (const secret of all)
        for (const piece of pieces(secret)) expect(logged.toLowerCase()).not.toContain(piece);
    }
  });

  it('a transaction id is still looked up, and ordinary words still reach the model', async () => {
    const model = fakeModel().respondWithTools([{ name: 'balance', args: { address: to } }]);
    const { conversation } = conversationFor(stack, model);
    const id = 'a57ae2db8d361504b6b97803cdf2bc27561fde536f49683cdbcbb23ceaded0ae';
    nodeCalls.length = 0;
    expect(replyToText(await conversation.handle(dm(`status of ${id}`, 'txer')))).not.toBe(
      `✗ ${SECRET_REFUSAL}`,
    );
    expect(replyToText(await conversation.handle(dm(id, 'txer')))).not.toBe(`✗ ${SECRET_REFUSAL}`);
    expect(nodeCalls.filter((c) => c === 'getTransaction')).toHaveLength(2);
    const asked = await conversation.handle(
      dm('what is a seed phrase, and why should I never share my recovery words with anyone', 'txer'),
    );
    expect(replyToText(asked), replyToText(asked)).not.toBe(`✗ ${SECRET_REFUSAL}`);
    expect(model.callCount, replyToText(asked)).toBe(1);
  });
});

describe('the stores', () => {
  it('a memo that holds a key or recovery words is refused in its own words; an ordinary memo passes', () => {
    for (const memo of [
      'aban abil able abou abov abse abso abst absu abus',
      'seed: legal winner thank year wave sausage worth useful',
      `privkey ${Buffer.from(Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 3)).toString('base64')}`,
    ]) {
      let error: unknown;
      try {
        checkMemo(memo);
      } catch (e) {
        error = e;
      }
      expect(error, memo).toBeInstanceOf(WalletError);
      expect((error as WalletError).code).toBe('secret_in_memo');
      expect((error as Error).message).not.toContain(memo.slice(0, 8));
    }
    expect(checkMemo('rent for may')).toBe('rent for may');
  });

  it('conversation memory keeps no secret, not even half of one cut at its length limit', async () => {
    const memory = new ConversationMemory(db);
    const phrase = fc.sample(mnemonicArb, { numRuns: 1, seed: 5 })[0]!.join(' ');
    await memory.remember('console:mem', `${'x'.repeat(480)} ${phrase}`, `it is ${phrase}`);
    const { conversationTurns: turns } = tables(db);
    const rows = await db.select().from(turns).where(eq(turns.key, 'console:mem'));
    expect(rows).toHaveLength(1);
    for (const text of [rows[0]!.userText, rows[0]!.botText]) {
      expect(containsSecret(text)).toBe(false);
      for (const piece of pieces(phrase)) expect(text).not.toContain(piece);
    }
    expect(rows[0]!.botText).toBe(`it is ${REDACTED}`);
  });

  it("the bot's logger cuts secrets out of messages, fields, nested values and errors; other text is untouched", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-'));
    try {
      const file = join(dir, 'bot.log');
      const logger = createLogger('info', file);
      const all = secrets(6);
      for (const secret of all) {
        logger.info(`got ${secret}`);
        logger.info({ input: secret, nested: { deeper: [secret] } }, 'turn');
        logger.error({ err: new Error(`cannot parse ${secret}`) }, 'failed');
      }
      logger.info({ tx: 'a57ae2db8d361504b6b97803cdf2bc27561fde536f49683cdbcbb23ceaded0ae' }, 'status asked');
      const lines = all.length * 3 + 1;
      const text = await waitFor(() => {
        logger.flush();
        const written = existsSync(file) ? readFileSync(file, 'utf8') : '';
        return written.split('\n').filter(Boolean).length === lines && written;
      });
      for (const secret of all)
        for (const piece of pieces(secret)) expect(text.toLowerCase()).not.toContain(piece);
      expect(text).toContain(REDACTED);
      expect(text).toContain('a57ae2db8d361504b6b97803cdf2bc27561fde536f49683cdbcbb23ceaded0ae');
      expect(text).toContain('"stack"'); // errors stay errors
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a Telegram update is stored without its secret, and answered from that copy with the refusal', async () => {
    const [phrase] = secrets(1);
    const update = {
      update_id: 1,
      message: { message_id: 2, chat: { id: 3, type: 'private' }, text: phrase },
    };
    const stored = scrub(update, 0) as typeof update;
    expect(stored.message.text).not.toBe(phrase);
    expect(containsSecret(JSON.stringify(stored))).toBe(false);
    expect(update.message.text).toBe(phrase); // the live update is not changed
    const { conversation } = conversationFor(stack);
    expectRefused(await conversation.handle(dm(stored.message.text!, 'tg')), phrase!);
  });
});
