import { clarify, type Rule } from './parser.js';

const NAME = '([a-z][a-z0-9_-]{0,31})';

/** Address-book and alert phrasings: "save tpc1... as alice", "my contacts", "forget alice", "alerts off incoming". */
const contactRule: Rule = (a, ctx) => {
  if (/\b(save|add|remember|store)\b/.test(a.words) && /\bas\b/.test(a.words) && a.addresses.length) {
    const name = new RegExp(`\\bas\\s+${NAME}\\b`).exec(a.words)?.[1];
    if (a.addresses.length > 1) return clarify('Save one address at a time: "save tpc1... as alice".');
    if (!name) return clarify('Under which name? Say "save tpc1... as alice".');
    return { action: 'contact_save', args: { address: ctx.addr(a.addresses[0]!), name } };
  }
  if (
    /\b(my contacts|contacts|address book|saved addresses|contact list)\b/.test(a.words) &&
    !a.addresses.length
  )
    return { action: 'contacts', args: {} };
  const forget = new RegExp(`\\b(?:forget|delete contact|remove contact|remove)\\s+${NAME}\\b`).exec(a.words);
  if (forget && !a.addresses.length) return { action: 'contact_forget', args: { name: forget[1]! } };
  const alerts = /\b(?:alerts?|notifications?)\s+(on|off)(?:\s+(?:for\s+)?(incoming))?\b/.exec(a.words);
  if (alerts) return { action: 'alerts', args: { state: alerts[1]!, ...(alerts[2] && { kind: alerts[2] }) } };
  if (/\b(my alerts|alerts|alert settings)\b/.test(a.words) && !a.addresses.length)
    return { action: 'alerts', args: {} };
  return null;
};

export const contactRules: Rule[] = [contactRule];
