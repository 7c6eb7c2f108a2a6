// Bytes from outside that the bot must not hold whole: a file whose declared size lies (or is missing, as Telegram
// allows), a flood of files, and webhook bodies of any size and nesting. Real HTTP servers on loopback; the bot's
// own download and webhook code.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import pino from 'pino';
import type { Update } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainedOrClosed } from '../../support/emulators/telegram.js';
import { MAX_CONTRACT_FILE } from '../../../agents/actions/contracts.js';
import {
  DOWNLOADS_AT_ONCE,
  DOWNLOADS_WAITING,
  DownloadFailed,
  fetchAttachment,
} from '../../../bot/core/attachments.js';
import {
  MAX_UPDATE_BYTES,
  MAX_UPDATE_DEPTH,
  isTransient,
  nestingDeeperThan,
  startWebhookServer,
  waitingOutRateLimits,
} from '../../../bot/telegram/transport.js';
import { TelegramError } from 'telegraf';

const silent = pino({ level: 'silent' });

/** A file server whose answers each test shapes; it records how much of each body it wrote before the close. */
let files: Server;
let base = '';
const served: { path: string; bytes: number; completed: boolean }[] = [];
let route: (path: string, res: ServerResponse, record: { bytes: number }) => Promise<void> = async () => {};

/** Writes `total` bytes in 64 KiB chunks, minding backpressure; with `length`, declares that Content-Length. */
async function stream(res: ServerResponse, record: { bytes: number }, total: number, length?: number) {
  res.writeHead(200, length === undefined ? {} : { 'content-length': length });
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  while (record.bytes < total && !res.destroyed) {
    const part = chunk.subarray(0, Math.min(chunk.length, total - record.bytes));
    record.bytes += part.length;
    if (!res.write(part)) await drainedOrClosed(res);
  }
  if (!res.destroyed) res.end();
}

