// A file that verifies with one tool and means something else to another. The verifiers hashed what JSON.parse gave:
// a bundle naming `shares` twice verified with the honest shares last, while a reader that keeps the first (or a
// person reading from the top) saw forged ones; bytes that are not UTF-8 were silently replaced; a byte-order mark
// was refused from a file and dropped from a URL. Generated over every field of a real anchored bundle: each field
// named twice (plainly and with an escaped name), each number respelled, invalid UTF-8 at any place, half UTF-16
// pairs, nesting past any real file, and files too large to read.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVerifiable, strictJson, MAX_INPUT_BYTES } from '../../../bot/cli/verify-input.js';
import { runVerifyEpoch } from '../../../bot/cli/verify-epoch.js';
import { receiptLeaf } from '../../../compute/receipt.js';
import { receiptKey, testReceipt, TINY_MODEL } from '../../support/receipts.js';
import { anchoredRecord, operatorKey, operatorOf } from '../../support/deployment.js';
import { anchoredEpoch, computeManifest, tinyBooks } from '../../support/epoch-bundle.js';

const op = operatorKey(71);
const receipts = [testReceipt(receiptKey(13), 1), testReceipt(receiptKey(14), 2)];
const manifest = computeManifest(op, { [TINY_MODEL]: '7' });
const bundle = anchoredEpoch(
  op,
  manifest,
  tinyBooks(5, receipts, {
    counted: Object.fromEntries(receipts.map((r) => [receiptLeaf(r), { prompt: 100, completion: 50 }])),
  }),
);
// The manifest it is under travels with it, as the bot serves it: the honest file verifies from itself alone.
bundle.manifest = anchoredRecord(op, manifest, 1);
const honest = JSON.stringify(bundle);
const bytes = (text: string) => new TextEncoder().encode(text);

type Path = (string | number)[];
/** Every object in the value with its path, and every number leaf. */
function places(value: unknown, path: Path = []): { objects: [Path, string[]][]; numbers: Path[] } {
  const out = { objects: [] as [Path, string[]][], numbers: [] as Path[] };
  if (typeof value === 'number') out.numbers.push(path);
  else if (value && typeof value === 'object') {
    if (!Array.isArray(value)) out.objects.push([path, Object.keys(value)]);
    for (const [k, v] of Object.entries(value)) {
      const inner = places(v, [...path, Array.isArray(value) ? Number(k) : k]);
      out.objects.push(...inner.objects);
      out.numbers.push(...inner.numbers);
    }
  }
  return out;
}
const { objects, numbers } = places(bundle);

