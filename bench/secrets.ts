// The secret detector: how fast it reads a message (it runs on every one, and on every log line), how much of
// every layout of a real phrase or key it catches, and how often it takes ordinary text for a secret.
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { containsSecret, redactSecrets } from '../pactus/secrets/index.js';
import { loadEvalCases } from '../test/eval/dataset.js';
import {
  KEY_CONTEXTS,
  SCHEMES,
  byteArrayForm,
  bytesToHex,
  layoutArb,
  mnemonicArb,
  ordinaryMessage,
  privateKeyOf,
  promised,
  renderPhrase,
  seeded,
  splitHexForms,
  type PhraseLayout,
} from '../test/support/secret-forms.js';
import { heading, opsPerSecond, summarizeLatencies } from './harness.js';

export async function run(): Promise<void> {
  heading('secret detector: speed');
  const evalTexts = loadEvalCases().map((c) => c.text);
  const random = seeded(1);
  const chat = Array.from({ length: 200 }, () => ordinaryMessage(random));
  const longChat = Array.from({ length: 50 }, () => chat.slice(0, 40).join(' ').slice(0, 2000));
  const phrases = fc
    .sample(fc.tuple(mnemonicArb, layoutArb, fc.integer()), { numRuns: 200, seed: 2 })
    .map(([w, l, s]) => renderPhrase(w, l, seeded(s)));
  let i = 0;
  opsPerSecond('eval-set message (short chat)', () => containsSecret(evalTexts[i++ % evalTexts.length]!));
  opsPerSecond('generated chat line', () => containsSecret(chat[i++ % chat.length]!));
  opsPerSecond('2,000-character chat message', () => containsSecret(longChat[i++ % longChat.length]!));
  opsPerSecond('rendered phrase (any layout)', () => containsSecret(phrases[i++ % phrases.length]!));
  opsPerSecond('redact a log line without a secret', () => redactSecrets('{"level":30,"msg":"turn","ms":4}'));
  const worst = [
    'abandon '.repeat(250),
    'a '.repeat(1000),
    'ab '.repeat(666),
    'secret1 '.repeat(250) + 'q'.repeat(40),
    '0x'.repeat(1000),
    '1,'.repeat(1000),
    '\u200b'.repeat(2000),
    'ｓ'.repeat(2000),
    'aban'.repeat(500),
    `${'f'.repeat(63)} `.repeat(31),
  ];
  const samples: number[] = [];
  for (let round = 0; round < 20; round++)
    for (const text of worst) {
      const start = performance.now();
      containsSecret(text);
      samples.push(performance.now() - start);
    }
  summarizeLatencies('2,000 hostile characters (10 shapes)', samples);
  const wat = `(module\n${'  (func $f (param i32) (result i32) local.get 0 i32.const 1 i32.add)\n'.repeat(14_000)})`;
  const start = performance.now();
  containsSecret(wat);
  const ms = performance.now() - start;
  console.log(
    `${'1 MiB of WebAssembly text'.padEnd(44)} ${ms.toFixed(0).padStart(12)} ms (${(wat.length / 1e3 / ms).toFixed(1)} MB/s)`,
  );

  heading('secret detector: recall on real random phrases (fast-check, seed 3), by layout');
  const cases = fc.sample(fc.tuple(mnemonicArb, layoutArb, fc.integer()), { numRuns: 20_000, seed: 3 });
  const byDimension = new Map<
    string,
    { caught: number; promisedCaught: number; promised: number; all: number }
  >();
  for (const [words, layout, seed] of cases) {
    const caught = containsSecret(renderPhrase(words, layout, seeded(seed)));
    const isPromised = promised(words, layout);
    for (const key of Object.keys(layout) as (keyof PhraseLayout)[]) {
      const name = `${key}=${JSON.stringify(layout[key])}`;
      const row = byDimension.get(name) ?? { caught: 0, promisedCaught: 0, promised: 0, all: 0 };
      row.all++;
      if (caught) row.caught++;
      if (isPromised) {
        row.promised++;
        if (caught) row.promisedCaught++;
      }
      byDimension.set(name, row);
    }
  }
  console.log(`${'layout'.padEnd(34)} ${'caught (all)'.padStart(14)} ${'caught (promised)'.padStart(18)}`);
  for (const [name, row] of [...byDimension].sort())
    console.log(
      `${name.padEnd(34)} ${pct(row.caught, row.all).padStart(14)} ${pct(row.promisedCaught, row.promised).padStart(18)}`,
    );

  heading('secret detector: recall on keys (200 random keys per encoding)');
  const keys = fc.sample(fc.uint8Array({ minLength: 32, maxLength: 32 }), { numRuns: 200, seed: 4 });
  const encodings: [string, (b: Uint8Array) => string[]][] = [
    [
      'Pactus key strings (3 schemes x 2 networks)',
      (b) =>
        SCHEMES.flatMap((s) => [
          privateKeyOf(s, b).toString('mainnet'),
          privateKeyOf(s, b).toString('testnet'),
        ]),
    ],
    ['hex split 8 ways', (b) => splitHexForms(bytesToHex(b), seeded(b[0]!))],
    ['byte array', (b) => [byteArrayForm(b)]],
    ['64-hex called a key (8 phrasings)', (b) => KEY_CONTEXTS.map((c) => c.replace('{k}', bytesToHex(b)))],
    [
      'base64 called a key (8 phrasings)',
      (b) => KEY_CONTEXTS.map((c) => c.replace('{k}', Buffer.from(b).toString('base64'))),
    ],
  ];
  for (const [name, render] of encodings) {
    const texts = keys.flatMap(render);
    console.log(`${name.padEnd(44)} ${pct(texts.filter(containsSecret).length, texts.length).padStart(12)}`);
  }

  heading('secret detector: false alarms on ordinary text');
  const evalPlain = loadEvalCases().filter((c) => !c.secret && !/west dice keen|TSECRET1/.test(c.text));
  console.log(`${'eval-set messages'.padEnd(44)} ${flagged(evalPlain.map((c) => c.text))}`);
  const generated = Array.from({ length: 20_000 }, () => ordinaryMessage(random));
  console.log(`${'generated chat built from BIP-39 words'.padEnd(44)} ${flagged(generated)}`);
  const ids = keys.map((b) => `status of ${bytesToHex(b)}`);
  console.log(`${'"status of <transaction id>"'.padEnd(44)} ${flagged(ids)}`);
  const prose = proseParagraphs();
  console.log(`${`real prose: ${prose.files} READMEs and licences`.padEnd(44)} ${flagged(prose.paragraphs)}`);
}

