import { parseArgs } from 'node:util';
import { formatPac } from '../../pactus/index.js';
import { DEFAULT_DEVNET_MNEMONIC, startDevnet, unusedDevnetValidators } from '../../devnet/index.js';
import { loadDevnetConfig } from '../config.js';
import type { Command } from './main.js';

/** The standalone node's port unless --port says otherwise: a testnet node's gRPC port, as the README shows. */
export const DEVNET_CLI_PORT = 50052;

/** What devnet accepts (its --help names each). */
export const DEVNET_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string', default: '127.0.0.1' },
  chain: { type: 'string' },
} as const;

/**
 * `pactus-bot devnet [--host H] [--port N] [--chain <file>]`: runs the embedded devnet node until interrupted. It reads
 * DEVNET_MNEMONIC, DEVNET_BLOCK_MS and DEVNET_UNBOND_INTERVAL as `npm start` does, checked the same way; not
 * DEVNET_PORT, which is the port of `npm start`'s own devnet (0 in a copied .env.example: a port nobody could guess).
 */
export const devnetCommand: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    options: DEVNET_OPTIONS,
  });
  const port = values.port === undefined ? DEVNET_CLI_PORT : Number(values.port);
  if (values.port?.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    io.err('error: --port must be a port number from 0 to 65535 (0 picks a free one)');
    return 1;
  }
  const settings = loadDevnetConfig();
  let devnet;
  try {
    devnet = await startDevnet({
      host: values.host,
      port,
      mnemonic: settings.DEVNET_MNEMONIC ?? DEFAULT_DEVNET_MNEMONIC,
      blockMs: settings.DEVNET_BLOCK_MS,
      unbondInterval: settings.DEVNET_UNBOND_INTERVAL,
      chainFile: values.chain,
    });
  } catch (error) {
    // grpc-js says "No address added out of total 1 resolved" for a port in use (a bind that failed).
    const message = (error as Error).message ?? '';
    if (!/EADDRINUSE|No address added/.test(message)) throw error;
    io.err(
      `error: ${values.host}:${port} is already in use: stop the other program, or choose another port with --port (0 picks a free one).`,
    );
    return 1;
  }
  if (values.chain)
    io.out(
      devnet.restored.blocks > 0
        ? `Continuing the chain in ${values.chain} at block ${devnet.chain.height}.`
        : `Keeping a new chain in ${values.chain}.`,
    );
  io.out(`Pactus devnet (localnet) listening on ${devnet.endpoint}: set PACTUS_GRPC=${devnet.endpoint}`);
  io.out(`Test recovery phrase (public, never use it for real funds):\n  ${devnet.mnemonic}`);
  io.out('Funded accounts:');
  for (const { purpose, index, address } of devnet.chain.keys.accounts)
    io.out(
      `  ${purpose.padEnd(16)} #${index}  ${address.toString('testnet')}  ${formatPac(devnet.chain.account(address)!.balance)} PAC`,
    );
  io.out('Validators:');
  for (const { index, address } of devnet.chain.keys.validators)
    io.out(
      `  validator        #${index}  ${address.toString('testnet')}  ${formatPac(devnet.chain.validator(address)!.stake)} PAC staked`,
    );
  io.out('Unused validator keys (devnet only; stake to one with its public key to create a validator):');
  for (const { address, publicKey } of unusedDevnetValidators(devnet.mnemonic))
    io.out(`  ${address}  public key ${publicKey}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await devnet.stop();
  return 0;
};