/** JSON text of `value` with `edit` writing the node at `at` instead (others as JSON.stringify writes them). */
function write(value: unknown, at: Path, edit: (node: unknown) => string, path: Path = []): string {
  if (path.length === at.length && path.every((p, i) => p === at[i])) return edit(value);
  if (Array.isArray(value)) return `[${value.map((v, i) => write(v, at, edit, [...path, i])).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${write(v, at, edit, [...path, k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** A forged value of the same field: what a reader keeping the first occurrence sees. */
const forged = (v: unknown) =>
  typeof v === 'string' ? `${v}0` : typeof v === 'number' ? v + 1 : v === null ? 'x' : { forged: true };

const refusal = (text: string | Uint8Array) => {
  try {
    strictJson(typeof text === 'string' ? bytes(text) : text);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('a verifier reading a bundle', () => {
  it('reads the honest bundle as JSON.parse does', () => {
    expect(objects.length).toBeGreaterThan(8);
    expect(strictJson(bytes(honest))).toEqual(JSON.parse(honest));
  });

  it('refuses every field named twice, the forged value first, however the second name is spelled', () => {
    let cases = 0;
    for (const [path, keys] of objects)
      for (const key of keys)
        for (const spelled of [
          JSON.stringify(key),
          `"\\u${key.charCodeAt(0).toString(16).padStart(4, '0')}${key.slice(1)}"`,
        ]) {
          const text = write(bundle, path, (node) => {
            const o = node as Record<string, unknown>;
            const rest = Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
            return `{${spelled}:${JSON.stringify(forged(o[key]))},${rest.join(',')}}`;
          });
          // What the attack relied on: JSON.parse keeps the last, so the bundle read as the honest one.
          expect(JSON.parse(text)).toEqual(JSON.parse(honest));
          expect(refusal(text), `${path.join('.')}.${key}`).toMatch(
            new RegExp(`names the field ${JSON.stringify(JSON.stringify(key)).slice(1, -1)} twice`),
          );
          cases++;
        }
    expect(cases).toBeGreaterThan(40);
  });

  it('refuses every number written other than as a plain whole number, though it parses to the same value', () => {
    expect(numbers.length).toBeGreaterThan(5);
    for (const path of numbers)
      for (const spell of [(n: number) => `${n}.0`, (n: number) => `${n}e0`, (n: number) => `${n * 10}E-1`]) {
        const text = write(bundle, path, (n) => spell(n as number));
        expect(JSON.parse(text)).toEqual(JSON.parse(honest));
        expect(refusal(text), path.join('.')).toMatch(/is not written as a plain whole number/);
      }
    expect(refusal('{"epoch":-0}')).toMatch(/plain whole number/);
  });

  it('refuses bytes that are not UTF-8 anywhere in a string, which a lenient decoder would have replaced', () => {
    const text = bytes(honest);
    const quotes = [...text.keys()].filter((i) => text[i] === 0x22);
    const invalid = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]];
    fc.assert(
      fc.property(fc.constantFrom(...quotes), fc.constantFrom(...invalid), (at, bad) => {
        const forgedBytes = new Uint8Array([...text.slice(0, at + 1), ...bad, ...text.slice(at + 1)]);
        // What readFile(…, 'utf8') did: the bytes replaced by U+FFFD, and the file read as something else.
        expect(Buffer.from(forgedBytes).toString('utf8')).toContain('\ufffd');
        expect(refusal(forgedBytes)).toBe('it is not valid UTF-8');
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a byte-order mark, half a UTF-16 pair, and nesting past any real file, without a stack overflow', () => {
    expect(refusal(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes(honest)]))).toMatch(/byte-order mark/);
    for (const half of ['\\ud800', '\\udfff', 'a\\udc00b', '\\ud800\\ud800'])
      expect(refusal(`{"zeroed":{"x":"${half}"}}`), half).toMatch(/half of a UTF-16 pair/);
    expect(refusal('{"\\ud800":1}')).toMatch(/a field name in the top level holds half of a UTF-16 pair/);
    expect(refusal('{"x":"\\ud83d\\ude00"}')).toBeNull();
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(refusal(deep)).toMatch(/nests deeper than 64 levels/);
    expect(refusal('{"a":1} {"a":2}')).toMatch(/is not JSON/);
  });
});

describe('a verifier reading a file or URL too large', () => {
  let dir: string;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verify-input-'));
    server = createServer((req, res) => {
      if (req.url === '/claims-huge') {
        res.writeHead(200, { 'content-length': String(MAX_INPUT_BYTES + 1) });
        res.write('{');
        return; // never ends: the reader must not wait for it
      }
      if (req.url === '/endless') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (res.write(chunk));
        };
        res.on('drain', pump);
        req.on('close', () => res.destroy());
        return void pump();
      }
      if (req.url === '/bom') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(honest)]));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(honest);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a file past the bound before reading it, and a URL past it while reading', async () => {
    const sparse = join(dir, 'huge.json');
    await writeFile(sparse, '');
    await truncate(sparse, MAX_INPUT_BYTES + 1);
    await expect(readVerifiable(sparse)).rejects.toThrow(/more than the 256 MB a verifier reads/);
    await expect(readVerifiable(`${base}/claims-huge`)).rejects.toThrow(/more than the 256 MB/);
    const small = { maxBytes: 1024 * 1024, timeoutMs: 10_000 };
    await expect(readVerifiable(`${base}/endless`, small)).rejects.toThrow(/more than the 1 MB/);
    await expect(readVerifiable(`${base}/bundle.json`, small)).resolves.toEqual(JSON.parse(honest));
  });

  it('reads a file and the same bytes from a URL the same way: a byte-order mark is refused from both', async () => {
    const file = join(dir, 'bom.json');
    await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(honest)]));
    await expect(readVerifiable(file)).rejects.toThrow(/byte-order mark/);
    await expect(readVerifiable(`${base}/bom`)).rejects.toThrow(/byte-order mark/);
  });

  it('verify-epoch exits non-zero naming a field named twice in the file it is given', async () => {
    const file = join(dir, 'twice.json');
    const forgedShares = Object.fromEntries(Object.keys(bundle.shares).map((k) => [k, bundle.budget]));
    await writeFile(file, `{"shares":${JSON.stringify(forgedShares)},${honest.slice(1)}`);
    const run = async (path: string) => {
      const lines: string[] = [];
      const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
      return {
        code: await runVerifyEpoch([path, '--deployment', operatorOf(op)], io),
        out: lines.join('\n'),
      };
    };
    const honestFile = join(dir, 'honest.json');
    await writeFile(honestFile, honest);
    expect(await run(honestFile)).toMatchObject({ code: 0, out: expect.stringMatching(/VERIFIED$/) });
    // JSON.parse keeps the last "shares" (the honest one): the file verified while its first "shares" said otherwise.
    const twice = await run(file);
    expect(twice.code).toBe(1);
    expect(twice.out).toMatch(/cannot read .*twice\.json: the top level names the field "shares" twice/);
  });
});
