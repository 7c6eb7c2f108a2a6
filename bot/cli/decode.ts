import { parseArgs } from 'node:util';
import { CodecError, decodeTransactionHex, isNetwork, viewTransaction } from '../../pactus/index.js';
import type { Command } from './main.js';

/** `pactus-bot decode [--network mainnet|testnet] <hex>`: one JSON object, or one error line and exit code 1. */
export const decodeCommand: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { network: { type: 'string', default: 'mainnet' } },
      allowPositionals: true,
    });
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 1;
  }
  const network = parsed.values.network;
  if (!isNetwork(network)) {
    io.err(`error: --network must be mainnet or testnet, not "${network}"`);
    return 1;
  }
  const [hex, ...extra] = parsed.positionals;
  if (!hex || extra.length) {
    io.err('error: give exactly one transaction as hex: pactus-bot decode [--network mainnet|testnet] <hex>');
    return 1;
  }
  try {
    io.out(JSON.stringify(viewTransaction(decodeTransactionHex(hex), network)));
    return 0;
  } catch (error) {
    if (error instanceof CodecError) {
      io.err(`error: invalid transaction: ${error.reason} (byte offset ${error.offset})`);
      return 1;
    }
    throw error;
  }
};
