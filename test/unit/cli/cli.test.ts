import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../../bot/cli/main.js';
import { parseAddressAnyNetwork } from '../../../pactus/address.js';
import { vectors } from '../../fixtures/vectors.js';

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('pactus-bot decode', () => {
  it('prints the vector decodings as one JSON object', async () => {
    for (const v of vectors.transactions) {
      const { code, out } = await run(['decode', v.signedHex]);
      expect(code).toBe(0);
      expect(out).toHaveLength(1);
      const json = JSON.parse(out[0]!);
      expect(json).toMatchObject({ ...v.decoded, id: v.id, signatureValid: true });
      expect(Object.keys(json)).toEqual([
        'flags',
        'version',
        'lockTime',
        'fee',
        'memo',
        'payload',
        'id',
        'signer',
        'signatureValid',
      ]);
    }
  });

  it('says which network it assumed: the bytes hold no network (an address is a type byte and a hash)', async () => {
    const unsigned = vectors.derivedTransactions.items[4]!.unsignedHex;
    const assumed = await run(['decode', unsigned]);
    expect(assumed.code).toBe(0);
    expect(JSON.parse(assumed.out[0]!).payload.from).toMatch(/^pc1/);
    expect(assumed.err).toEqual([
      'note: the bytes do not say which network they are for; addresses are shown for mainnet. For testnet or devnet bytes, pass --network testnet.',
    ]);
    for (const network of ['mainnet', 'testnet']) {
      const given = await run(['decode', '--network', network, unsigned]);
      expect(given.err).toEqual([]);
      // The same bytes, only written for another network: one hash, one type, another prefix.
      const from = JSON.parse(given.out[0]!).payload.from as string;
      const parsed = parseAddressAnyNetwork(from);
      expect(parsed.network).toBe(network);
      expect(parsed.address.toHex()).toBe(
        parseAddressAnyNetwork(JSON.parse(assumed.out[0]!).payload.from).address.toHex(),
      );
    }
  });

  it('formats addresses for --network testnet and reports unsigned as null', async () => {
    const unsigned = vectors.derivedTransactions.items[4]!.unsignedHex;
    const { out } = await run(['decode', '--network', 'testnet', unsigned]);
    const json = JSON.parse(out[0]!);
    expect(json.payload.type).toBe('batch_transfer');
    expect(json.payload.recipients).toHaveLength(2);
    expect(json.payload.from).toMatch(/^tpc1r/);
    expect(json.signatureValid).toBeNull();
  });

  it('explains invalid input in one line with the byte offset and exits 1', async () => {
    for (const bad of vectors.invalidTransactions) {
      const { code, out, err } = await run(['decode', bad.hex]);
      expect(code).toBe(1);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1); // the error line alone: no network note for bytes that do not decode
      expect(err[0]).toMatch(/byte offset \d+/);
    }
    expect((await run(['decode', 'zz'])).err[0]).toMatch(/not hexadecimal \(byte offset 0\)/);
    expect((await run(['decode', '--network', 'moon', '00'])).code).toBe(1);
  });
});

describe('pactus-bot address', () => {
  it('derives addresses from private and public keys', async () => {
    for (const k of vectors.keys) {
      const fromPrivate = JSON.parse((await run(['address', k.privateKey])).out[0]!);
      expect(fromPrivate.accountAddress).toBe(k.accountAddress);
      if (k.validatorAddress) expect(fromPrivate.validatorAddress).toBe(k.validatorAddress);
      const fromPublic = JSON.parse((await run(['address', k.publicKey])).out[0]!);
      expect(fromPublic.accountAddress).toBe(k.accountAddress);
    }
    expect((await run(['address', 'nonsense'])).code).toBe(1);
  });
});

it('the bin entry runs through npx without a build step', async () => {
  const { stdout } = await promisify(execFile)('node', [
    'bin/pactus-bot.js',
    'decode',
    vectors.transactions[1]!.signedHex,
  ]);
  expect(JSON.parse(stdout).id).toBe(vectors.transactions[1]!.id);
});