beforeAll(async () => {
  files = createServer((req, res) => {
    const record = { path: req.url ?? '', bytes: 0, completed: false };
    served.push(record);
    res.on('finish', () => (record.completed = true));
    void route(record.path, res, record);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  files.closeAllConnections();
  await new Promise<void>((resolve) => files.close(() => resolve()));
});

describe('a contract file as the chat downloads it', () => {
  const wat = { name: 'contract.wat', size: 100 };

  it('a body larger than the platform declared (with its true length, or none at all) is cut off past the limit, never read whole', async () => {
    const sizes = [MAX_CONTRACT_FILE + 1, 3 * MAX_CONTRACT_FILE, 64 * MAX_CONTRACT_FILE];
    for (const total of sizes)
      for (const declare of [undefined, 'honest'] as const) {
        route = (_, res, record) => stream(res, record, total, declare === 'honest' ? total : undefined);
        served.length = 0;
        const before = process.memoryUsage().arrayBuffers;
        const got = await fetchAttachment(wat, async () => `${base}/f`).catch((e: unknown) => e);
        const grew = process.memoryUsage().arrayBuffers - before;
        expect(got).toMatchObject({ name: 'contract.wat', bytes: null });
        expect((got as { size: number }).size).toBeGreaterThan(MAX_CONTRACT_FILE);
        await new Promise((r) => setTimeout(r, 20));
        expect(served[0]!.completed && total > 4 * MAX_CONTRACT_FILE).toBe(false);
        // Heap outside V8 grew by a bounded amount, not by the body (up to 64 MiB here).
        expect(grew).toBeLessThan(8 * MAX_CONTRACT_FILE);
      }
  });

  it('a body within the limit arrives byte for byte, its size the bytes that came', async () => {
    for (const total of [0, 1, 65_535, 65_537, MAX_CONTRACT_FILE]) {
      route = (_, res, record) => stream(res, record, total, total);
      const got = await fetchAttachment({ name: 'c.wasm', size: 0 }, async () => `${base}/ok`);
      expect(got.size).toBe(total);
      expect(got.bytes?.length).toBe(total);
    }
  });

  it('a file declared too large, or not a contract, is not downloaded at all', async () => {
    served.length = 0;
    route = (_, res, record) => stream(res, record, 10);
    expect(
      await fetchAttachment({ name: 'c.wat', size: MAX_CONTRACT_FILE + 1 }, async () => `${base}/x`),
    ).toMatchObject({ bytes: null });
    expect(await fetchAttachment({ name: 'c.exe', size: 10 }, async () => `${base}/x`)).toMatchObject({
      bytes: null,
    });
    expect(served).toEqual([]);
  });

  it('an error status, a refused connection or a body cut short is a DownloadFailed (the person hears so)', async () => {
    route = async (_, res) => void res.writeHead(502).end('bad gateway');
    await expect(fetchAttachment(wat, async () => `${base}/x`)).rejects.toBeInstanceOf(DownloadFailed);
    await expect(fetchAttachment(wat, async () => 'http://127.0.0.1:1/x')).rejects.toBeInstanceOf(
      DownloadFailed,
    );
    route = async (_, res) => {
      res.writeHead(200, { 'content-length': 1000 });
      res.write(new Uint8Array(10));
      res.destroy();
    };
    await expect(fetchAttachment(wat, async () => `${base}/x`)).rejects.toBeInstanceOf(DownloadFailed);
  });

  it(`a flood of files: at most ${DOWNLOADS_AT_ONCE} download at once, ${DOWNLOADS_WAITING} wait, the rest are refused`, async () => {
    let open = 0;
    let most = 0;
    const release: (() => void)[] = [];
    route = async (_, res) => {
      most = Math.max(most, ++open);
      await new Promise<void>((resolve) => release.push(resolve));
      open--;
      res.writeHead(200).end('(module)');
    };
    const flood = DOWNLOADS_AT_ONCE + DOWNLOADS_WAITING + 8;
    const all = Array.from({ length: flood }, () =>
      fetchAttachment(wat, async () => `${base}/slow`).then(
        (a) => a.bytes?.length ?? -1,
        (e: unknown) => (e instanceof DownloadFailed ? 'refused' : String(e)),
      ),
    );
    for (let done = 0; done < DOWNLOADS_AT_ONCE + DOWNLOADS_WAITING;) {
      await new Promise((r) => setTimeout(r, 10));
      while (release.length) {
        release.shift()!();
        done++;
      }
    }
    const outcomes = await Promise.all(all);
    expect(most).toBe(DOWNLOADS_AT_ONCE);
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(8);
    expect(outcomes.filter((o) => o === 8)).toHaveLength(DOWNLOADS_AT_ONCE + DOWNLOADS_WAITING);
    // The slots are all free again: the next file downloads at once.
    route = async (_, res) => void res.writeHead(200).end('(module)');
    expect((await fetchAttachment(wat, async () => `${base}/after`)).bytes?.length).toBe(8);
  });
});

/** Depth of a parsed JSON value as nestingDeeperThan counts it: objects and arrays only. */
function depthOf(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

describe('the Telegram webhook takes only what Telegram could send', () => {
  const secret = 'webhook-secret-for-tests';
  let server: Server;
  let url = '';
  const received: Update[] = [];

  beforeAll(async () => {
    server = await startWebhookServer(async (update) => void received.push(update), silent, {
      path: '/hook',
      secret,
      port: 0,
      host: '127.0.0.1',
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const post = (body: string | ReadableStream<Uint8Array>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'x-telegram-bot-api-secret-token': secret, 'content-type': 'application/json' },
      body,
      ...(typeof body !== 'string' && { duplex: 'half' }),
    }).then(
      (r) => r.status,
      () => 'closed' as const,
    );
  const update = (id: number) => ({
    update_id: id,
    message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, from: { id: 5 }, text: 'hi' },
  });

  it('the nesting count agrees with the parsed depth on generated JSON (brackets and escapes inside strings too)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 0, max: 14 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(nestingDeeperThan(text, limit)).toBe(depthOf(value) > limit);
      }),
      { numRuns: 400 },
    );
    expect(nestingDeeperThan(JSON.stringify({ a: '[[[{{{\\"[[' }), 1)).toBe(false);
  });

  it('a body past the limit is refused (413) as it streams, without being kept; the next update is taken', async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // 64 MiB unless the server stops reading: the bound is the server's, not this stream's.
        if (sent >= 64 * MAX_UPDATE_BYTES) return controller.close();
        const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const status = await post(body);
    expect([413, 'closed']).toContain(status);
    expect(sent).toBeLessThan(32 * MAX_UPDATE_BYTES);
    const padded = JSON.stringify({ ...update(10), pad: ' '.repeat(MAX_UPDATE_BYTES) });
    expect(await post(padded)).toBe(413);
    expect(received).toEqual([]);
    expect(await post(JSON.stringify(update(11)))).toBe(200);
    expect(received.map((u) => u.update_id)).toEqual([11]);
  });

  it('generated hostile shapes get a 400 and reach nothing; Telegram-shaped ones within the limits are taken', async () => {
    received.length = 0;
    const deep = (n: number, open: string, close: string) => open.repeat(n) + close.repeat(n);
    const hostile = [
      deep(100_000, '[', ']'),
      `{"update_id":1,"message":${deep(MAX_UPDATE_DEPTH + 1, '{"a":', '}').replace(/}$/, '1}')}}`,
      `{"update_id":2,"x":${deep(50_000, '{"a":', '}').replace(/:}/, ':1}')}}`,
      'null',
      '"just a string"',
      '[1,2,3]',
      '{"update_id":"3"}',
      '{"update_id":1e300}',
      '{"update_id":4.5}',
      '{"update_id":5,"message":null}',
      '{"update_id":6,"message":{"text":"no chat"}}',
      '{"update_id":7,"message":{"chat":{"id":"5"}}}',
      '{"update_id":8,"callback_query":{"data":"x"}}',
      '{"update_id":9',
      '',
    ];
    for (const body of hostile) expect(await post(body), body.slice(0, 60)).toBe(400);
    expect(received).toEqual([]);
    // Telegram's largest ordinary update: a 4,096-character text answering another one, every character escaped.
    const big = {
      ...update(12),
      message: {
        ...update(12).message,
        text: '\u{1F600}'.repeat(2048),
        entities: Array.from({ length: 100 }, (_, i) => ({ type: 'bold', offset: i * 2, length: 2 })),
        reply_to_message: { ...update(1).message, text: '"\\'.repeat(2048) },
      },
    };
    expect(
      await post(JSON.stringify(big).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)),
    ).toBe(200);
    expect(received.map((u) => u.update_id)).toEqual([12]);
  });
});