function pct(n: number, of: number): string {
  return of ? `${((100 * n) / of).toFixed(2)}% of ${of}` : '-';
}

function flagged(texts: string[]): string {
  const n = texts.filter(containsSecret).length;
  return `${n} of ${texts.length} refused (${((100 * n) / texts.length).toFixed(3)}%)`;
}

/** Paragraphs of English as people write it: the READMEs in node_modules and the system's licence texts. */
function proseParagraphs(): { files: number; paragraphs: string[] } {
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 3) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      try {
        const stat = statSync(path);
        if (stat.isDirectory()) walk(path, depth + 1);
        else if (/^readme\.md$/i.test(name) && stat.size < 200_000) files.push(path);
      } catch {
        // a dangling link
      }
    }
  };
  walk('node_modules', 0);
  try {
    for (const name of readdirSync('/usr/share/common-licenses'))
      files.push(join('/usr/share/common-licenses', name));
  } catch {
    // not a Debian machine
  }
  const paragraphs: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // unreadable: skipped
    }
    for (const para of text.split(/\n\s*\n/)) {
      const p = para.replace(/```[\s\S]*?```/g, '').trim();
      for (let at = 0; p.length >= 20 && at < p.length; at += 2000) paragraphs.push(p.slice(at, at + 2000));
    }
  }
  return { files: files.length, paragraphs };
}
