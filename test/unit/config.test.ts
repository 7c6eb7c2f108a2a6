import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { ConfigError, configSchema, loadConfig, loadDevnetConfig } from '../../bot/config.js';
import { Address, AddressType } from '../../pactus/address.js';
import { formatPac, NANO_PER_PAC } from '../../pactus/amount.js';
import { generateMnemonic, isValidMnemonic } from '../../pactus/hd.js';
import type { Network } from '../../pactus/network.js';
import { MAX_REWARD, MIN_REWARD } from '../../rewards/config.js';

it('.env.example documents exactly the variables the bot reads', () => {
  const documented = [...readFileSync('.env.example', 'utf8').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)]
    .map((m) => m[1])
    .sort();
  expect(documented).toEqual(Object.keys(configSchema.shape).sort());
});

it('an empty environment is valid (the embedded defaults) and bad values are refused with a clear message', () => {
  const config = loadConfig({});
  expect(config.SIGNER_PORT).toBe(8787);
  expect(config.PACTUS_GRPC).toBeUndefined();
  expect(() => loadConfig({ SIGNER_PORT: 'eighty' })).toThrowError(ConfigError);
  expect(() => loadConfig({ PACTUS_NETWORK: 'moonnet' })).toThrowError(/PACTUS_NETWORK/);
});

it('every variable set empty means its default (a copied .env.example leaves many empty)', () => {
  const empty = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, '']));
  expect(loadConfig(empty)).toEqual(loadConfig({}));
  const blank = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, '  ']));
  expect(loadConfig(blank)).toEqual(loadConfig({}));
});

it('.env.example itself is a valid configuration', () => {
  const example = parseEnv(readFileSync('.env.example', 'utf8'));
  expect(() => loadConfig(example)).not.toThrow();
});

it('SIGNER_TRUST_PROXY is a number of proxy hops or their addresses, never "trust every hop"', () => {
  const trust = (value: string) => loadConfig({ SIGNER_TRUST_PROXY: value }).SIGNER_TRUST_PROXY;
  for (const off of ['', 'false', 'no', '0']) expect(trust(off)).toBe(false);
  expect(trust('true')).toBe(1);
  expect(trust('2')).toBe(2);
  expect(trust('10.0.0.0/8, 127.0.0.1,::1')).toBe('10.0.0.0/8,127.0.0.1,::1');
  for (const bad of ['lots', '-1', '10.0.0.0/99', '10.0.0.1/8/8', '300.1.1.1', '1.5'])
    expect(() => trust(bad), bad).toThrowError(ConfigError);
});

// ---- What a person reads when a value is wrong: generated values for every variable, forged amounts, addresses
// and phrases. The text is the bot's own sentence, never zod's ("expected number, received NaN"), and a secret is
// never repeated.

const ZOD_WORDING = /Invalid input|Invalid option|expected|received|Too (big|small)|Unrecognized|invalid_/i;
const SECRET_NAMES = Object.keys(configSchema.shape).filter((n) =>
  /TOKEN|SECRET|MNEMONIC|AUTH|DATABASE_URL/.test(n),
);