describe('a Bot API call through an outage', () => {
  const telegramError = (code: number) =>
    new TelegramError({ ok: false, error_code: code, description: 'x' } as never);

  it('only a Telegram 5xx or a connection that never opened is retried; anything that may have acted is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), (code) => {
        expect(isTransient(telegramError(code))).toBe(code >= 500);
      }),
    );
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])
      expect(isTransient(Object.assign(new Error(code), { code }))).toBe(true);
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', undefined, 500])
      expect(isTransient(Object.assign(new Error('cut'), { code }))).toBe(false);
    expect(isTransient(null)).toBe(false);
  });

  it('a call failing with 5xx is tried until it answers, once it answers not again, and gives up after its patience', async () => {
    let calls = 0;
    const result = await waitingOutRateLimits(async () => {
      if (++calls < 3) throw telegramError(502);
      return 'sent';
    }, silent);
    expect([result, calls]).toEqual(['sent', 3]);
    calls = 0;
    const started = Date.now();
    const failing = waitingOutRateLimits(
      async () => {
        calls++;
        throw telegramError(503);
      },
      silent,
      4,
      1_000,
    );
    await expect(failing).rejects.toBeInstanceOf(TelegramError);
    expect(Date.now() - started).toBeLessThan(3_000);
    calls = 0;
    await expect(
      waitingOutRateLimits(async () => {
        calls++;
        throw telegramError(400);
      }, silent),
    ).rejects.toBeInstanceOf(TelegramError);
    expect(calls).toBe(1);
  });
});

describe('Discord gateway close codes', () => {
  it('a cause in plain words exactly for the codes Discord marks "Reconnect: false"', async () => {
    const { closedForGood } = await import('../../../bot/discord/gateway-close.js');
    const { NOT_RECONNECTABLE, RECONNECTABLE } = await import('../../support/emulators/discord-gateway.js');
    for (let code = 1000; code < 5000; code++) {
      const cause = closedForGood(code);
      expect(cause !== null, String(code)).toBe(NOT_RECONNECTABLE.includes(code));
      if (RECONNECTABLE.has(code)) expect(cause).toBeNull();
      if (cause) expect(cause).toMatch(/^[a-z][^\n]{10,}$/);
    }
  });
});
