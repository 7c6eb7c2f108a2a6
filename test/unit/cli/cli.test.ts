import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsProblem } from '../../../bot/cli/args.js';
import { SIMULATE_OPTIONS } from '../../../bot/cli/compute-simulate.js';
import { CONTRIBUTE_OPTIONS } from '../../../bot/cli/contribute.js';
import { DEVNET_CLI_PORT, DEVNET_OPTIONS } from '../../../bot/cli/devnet.js';
import { commandNames, main } from '../../../bot/cli/main.js';
import { DEFAULT_SIMULATION } from '../../../compute/simulate.js';
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

/** Runs with these variables set, and puts the environment back as it was (unit tests share one process). */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(before))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

describe('the command list and each --help', () => {
  it('help, --help, -h and nothing print the list (exit 0); an unknown command says so (exit 1)', async () => {
    for (const asked of [[], ['help'], ['--help'], ['-h']]) {
      const { code, out, err } = await run(asked);
      expect({ asked, code, err }).toEqual({ asked, code: 0, err: [] });
      expect(out[0]).toMatch(/^Usage: pactus-bot <command> \[options\]/);
      expect(out.join('\n')).toContain('--help for its options');
    }
    const unknown = await run(['-x']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toEqual(['Unknown command "-x".']);
  });

  it('--help names every option the command accepts, with the defaults the code uses', async () => {
    for (const [name, options] of [
      ['compute:simulate', SIMULATE_OPTIONS],
      ['contribute', CONTRIBUTE_OPTIONS],
      ['devnet', DEVNET_OPTIONS],
    ] as const) {
      const help = (await run([name, '--help'])).out.join('\n');
      for (const option of Object.keys(options)) expect(help, `${name} --${option}`).toContain(`--${option}`);
    }
    const simulate = (await run(['compute:simulate', '--help'])).out.join('\n');
    const d = DEFAULT_SIMULATION;
    for (const [option, value] of [
      ['blocks N', d.blocks],
      ['requests R', d.requestsPerBlock],
      ['contributors M', d.contributors],
      ['spot-check R', d.spotCheckRate],
      ['cheat-rate C', d.cheatRate],
      ['sybil-split K', d.sybilSplit],
      ['sybil-stake F', d.sybilStakeFloors],
      ['seed S', d.seed],
    ] as const)
      expect(simulate).toMatch(new RegExp(`--${option}[^;\\n]*\\(default ${value}[,)]`));
    expect((await run(['devnet', '--help'])).out.join('\n')).toContain(`default ${DEVNET_CLI_PORT}`);
  });

  it("a refused option is named in its first sentence only, never Node's advice with its broken quoting", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z-]{0,12}$/),
        fc.boolean(),
        fc.constantFrom('unknown', 'missing', 'positional'),
        (option, positionals, kind) => {
          let thrown: unknown;
          try {
            if (kind === 'unknown')
              parseArgs({ args: [`--x${option}`], options: {}, allowPositionals: positionals });
            else if (kind === 'missing')
              parseArgs({ args: [`--${option}`], options: { [option]: { type: 'string' } } });
            else parseArgs({ args: [option], options: {}, allowPositionals: false });
          } catch (error) {
            thrown = error;
          }
          const said = argsProblem(thrown);
          expect(said).not.toMatch(/To specify a positional|place it at the end|This command does not/);
          expect(said).toContain(
            kind === 'positional' ? option : `--${kind === 'unknown' ? 'x' : ''}${option}`,
          );
          expect(said).not.toMatch(/\.$/);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('settings and files the commands read, in words', () => {
  it('a wrong setting in .env or the environment is the sentence npm start prints (exit 2), never a stack', async () => {
    const { code, out, err } = await withEnv({ SIGNER_PORT: 'eighty', PACTUS_GRPC: '127.0.0.1:1' }, () =>
      run(['rewards:payout', '--dry-run']),
    );
    expect({ code, out }).toEqual({ code: 2, out: [] });
    expect(err).toEqual([
      'Invalid configuration (see .env.example):\n  SIGNER_PORT="eighty" must be a whole number from 0 to 65535.',
    ]);
  });

  it('devnet checks DEVNET_* before starting, and never repeats a phrase', async () => {
    const phrase = 'west dice keen expand cattle cram weasel coin burger guide vivid diet';
    for (const [vars, line] of [
      [
        { DEVNET_BLOCK_MS: '', DEVNET_UNBOND_INTERVAL: 'soon' },
        '  DEVNET_UNBOND_INTERVAL="soon" must be a whole number from 1 to 1000000.',
      ],
      [{ DEVNET_BLOCK_MS: '-5' }, '  DEVNET_BLOCK_MS="-5" must be a whole number from 50 to 60000.'],
      [
        { DEVNET_MNEMONIC: phrase },
        '  DEVNET_MNEMONIC must be a recovery phrase of 12 or 24 BIP-39 English words with a correct checksum (unset it for the public test phrase).',
      ],
    ] as const) {
      const { code, err } = await withEnv(vars, () => run(['devnet', '--port', '0']));
      expect({ code, err }).toEqual({ code: 2, err: [`Invalid configuration (see .env.example):\n${line}`] });
    }
  });

  it("devnet listens on 50052 unless --port says otherwise, whatever DEVNET_PORT (npm start's) holds", async () => {
    // Hold 50052, or find it held: either way the command must be refused there, not wander to a random port.
    const holder = createServer();
    await new Promise<void>((resolve) => {
      holder.once('error', () => resolve());
      holder.listen(DEVNET_CLI_PORT, '127.0.0.1', resolve);
    });
    try {
      for (const devnetPort of ['0', '']) {
        const { code, err } = await withEnv({ DEVNET_PORT: devnetPort }, () => run(['devnet']));
        expect({ code, err }).toEqual({
          code: 1,
          err: [
            `error: 127.0.0.1:${DEVNET_CLI_PORT} is already in use: stop the other program, or choose another port with --port (0 picks a free one).`,
          ],
        });
      }
      for (const bad of ['', 'x', '-1', '70000', '1.5'])
        expect((await run(['devnet', `--port=${bad}`])).err).toEqual([
          'error: --port must be a port number from 0 to 65535 (0 picks a free one)',
        ]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('verifiers say why a bundle or --deployment cannot be read: no such file, not JSON, nothing answering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-read-'));
    const notJson = join(dir, 'bundle.json');
    writeFileSync(notJson, 'not json\n');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const operator = 'tpc1zmmkzlmfp98pfw2a0792j58rrghwjg6283yhty0';
    // Exit 3 (could not check) when nothing could be read; 1 (not verified) for a file read and refused.
    const cases: [string[], number, string][] = [
      [[join(dir, 'none.json')], 3, `error: cannot read ${join(dir, 'none.json')}: there is no such file`],
      [[dir], 3, `error: cannot read ${dir}: it is a folder, not a file`],
      [
        [notJson],
        1,
        `error: cannot read ${notJson}: it is not JSON (bundles, receipts and manifests are the JSON files the bot serves)`,
      ],
      [
        [`http://127.0.0.1:${port}/proposals/1/bundle.json`],
        3,
        `error: cannot read http://127.0.0.1:${port}/proposals/1/bundle.json: nothing answers at that address (is the bot running, and is this its signer URL?)`,
      ],
    ];
    for (const command of ['verify-proposal', 'verify-epoch'])
      for (const [source, exit, said] of cases) {
        const { code, err } = await run([command, ...source, '--deployment', operator]);
        expect({ command, code, err }).toEqual({ command, code: exit, err: [said] });
      }
    const deployment = await run(['verify-proposal', notJson, '--deployment', 'operator.json']);
    expect(deployment.code).toBe(3);
    expect(deployment.err).toEqual([
      'error: --deployment operator.json is neither an operator address (pc1z.../tpc1z...) nor a manifest or history that can be read: there is no such file',
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('settings a copied .env.example leaves empty mean their defaults in the CLI too', () => {
  it('intent reads PACTUS_NETWORK as npm start does: empty is testnet, a wrong one is the config sentence', async () => {
    for (const empty of ['', '  ']) {
      const { code, out } = await withEnv({ PACTUS_NETWORK: empty }, () =>
        run(['intent', 'send 5 PAC to tpc1r6nm8ly4t8nuzvmq790uapugkgtyq05mja855kz']),
      );
      expect({ code, action: JSON.parse(out[0]!).action }).toEqual({ code: 0, action: 'send' });
    }
    const wrong = await withEnv({ PACTUS_NETWORK: 'moonnet' }, () => run(['intent', 'balance']));
    expect({ code: wrong.code, err: wrong.err }).toEqual({
      code: 2,
      err: [
        'Invalid configuration (see .env.example):\n  PACTUS_NETWORK="moonnet" must be one of mainnet, testnet.',
      ],
    });
  });

  it('contribute checks LOG_LEVEL before it listens, in the same words', async () => {
    const bls = vectors.keys.find((k) => k.scheme === 'bls')!;
    const dir = mkdtempSync(join(tmpdir(), 'cli-key-'));
    writeFileSync(join(dir, 'validator.key'), `${bls.privateKey}\n`, { mode: 0o600 });
    const { code, out, err } = await withEnv({ LOG_LEVEL: 'verbose' }, () =>
      run([
        'contribute',
        '--key',
        join(dir, 'validator.key'),
        '--upstream',
        'http://127.0.0.1:1',
        '--model-hash',
        'ab'.repeat(32),
        '--port',
        '0',
      ]),
    );
    expect({ code, out, err }).toEqual({
      code: 2,
      out: [],
      err: [
        'Invalid configuration (see .env.example):\n  LOG_LEVEL="verbose" must be one of fatal, error, warn, info, debug, trace, silent.',
      ],
    });
    expect(err.join('\n')).not.toContain(bls.privateKey);
    rmSync(dir, { recursive: true, force: true });
  });
});