function refusal(env: Record<string, string>): string | null {
  try {
    loadConfig(env);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

it('every variable, any value: accepted, or one plain sentence naming it, never zod text nor a secret', () => {
  const names = Object.keys(configSchema.shape);
  const value = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.integer({ min: -1e9, max: 1e12 }).map(String),
    fc.double({ noNaN: false }).map(String),
    fc.constantFrom(
      'abc',
      '1.5',
      '-1',
      '1e3',
      '0x10',
      ' 7 ',
      'true',
      'yes',
      'tpc1z',
      'pc1zqq',
      '100 PAC',
      '∞',
    ),
  );
  fc.assert(
    fc.property(fc.constantFrom(...names), value, (name, raw) => {
      fc.pre(raw.trim() !== '');
      const text = refusal({ [name]: raw, PACTUS_GRPC: name === 'DATABASE_URL' ? '127.0.0.1:50051' : '' });
      if (text === null) return;
      const lines = text.split('\n');
      expect(lines[0]).toBe('Invalid configuration (see .env.example):');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(new RegExp(`^  ${name}[ =]`));
      expect(lines[1]).toMatch(/\.$/);
      // What the person wrote is repeated (quoted) and may say anything; the rest is the bot's own words.
      expect(text.replaceAll(JSON.stringify(raw), '').replaceAll(raw.trim(), '')).not.toMatch(ZOD_WORDING);
      if (SECRET_NAMES.includes(name) && raw.trim().length >= 3) expect(text).not.toContain(raw.trim());
    }),
    { numRuns: 1500 },
  );
});

it('whole numbers name their range whatever is wrong: a word, a fraction, too small, too large', () => {
  for (const [name, min, max] of [
    ['SIGNER_PORT', 0, 65535],
    ['DEVNET_BLOCK_MS', 50, 60000],
    ['RATE_LIMIT_BURST', 1, 1000],
    ['UNDO_SECONDS', 0, 300],
  ] as const)
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: max + 1 }),
          fc.integer({ max: min - 1 }),
          fc.double({ min, max, noInteger: true, noNaN: true }),
          fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/^\s*[-+]?[\d.e]*\s*$/i.test(s)),
        ),
        (bad) => {
          expect(refusal({ [name]: String(bad) })).toContain(`must be a whole number from ${min} to ${max}.`);
        },
      ),
      { numRuns: 200 },
    );
});

it('amounts are read exactly as the chat reads them: 9 decimals at most, never negative, PIP-44 range for rewards', () => {
  const nano = fc.bigInt({ min: 0n, max: 42_000_000n * NANO_PER_PAC });
  fc.assert(
    fc.property(nano, (n) => {
      const text = formatPac(n);
      expect(loadConfig({ GOV_VOTE_MIN_PAC: text }).GOV_VOTE_MIN_PAC).toBe(text);
      const reward = refusal({ REWARDS_VOTE_PAC: text });
      if (n >= MIN_REWARD && n <= MAX_REWARD) expect(reward).toBeNull();
      else expect(reward).toContain('must be from 0.001 to 0.01 PAC, the range PIP-44 sets');
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 10, max: 14 }), (whole, decimals) => {
      const tooFine = `${whole}.${'0'.repeat(decimals - 1)}1`;
      expect(refusal({ COMPUTE_MIN_STAKE_PAC: tooFine })).toMatch(/more than 9 decimals/);
      expect(refusal({ GOV_BALLOT_CAP_PAC: `-${whole}` })).toMatch(/negative/);
    }),
    { numRuns: 100 },
  );
});

it('operator and pool addresses: an account of the network the bot runs on, said in words otherwise', () => {
  const hash = fc.uint8Array({ minLength: 20, maxLength: 20 });
  fc.assert(
    fc.property(
      hash,
      fc.constantFrom(AddressType.Validator, AddressType.BlsAccount, AddressType.Ed25519Account),
      fc.constantFrom('mainnet', 'testnet') as fc.Arbitrary<Network>,
      fc.constantFrom('OPERATOR_ADDRESS', 'REWARDS_POOL_ADDRESS', 'COMPUTE_POOL_ADDRESS'),
      (h, type, network, name) => {
        const address = Address.fromHash(type, h).toString(network);
        // No PACTUS_GRPC: the embedded devnet, a testnet chain.
        const onDevnet = refusal({ [name]: address });
        const onNode = refusal({
          [name]: address,
          PACTUS_GRPC: '127.0.0.1:50051',
          PACTUS_NETWORK: 'mainnet',
        });
        if (type === AddressType.Validator) {
          expect(onDevnet).toMatch(/is a validator address .* write an account address/);
          expect(onNode).toMatch(/is a validator address/);
        } else {
          expect(onDevnet).toBe(
            network === 'testnet'
              ? null
              : `Invalid configuration (see .env.example):\n  ${name}="${address.slice(0, 40)}..." is a mainnet address, but the bot runs on testnet (the embedded devnet).`,
          );
          expect(onNode === null).toBe(network === 'mainnet');
        }
        // One character changed anywhere: the checksum refuses it, in words.
        const i = 5 + (h[0]! % (address.length - 5));
        const typo = address.slice(0, i) + (address[i] === 'q' ? 'p' : 'q') + address.slice(i + 1);
        expect(refusal({ [name]: typo })).toMatch(
          /must be a Pactus account address: .*bad format or checksum/,
        );
      },
    ),
    { numRuns: 120 },
  );
});

