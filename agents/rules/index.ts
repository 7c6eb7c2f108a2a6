import type { Network } from '../../pactus/network.js';
import type { ActionRegistry } from '../registry.js';
import { RulesParser, clarify, type Intent, type Rule } from './parser.js';
import { walletRules } from './wallet-rules.js';

export { RulesParser, clarify, type Intent, type Offer, type Rule } from './parser.js';

/** Rule sets by domain; governance and rewards add theirs before the wallet's catch-alls. */
export function createRulesParser(network: Network, extraRules: Rule[] = []): RulesParser {
  return new RulesParser([...extraRules, ...walletRules], network);
}

/**
 * The rules' reading of a message, validated with the action's own zod schema, so what comes out can be run
 * as is: `{action, args}`, or `{action: null, reason}` when the text is unclear, unsafe or invalid.
 */
export function understand(text: string, parser: RulesParser, registry: ActionRegistry): Intent {
  const intent = parser.parse(text);
  if (intent.action === null) {
    if (intent.choices) {
      const valid = intent.choices.flatMap((c) => {
        const parsed = registry.parseArgs(c.action, c.args);
        return 'error' in parsed ? [] : [{ ...c, args: stringArgs(parsed.input) }];
      });
      return {
        action: null,
        reason: intent.reason,
        final: intent.final,
        ...(valid.length && { choices: valid }),
      };
    }
    if (!intent.offer) return intent;
    const offered = registry.parseArgs(intent.offer.action, intent.offer.args);
    if ('error' in offered) return { action: null, reason: intent.reason, final: intent.final };
    return { ...intent, offer: { ...intent.offer, args: stringArgs(offered.input) } };
  }
  const parsed = registry.parseArgs(intent.action, intent.args);
  if ('error' in parsed) return clarify(parsed.error);
  return { action: intent.action, args: parsed.input as Record<string, string> };
}

/** Validated arguments as the strings a button carries. */
function stringArgs(input: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, String(v)]));
}
