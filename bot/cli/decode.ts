import { parseArgs } from 'node:util';
import { CodecError, decodeTransactionHex, isNetwork, viewTransaction } from '../../pactus/index.js';
import { argsProblem } from './args.js';
import type { Command } from './main.js';

/**
 * `pactus-bot decode [--network mainnet|testnet] <hex>`: one JSON object, or one error line and exit code 1.
 *
 * A transaction's bytes carry addresses as a type byte and a hash, with no network in them (the bech32 prefix
 * `pc`/`tpc` exists only in text), and nothing else in them names the chain either: the network cannot be
 * inferred. Without --network the addresses are written for mainnet, and a note on stderr says it was assumed
 * (stdout stays the one JSON object).
 */
export const decodeCommand: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { network: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    io.err(`error: ${argsProblem(error)}`);
    return 1;
  }
  const assumed = parsed.values.network === undefined;
  const network = parsed.values.network ?? 'mainnet';
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
    if (assumed)
      io.err(
        'note: the bytes do not say which network they are for; addresses are shown for mainnet. For testnet or devnet bytes, pass --network testnet.',
      );
    return 0;
  } catch (error) {
    if (error instanceof CodecError) {
      io.err(`error: invalid transaction: ${error.reason} (byte offset ${error.offset})`);
      return 1;
    }
    throw error;
  }
};
