import { HELP_TOPICS } from '../help-topics.js';
import type { Rule } from './parser.js';

const COMMANDS = new Set(HELP_TOPICS.flatMap((t) => t.actions));
const SECTIONS = new Set(HELP_TOPICS.flatMap((t) => [t.name, ...t.aliases]));

/**
 * "help dao", "help with staking", "help on send", "help schedule payment": help on that section or command. Runs
 * before the domain rules, which would read "help dao" as a request for the proposals. Any other words after
 * "help" are left to the other rules.
 */
export const helpTopicRule: Rule = (a) => {
  const m =
    /^(?:please )?help(?: me)?(?: (?:with|on|about|for))? ([a-z_]+(?: [a-z_]+)?)(?: please)?[?.!]*$/.exec(
      a.words.trim(),
    );
  if (!m) return null;
  const command = m[1]!.replace(/ /g, '_');
  const topic = COMMANDS.has(command) ? command : SECTIONS.has(m[1]!) ? m[1]! : null;
  return topic ? { action: 'help', args: { topic } } : null;
};
