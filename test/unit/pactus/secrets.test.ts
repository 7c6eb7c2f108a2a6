// The one secret detector (pactus/secrets): real random mnemonics and keys rendered in every layout are found and
// cut out; ordinary chat, the eval sets and transaction ids are not taken for secrets.
import { wordlist } from '@scure/bip39/wordlists/english.js';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fold } from '../../../pactus/secrets/fold.js';
import { LOOKALIKES } from '../../../pactus/secrets/lookalikes.js';
import { oneEditApart, matchWord, splitJoined } from '../../../pactus/secrets/wordlist.js';
import {
  REDACTED,
  SECRET_REFUSAL,
  containsSecret,
  findSecrets,
  redactSecrets,
} from '../../../pactus/secrets/index.js';
import { loadEvalCases } from '../../eval/dataset.js';
import {
  CHAT_WORDS,
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
  typo,
} from '../../support/secret-forms.js';

const BIP39 = new Set(wordlist);

describe('recovery phrases', () => {
  it('every real phrase in every layout x separator x numbering x Unicode x typo that is promised is found, and redaction leaves none', () => {
    fc.assert(
      fc.property(mnemonicArb, layoutArb, fc.integer(), (words, layout, seed) => {
        const text = renderPhrase(words, layout, seeded(seed));
        fc.pre(promised(words, layout));
        expect(containsSecret(text), JSON.stringify({ text, layout })).toBe(true);
        const redacted = redactSecrets(text);
        expect(redacted).toContain(REDACTED);
        expect(containsSecret(redacted), redacted).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('partial phrases of 8 to 11 words, laid out or spoken of as a phrase, are found', () => {
    fc.assert(
      fc.property(
        mnemonicArb,
        fc.integer({ min: 8, max: 11 }),
        fc.nat(),
        layoutArb,
        fc.integer(),
        (words, n, from, layout, seed) => {
          const part = words.slice(from % (words.length - n + 1)).slice(0, n);
          fc.pre(promised(part, layout));
          expect(containsSecret(renderPhrase(part, layout, seeded(seed)))).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('seven words or fewer give nothing away and are let through', () => {
    // Invisible characters inside words are read both ways (removed, and as spaces), and read as spaces they
    // make fragments that count as words: seven words split so may be refused, the safe side to err on.
    const inside = ['zero-width-inside', 'soft-hyphen'];
    fc.assert(
      fc.property(mnemonicArb, layoutArb, fc.integer(), (words, layout, seed) => {
        fc.pre(!inside.includes(layout.unicode));
        const text = renderPhrase(words.slice(0, 7), { ...layout, surrounding: 'alone' }, seeded(seed));
        expect(containsSecret(text), text).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a word is read through one typo (each kind of edit), its 4-letter or longer prefix, and joined to others', () => {
    const random = seeded(7);
    for (const word of wordlist) {
      if (word.length >= 4) {
        const t = typo(word, random, true);
        const match = matchWord(t);
        expect(match, `${word} -> ${t}`).not.toBeNull();
        for (let n = 4; n < word.length; n++) expect(matchWord(word.slice(0, n))?.word).toBe(word);
      }
    }
    expect(splitJoined('abandonabilityable')).toEqual(['abandon', 'ability', 'able']);
    expect(splitJoined('abanabilablabou')).toBeNull(); // 15 letters are not 4-letter pieces
    expect(splitJoined('abanabilableabou')).toEqual(['abandon', 'ability', 'able', 'about']);
    expect(oneEditApart('abandon', 'abnadon')).toBe(true);
    expect(oneEditApart('abandon', 'abadnon')).toBe(true);
    expect(oneEditApart('abandon', 'abandno')).toBe(true);
    expect(oneEditApart('abandon', 'bandon')).toBe(true);
    expect(oneEditApart('abandon', 'abandonn')).toBe(true);
    expect(oneEditApart('abandon', 'abnadno')).toBe(false);
  });
});

describe('private keys', () => {
  it('Pactus key strings of each scheme and network, in any case, split, look-alike, invisible or with a typo', () => {
    // Real keys (a BLS key costs a scalar multiplication or two to make): 4 per scheme, rendered every way below.
    const keys = fc
      .sample(fc.noBias(fc.uint8Array({ minLength: 32, maxLength: 32 })), { numRuns: 4, seed: 8 })
      .flatMap((bytes) => SCHEMES.map((scheme) => privateKeyOf(scheme, bytes)));
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.constantFrom('mainnet' as const, 'testnet' as const),
        fc.constantFrom('lower', 'upper', 'split', 'dashes', 'fullwidth', 'cyrillic', 'zero-width', 'typo'),
        fc.constantFrom('{k}', 'here is my key {k}', 'is {k} valid?', 'import {k}\nthanks'),
        (privateKey, network, form, around) => {
          const key = privateKey.toString(network);
          const rendered = {
            lower: key,
            upper: key.toUpperCase(),
            split: key.match(/.{1,5}/g)!.join(' '),
            dashes: key.match(/.{1,8}/g)!.join('-'),
            fullwidth: [...key].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join(''),
            cyrillic: key.replace(/e/g, 'е').replace(/c/g, 'с').replace(/o/g, 'о'),
            'zero-width': [...key].join('\u200b'),
            typo: key.slice(0, 20) + (key[20] === 'q' ? 'p' : 'q') + key.slice(21),
          }[form];
          const text = around.replace('{k}', rendered);
          expect(containsSecret(text), text).toBe(true);
          expect(redactSecrets(text)).not.toContain(rendered);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('32 bytes split as hex, as \\x or 0x bytes, or as a byte array, are keys without a word said', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer(), (bytes, seed) => {
        const hex = bytesToHex(bytes);
        for (const text of [...splitHexForms(hex, seeded(seed)), byteArrayForm(bytes)]) {
          expect(containsSecret(text), text).toBe(true);
          expect(containsSecret(`hi ${text} ok`), text).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('64 hex digits or 32 bytes of base64 are keys when the words around call them one', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom(...KEY_CONTEXTS),
        fc.boolean(),
        (bytes, context, upper) => {
          const hex = bytesToHex(bytes);
          const b64 = Buffer.from(bytes).toString('base64');
          for (const k of [hex, `0x${hex}`, upper ? hex.toUpperCase() : hex])
            expect(containsSecret(context.replace('{k}', k)), context).toBe(true);
          // Random bytes nearly always give base64 both cases and a digit; the rest is not claimed. (Found by a run:
          // base64 beginning "Pc1" was once taken for an address.)
          if (/[A-Z]/.test(b64) && /[a-z]/.test(b64) && /[0-9+/]/.test(b64))
            expect(containsSecret(context.replace('{k}', b64)), b64).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    // Kept from a failing run: base64 that begins like an address is still a key.
    expect(containsSecret('my private key is Pc1ZBfo8MwltxgD4+3N99olMu4KgnLxYWuzIzNzMBdQ=')).toBe(true);
  });

  it('a transaction id is not a key: bare, asked about, or next to the word "transaction"', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const id = bytesToHex(bytes);
        for (const text of [
          id,
          `status of ${id}`,
          `is ${id} confirmed?`,
          `check tx ${id}`,
          `what happened to transaction ${id}`,
          `my key question: did transaction ${id} go through`,
          `the block hash is ${id}`,
          `public key ${id}`,
          `sha256 of the contract is ${id}`,
        ])
          expect(containsSecret(text), text).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('link tokens, addresses and public keys are not keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const token = Buffer.from(bytes).toString('base64url');
        const key = privateKeyOf('ed25519', bytes);
        const address = key.publicKey().accountAddress().toString('testnet');
        for (const text of [
          `the link https://signer.example/s/${token} does not open`,
          `my key for the upload page is https://bot.example/c/${token}`,
          `send 5 PAC to ${address} my key is safe`,
          `stake 1000 PAC to ${address} with public key ${key.publicKey().toString('testnet')}`,
        ])
          expect(containsSecret(text), text).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});

describe('ordinary chat is not refused', () => {
  it('every eval-set message is read as before: only the ones that hold a secret are taken for one', () => {
    const cases = loadEvalCases();
    expect(cases.length).toBeGreaterThan(300);
    expect(cases.filter((c) => c.secret).length).toBeGreaterThan(20);
    // Three older lines (before secrets.jsonl) hold the devnet phrase or a key string too.
    const holdsOne = (c: (typeof cases)[number]) =>
      c.secret === true || /recovery phrase is west|west dice keen|TSECRET1/.test(c.text);
    for (const c of cases) expect(containsSecret(c.text), `${c.file}:${c.line} ${c.text}`).toBe(holdsOne(c));
  });

  it('10,000 generated chat lines built from BIP-39 nouns, verbs and adjectives: none is refused', () => {
    const inList = Object.values(CHAT_WORDS)
      .flat()
      .filter((w) => BIP39.has(w)).length;
    expect(inList / Object.values(CHAT_WORDS).flat().length).toBeGreaterThan(0.6);
    const random = seeded(2024);
    const refused: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const text = ordinaryMessage(random);
      if (containsSecret(text)) refused.push(text);
    }
    expect(refused).toEqual([]);
  });

  it('a refusal never repeats what was sent', () => {
    fc.assert(
      fc.property(mnemonicArb, (words) => {
        for (const w of words) expect(SECRET_REFUSAL.toLowerCase().split(/\W+/)).not.toContain(w + 'zz');
        expect(SECRET_REFUSAL).not.toContain(words.slice(0, 2).join(' '));
      }),
      { numRuns: 50 },
    );
  });
});

describe('folding', () => {
  it('every character Unicode lists as confusable with a Latin letter reads as that letter (the table is the data)', () => {
    const require = createRequire(import.meta.url);
    const data = require('unhomoglyph/data.json') as Record<string, string>;
    let checked = 0;
    const expected: Record<string, string[]> = {};
    for (const [source, target] of Object.entries(data)) {
      const letter = target.toLowerCase();
      if ([...source].length !== 1 || source.codePointAt(0)! < 128 || !/^[a-z]$/.test(letter)) continue;
      const nfkd = source.normalize('NFKD').replace(/\p{Mn}/gu, '');
      if (/^[\x00-\x7f]*$/.test(nfkd)) {
        // NFKD already gives ASCII (full-width, mathematical letters): NFKD wins.
        expect(fold(source).text).toBe(nfkd.toLowerCase());
        continue;
      }
      (expected[letter] ??= []).push(source);
      expect(fold(`x${source}x`).text, `U+${source.codePointAt(0)!.toString(16)}`).toBe(`x${letter}x`);
      checked++;
    }
    expect(checked).toBeGreaterThan(400);
    expect(Object.fromEntries(Object.entries(LOOKALIKES).map(([k, v]) => [k, [...v]]))).toEqual(expected);
  });

  it('spans map back to the original text through every kind of folding', () => {
    const text = 'x ｓｅｅｄ: ａｂａｎｄｏｎ y';
    const folded = fold(text);
    expect(folded.text).toBe('x seed: abandon y');
    const at = folded.text.indexOf('abandon');
    expect(text.slice(folded.from![at]!, folded.to![at + 6]!)).toBe('ａｂａｎｄｏｎ');
    const found = findSecrets(`${'🙂'.repeat(3)} my private key is ${'ａ'.repeat(64)} ok`);
    expect(found).toHaveLength(1);
    expect(redactSecrets(`${'🙂'.repeat(3)} my private key is ${'ａ'.repeat(64)} ok`)).toBe(
      `${'🙂'.repeat(3)} my private key is ${REDACTED} ok`,
    );
  });
});
