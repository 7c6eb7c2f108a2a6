import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commandNames, main } from '../../../bot/cli/main.js';
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

describe('every subcommand', () => {
  it('answers --help and -h with its usage, exit 0', async () => {
    const names = await commandNames();
    expect(names.length).toBeGreaterThan(8);
    for (const name of names)
      for (const flag of ['--help', '-h']) {
        const { code, out, err } = await run([name, flag]);
        expect({ name, code, err }).toEqual({ name, code: 0, err: [] });
        expect(out.join('\n')).toContain(`Usage: pactus-bot ${name}`);
      }
  });

  it('names an unknown option in one line with the usage, never a stack', async () => {
    const answers: Record<string, { failed: boolean; named: boolean; stack: boolean }> = {};
    for (const name of await commandNames()) {
      const { code, out, err } = await run([name, '--no-such-option']);
      const text = [...out, ...err].join('\n');
      answers[name] = {
        failed: code !== 0,
        named: /no-such-option/.test(text),
        stack: /\n\s+at |ERR_PARSE_ARGS/.test(text),
      };
    }
    for (const [name, answer] of Object.entries(answers))
      expect({ name, ...answer }).toEqual({ name, failed: true, named: true, stack: false });
  });
});

it('contribute names a missing or unreadable key file in words', async () => {
  const missing = await run([
    'contribute',
    '--key',
    '/nonexistent/validator.key',
    '--upstream',
    'http://127.0.0.1:1',
  ]);
  expect(missing.code).toBe(1);
  expect(missing.err.join('\n')).toMatch(
    /cannot read the key file \/nonexistent\/validator\.key: there is no such file/,
  );
  expect(missing.err.join('\n')).not.toMatch(/ENOENT/);
  const folder = await run(['contribute', '--key', '/tmp', '--upstream', 'http://127.0.0.1:1']);
  expect(folder.err.join('\n')).toMatch(/it is a folder, not a file/);
});

it('devnet on a port in use says so in one line and exits 1', async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  try {
    const port = (busy.address() as { port: number }).port;
    const { code, err } = await run(['devnet', '--port', String(port)]);
    expect(code).toBe(1);
    expect(err).toEqual([
      `error: 127.0.0.1:${port} is already in use: stop the other program, or choose another port with --port (0 picks a free one).`,
    ]);
  } finally {
    await new Promise((resolve) => busy.close(resolve));
  }
});
