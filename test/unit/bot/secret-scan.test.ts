// A long text (a contract file's, up to 1 MiB) is read for secrets in a worker: the same answers as the detector,
// a secret anywhere in it found, and the thread that answers every chat free meanwhile.
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INLINE_SCAN_CHARS, textContainsSecret } from '../../../bot/core/secret-scan.js';
import { containsSecret } from '../../../pactus/secrets/index.js';

const MIB = 1024 * 1024;
/** WebAssembly text padded with what makes the detector slowest: non-Latin letters and look-alikes. */
const padding = (n: number, seed: number) =>
  ';; ' + ['é', 'е', '\u200ba', 'ａ', 'to '][seed % 5]!.repeat(n).slice(0, n - 3);

describe('the secret scan of long texts', () => {
  it('a phrase or key anywhere in a 1 MiB text is found; the same text without it is not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(4),
        fc.constantFrom('phrase', 'numbered', 'hex'),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        async (at, seed, layout, entropy) => {
          const words = entropyToMnemonic(entropy, wordlist).split(' ');
          const secret =
            layout === 'phrase'
              ? words.join(' ')
              : layout === 'numbered'
                ? words.map((w, i) => `${i + 1}. ${w}`).join('\n')
                : `private key: ${'3f'.repeat(32).match(/../g)!.join(' ')}`;
          const pad = padding(MIB, seed);
          const cut = Math.floor(at * pad.length);
          // Sentence ends around it: this is about reading 1 MiB off the thread (a phrase run into the padding is the
          // filler test below).
          const text = `(module\n${pad.slice(0, cut)}.\n${secret}.\n${pad.slice(cut)})`;
          expect(await textContainsSecret(text)).toBe(true);
          expect(await textContainsSecret(`(module\n${pad})`)).toBe(false);
        },
      ),
      { numRuns: 3 },
    );
  }, 60_000);

  it('the thread is free while a long text is read: a timer set after the call fires before its answer', async () => {
    await textContainsSecret(padding(INLINE_SCAN_CHARS + 1, 0)); // the worker is up
    const order: string[] = [];
    const scan = textContainsSecret(padding(MIB, 3)).then(() => order.push('scan'));
    setTimeout(() => order.push('timer'), 0);
    await scan;
    expect(order).toEqual(['timer', 'scan']);
  });

  it('short and long texts get the detector’s own answer, either side of the inline limit', async () => {
    const words = entropyToMnemonic(new Uint8Array(16).fill(7), wordlist);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: INLINE_SCAN_CHARS - 40, max: INLINE_SCAN_CHARS + 40 }),
        fc.boolean(),
        async (length, withSecret) => {
          const body = (withSecret ? `${words} ` : '') + 'the quick brown fox jumps. ';
          const text = body.repeat(Math.ceil(length / body.length)).slice(0, length);
          expect(await textContainsSecret(text)).toBe(containsSecret(text));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a phrase the detector catches alone is caught next to a repeated filler too (the run grew past it and failed)', () => {
    // "<phrase> to to to ...": every "to" reads as a typo of "toe", the run grows past the phrase with one token
    // repeated, and its distinctness test failed for the whole run: the phrase went through.
    fc.assert(
      fc.property(
        fc.constantFrom('to', 'x', 'hello', 'zz', 'toe', 'ok', 'pac', 'abandon'),
        fc.integer({ min: 2, max: 60 }),
        fc.constantFrom(' ', '\n', ', '),
        fc.constantFrom('before', 'after'),
        fc.oneof(
          fc.uint8Array({ minLength: 16, maxLength: 16 }),
          fc.uint8Array({ minLength: 32, maxLength: 32 }),
        ),
        (filler, times, gap, where, entropy) => {
          const words = entropyToMnemonic(entropy, wordlist);
          // One the detector catches alone, and that does not itself say a word twice in a row (about 0.5% of
          // phrases: such a repeat and a filler cannot be told apart).
          fc.pre(containsSecret(words) && !/\b(\w+) \1\b/.test(words));
          const pad = Array.from({ length: times }, () => filler).join(' ');
          expect(containsSecret(where === 'before' ? `${pad}${gap}${words}` : `${words}${gap}${pad}`)).toBe(
            true,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
