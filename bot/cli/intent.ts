import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { buildRegistry } from '../../agents/catalog.js';
import { createRulesParser, understand } from '../../agents/rules/index.js';
import { isNetwork } from '../../pactus/network.js';
import type { Command } from './main.js';

/**
 * `pactus-bot intent "<text>"`: the rules model's schema-validated reading of a message as one JSON line,
 * `{action, args}` or `{action: null, reason}`; without a text, one line in and one JSON line out per message.
 */
export const intentCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    options: { network: { type: 'string', default: process.env.PACTUS_NETWORK ?? 'testnet' } },
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
  for await (const line of createInterface({ input: process.stdin })) io.out(read(line));
  return 0;
};
