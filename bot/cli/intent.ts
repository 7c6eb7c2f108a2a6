import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { buildRegistry } from '../../agents/catalog.js';
import { createRulesParser, understand } from '../../agents/rules/index.js';
import { isNetwork } from '../../pactus/network.js';
import { loadConfigPart } from '../config.js';
import type { Command } from './main.js';

/**
 * `pactus-bot intent "<text>"`: the rules model's schema-validated reading of a message as one JSON line,
 * `{action, args}` or `{action: null, reason}`; without a text, one line in and one JSON line out per message.
 */
export const intentCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    // PACTUS_NETWORK as `npm start` reads it: empty (a copied .env.example) means unset.
    options: {
      network: { type: 'string', default: loadConfigPart(['PACTUS_NETWORK']).PACTUS_NETWORK ?? 'testnet' },
    },
    allowPositionals: true,
  });
  if (!isNetwork(values.network)) {
    io.err('error: --network must be mainnet or testnet');
    return 1;
  }
  const catalog = buildRegistry();
  const parser = createRulesParser(values.network, catalog.rules);
  const read = (text: string) => {
    const intent = understand(text, parser, catalog.actions);
    return JSON.stringify(intent.action === null ? { action: null, reason: intent.reason } : intent);
  };
  if (positionals.length) {
    io.out(read(positionals.join(' ')));
    return 0;
  }
  if (process.stdin.isTTY) io.err('Type a message per line (Ctrl-D ends); each gets one JSON line.');
  for await (const line of createInterface({ input: process.stdin })) io.out(read(line));
  return 0;
};