it('a wrong DEVNET_MNEMONIC is refused without repeating a single word of it', () => {
  const expected =
    'Invalid configuration (see .env.example):\n  DEVNET_MNEMONIC must be a recovery phrase of 12 or 24 BIP-39 English words with a correct checksum (unset it for the public test phrase).';
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...wordlist), { minLength: 1, maxLength: 25 }),
      fc.nat(),
      (words, typo) => {
        // A mistyped word, sometimes: the phrase is someone's, so not even the bad word may come back.
        if (typo % 3 === 0) words[typo % words.length] = `${words[typo % words.length]}x`;
        const phrase = words.join(typo % 2 ? ' ' : '\n');
        const text = refusal({ DEVNET_MNEMONIC: phrase });
        expect(text === null).toBe(isValidMnemonic(phrase));
        if (text !== null) expect(text).toBe(expected);
      },
    ),
    { numRuns: 400 },
  );
  expect(refusal({ DEVNET_MNEMONIC: generateMnemonic(12) })).toBeNull();
  expect(refusal({ DEVNET_MNEMONIC: generateMnemonic(24) })).toBeNull();
});

it('GOV_TEAM_KEYS and SIGNER_PUBLIC_URL say which entry is wrong and what to write', () => {
  const key =
    'tpublic1pkxx93gp68nvtcjda9cekuv4q84fxlkprnxxxqdvdtx54rtcy9gx6qynnnzghqckwmr83h52tzn3pqrafa4ddah6h484sugpchpd2vmzqtjgjaxcc3tyd2nhr4xeyzzjdm8pt5mm8xqruk24827v4f0gapgcjpfrx';
  expect(refusal({ GOV_TEAM_KEYS: `${key}, ${key}` })).toBeNull();
  expect(refusal({ GOV_TEAM_KEYS: `${key},tpc1zmmkzlmfp98pfw2a0792j58rrghwjg6283yhty0` })).toMatch(
    /key 2 of 2 is not one\.$/,
  );
  for (const good of ['https://sign.example.org', 'http://127.0.0.1:8787', 'https://example.org/pactus/'])
    expect(refusal({ SIGNER_PUBLIC_URL: good })).toBeNull();
  for (const bad of ['sign.example.org', 'ftp://x.org', 'javascript:alert(1)', 'https//x'])
    expect(refusal({ SIGNER_PUBLIC_URL: bad })).toMatch(/must be the address people open the signer page at/);
  expect(refusal({ TELEGRAM_WEBHOOK_SECRET: 'has space' })).toMatch(
    /TELEGRAM_WEBHOOK_SECRET must be 1 to 256/,
  );
  expect(refusal({ TELEGRAM_WEBHOOK_SECRET: 'ok_secret-1' })).toBeNull();
});

it('the devnet command reads only the devnet variables, checked as npm start checks them', () => {
  // A bot's .env beside it (PostgreSQL without PACTUS_GRPC, say) is not the standalone node's business.
  expect(loadDevnetConfig({ DATABASE_URL: 'postgres://bot@db/pactus', SIGNER_PORT: 'x' })).toEqual({
    DEVNET_BLOCK_MS: 1000,
    DEVNET_UNBOND_INTERVAL: 20,
  });
  expect(() => loadDevnetConfig({ DEVNET_BLOCK_MS: '0' })).toThrowError(
    'DEVNET_BLOCK_MS="0" must be a whole number from 50 to 60000.',
  );
  expect(loadDevnetConfig({ DEVNET_BLOCK_MS: '', DEVNET_MNEMONIC: ' ' }).DEVNET_BLOCK_MS).toBe(1000);
});
