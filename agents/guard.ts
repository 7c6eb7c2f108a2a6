// Between a language model's tool call and the action: a money-moving call runs only if everything it would
// move is written in the person's message. A model can misread, hallucinate an address or be talked into a
// different amount; this check does not trust it.
import { analyze } from './rules/analysis.js';
import { readSingleAmount } from './rules/amounts.js';
import { moodOf } from './rules/mood.js';
import { DRAFTING_ACTIONS, VERBS } from './rules/parser.js';
import { speechActOf } from './rules/speech.js';
import { isNameLike } from './rules/vocabulary.js';

/** Calls that draft, sign or change something a person owns: each is checked against the message. */
export const GROUNDED_ACTIONS = new Set<string>([...DRAFTING_ACTIONS, 'propose']);

const VERB_OF: Record<string, RegExp> = {
  send: VERBS.send,
  send_many: VERBS.send,
  stake: VERBS.stake,
  stake_delegated: VERBS.stake,
  unstake: VERBS.unstake,
  withdraw: VERBS.withdraw,
  vote: /\b(vote|voting|abstain|ballot)\b/,
  propose: /\b(propose|proposal)\b/,
  veto: /\bveto\b/,
  unlink: VERBS.unlink,
  delegate: /\b(?:delegat\w*|let|vote|votes|voting)\b/,
  revoke_delegation: /\b(?:revoke|undelegate|take back|withdraw|cancel|end|stop|remove)\b/,
};

const ADDRESS_ARGS = ['to', 'from', 'validator', 'address', 'owner'];
const AMOUNT_ARGS = ['amount', 'share'];

export type Grounding = { ok: true } | { ok: false; reason: string };

const missing = (reason: string): Grounding => ({ ok: false, reason });

/**
 * Whether a tool call is grounded in the message: the action's verb is there, every address and amount in the
 * call appears in the message (read exactly as the rules read it), and the message asks for it rather than
 * asking about it. Read-only calls always pass.
 */
export function groundToolCall(message: string, name: string, args: Record<string, unknown>): Grounding {
  if (!GROUNDED_ACTIONS.has(name)) return { ok: true };
  const a = analyze(message);
  if (!VERB_OF[name]!.test(a.words)) return missing(`the message does not ask to ${name.replace('_', ' ')}`);
  const act = speechActOf(a.raw, a.body);
  if (act !== 'own')
    return missing(
      `the message ${act === 'code' ? 'is code or a tool call' : `is ${act} text`}, not your own request`,
    );
  const keep = name === 'vote' ? /\b(no|nay|against)\b/g : null;
  const mood = moodOf(a.words, a.sentence, keep);
  if (mood !== 'request') return missing(`the message is not a clear request (${mood})`);
  const written = new Set(a.addresses.map((f) => f.text.toLowerCase()));
  const amounts = new Set(a.amounts.map((x) => x.nano));
  const addresses: string[] = [];
  const values: string[] = [];
  for (const key of ADDRESS_ARGS)
    if (typeof args[key] === 'string' && args[key]) addresses.push(args[key] as string);
  for (const key of AMOUNT_ARGS)
    if (typeof args[key] === 'string' && args[key]) values.push(args[key] as string);
  if (typeof args.addresses === 'string') addresses.push(...args.addresses.split(/[,\s]+/).filter(Boolean));
  if (typeof args.recipients === 'string')
    for (const part of args.recipients
      .split(/[,;\n]+/)
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [to, amount] = part.split(/[\s:=]+/);
      if (to) addresses.push(to);
      if (amount) values.push(amount);
    }
  // A contact's name or "me" counts when the message says it; an address must be written in full.
  const said = new Set(a.tokens.map((t) => t.word));
  const saysMe = /\b(?:me|myself|my (?:own |other )?(?:wallet|account|address))\b/.test(a.words);
  for (const address of addresses) {
    const typed = address.trim().toLowerCase();
    if (written.has(typed)) continue;
    if (typed === 'me' ? saysMe : isNameLike(typed) && said.has(typed)) continue;
    return missing(`${address.slice(0, 16)}… is not in the message`);
  }
  for (const value of values) {
    const read = readSingleAmount(value);
    if ('all' in read) {
      if (!a.all) return missing('the message does not ask for everything');
    } else if ('problem' in read || !amounts.has(read.nano))
      return missing(`the amount ${value.slice(0, 20)} is not in the message`);
  }
  if (name === 'vote') {
    const proposal = String(args.proposal ?? '');
    if (!new RegExp(`(^|\\D)${proposal}(\\D|$)`).test(a.raw))
      return missing('the proposal number is not in the message');
    const choice = String(args.choice ?? '');
    const said = {
      yes: /\b(yes|yay|yea|yeah|yep|aye|for|approve|support|favou?r)\b/,
      no: /\b(no|nay|against|reject|oppose)\b/,
      abstain: /\babstain/,
    }[choice as 'yes'];
    if (!said?.test(a.words)) return missing('the choice is not in the message');
  }
  return { ok: true };
}
