import {
  PactusError,
  parsePrivateKey,
  parsePublicKey,
  type PublicKey,
  type Network,
} from '../../pactus/index.js';
import type { Command } from './main.js';

/** `pactus-bot address <public key | private key>`: the account (and, for BLS, validator) address. */
export const addressCommand: Command = async (args, io) => {
  const [text, ...extra] = args;
  if (text?.startsWith('--')) {
    io.err(`error: unknown option ${text}; address takes one key and no options`);
    return 1;
  }
  if (!text || extra.length) {
    io.err('error: give one public key (public1.../tpublic1...) or private key (SECRET1.../TSECRET1...)');
    return 1;
  }
  let key: PublicKey;
  let network: Network;
  try {
    const lower = text.trim().toLowerCase();
    if (lower.startsWith('secret1') || lower.startsWith('tsecret1')) {
      const parsed = parsePrivateKey(text);
      key = parsed.key.publicKey();
      network = parsed.network;
    } else {
      ({ key, network } = parsePublicKey(text));
    }
  } catch (error) {
    if (error instanceof PactusError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
  io.out(
    JSON.stringify({
      network,
      scheme: key.scheme,
      publicKey: key.toString(network),
      accountAddress: key.accountAddress().toString(network),
      ...(key.scheme === 'bls' && { validatorAddress: key.validatorAddress().toString(network) }),
    }),
  );
  return 0;
};
