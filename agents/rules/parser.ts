import type { Network } from '../../pactus/network.js';
import { NETWORK_PARAMS } from '../../pactus/network.js';
import { analyze, type Analysis, type FoundAddress } from './analysis.js';
import type { Offer } from './explain.js';
import { MONEY_WORDS, gateIntent, laterRefusal } from './gate.js';
import { moodOf } from './mood.js';
import { containsSecret, SECRET_REFUSAL } from '../../pactus/secrets/index.js';
import { correctCommandWords, didYouMean } from './typos.js';
import { readCorrection } from './corrections.js';

export type { Offer } from './explain.js';

export { DRAFTING_ACTIONS } from './gate.js';

/**
 * `final` marks a refusal for safety (a secret in the message, a wrong-network address, "don't send...", several
 * requests at once): no language model gets to second-guess it.
 */
export type Intent =
  | { action: string; args: Record<string, string> }
  | {
      action: null;
      reason: string;
      final?: boolean;
      offer?: Offer;
      /** Readings offered side by side, none preferred: a ballot with no choice gets yes, no and abstain. */
      choices?: Offer[];
    };

/** A rule: returns an intent when the message is its kind of request, or null to let the next rule look. */
export type Rule = (a: Analysis, ctx: RuleContext) => Intent | null;

export interface RuleContext {
  network: Network;
  /** Formats a found address (lower case). */
  addr(found: FoundAddress): string;
}

/** Unicode direction overrides, embeddings and isolates (and the marks that steer them). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

const ONE_AT_A_TIME = 'One request at a time, please: I will not guess which of these you meant first.';

/** Read-only answers some rule gives on a keyword; any other rule's action for the same message wins over them. */
const KEYWORD_READINGS = new Set(['account', 'balance', 'history', 'contacts', 'deployment', 'my_addresses']);

export const clarify = (reason: string): Intent => ({ action: null, reason });
export const refuse = (reason: string): Intent => ({ action: null, reason, final: true });

/** Verb families with the misspellings people actually type. */
export const VERBS = {
  send: /\b(send|snd|sned|sedn|semd|sen|pay|pya|transfer|tranfer|trasnfer|transfere|trnasfer|give|gimme|tip|move|wire)\b/,
  // "lock 1000 PAC in tpc1p...": "lock" stakes only with a validator address in the message (stakeRule).
  // "put 12 PAC into staking on tpc1p...", "add 7 PAC to my stake on tpc1p...": the noun after a placing verb.
  stake:
    /\b(stake|stak|staek|bond|delegate)\b|\block\b(?=.*@addr)|\b(?:put|add|move|place)\b.*\b(?:into|in|to|towards?) (?:my |the )?(?:staking|stake|bond)\b/,
  unstake:
    /\b(unstake|unstak|unbond|undelegate|stop staking|stop validating|stop bonding|unstaking|unbonding)\b|\b(?:pull|take|get|remove)\s+(?:my |the |all my )?(?:whole |entire )?stake\s+(?:out|off|back|away)\b/,
  withdraw:
    /\b(withdraw|withdrawl|withdrawal|withraw|widthdraw|withdrew|withdaw)\b|\btake out\b(?!\s+(?:all|everything|my|the)\b)(?=.*\bfrom @addr)|\bclaim\b(?=.*\bunbonded\b.*\bfrom @addr)/,
  balance:
    /\b(balance|balanse|balnce|blance|ballance|balace|bal|funds|how much (pac )?(do i|have i got)|how many pacs?)\b/,
  link: /\b(link|connect|register|verify|add)\b/,
  unlink: /\b(unlink|disconnect|remove|forget|delete)\b/,
} as const;

/**
 * The deterministic understanding of common English phrasings. It is the whole "model" when no LLM is
 * configured, and the fast path in front of the LLM when one is. Rules run in order; the first that claims a
 * message decides it. Anything money-moving must be stated completely (amount and recipient), or it asks back.
 */
export class RulesParser {
  constructor(
    private readonly rules: Rule[],
    private readonly network: Network,
  ) {}

  parse(message: string): Intent {
    if (message.length > 2000)
      return refuse('That message is too long for me. Please ask one short request at a time.');
    if (containsSecret(message)) return refuse(SECRET_REFUSAL);
    // "5 PAC to \u202Eevil\u202C" shows "live" on screen but names "evil": what is seen is not what is read.
    if (BIDI_CONTROL.test(message))
      return refuse(
        'Your message has invisible text-direction characters, so what you see may not be what I read. Please type it again without them.',
      );
    const corrected = readCorrection(message, (text) => this.parse(text));
    if (corrected) return corrected;
    const segments = message
      .split(/(?<=[?!.;])\s+(?=\S)|(?<!\s)\s+(?:and then|and also|then|also)\s+/i) // runs read from their start: linear
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    if (segments.length > 1) {
      const intents = segments.map((s) => this.parseOne(s)).filter((i) => i.action !== null);
      const actions = new Set(intents.map((i) => i.action));
      if (actions.size > 1) return refuse(ONE_AT_A_TIME);
    }
    return this.parseOne(message);
  }

  /** One request; a mistyped command word gets "did you mean ...?" when the corrected words read as one. */
  private parseOne(message: string): Intent {
    const direct = this.read(message);
    if (direct.action !== null || direct.final || direct.offer || direct.choices) return direct;
    const corrected = correctCommandWords(message);
    return (corrected && didYouMean(this.read(corrected.text), corrected)) ?? direct;
  }

  private read(message: string): Intent {
    const a = analyze(message);
    const ctx: RuleContext = { network: this.network, addr: (f) => f.text.toLowerCase() };
    const wrong = a.addresses.find((f) => f.parsed.network !== this.network);
    if (wrong)
      return refuse(
        `${wrong.text} is a ${wrong.parsed.network} address, but I work on ${this.network} (addresses start with "${NETWORK_PARAMS[this.network].addressHrp}1").`,
      );
    if (a.badAmount && /\b(send|pay|transfer|give|tip|move|stake|bond|withdraw|fees?)\b/.test(a.words))
      return refuse(a.badAmount);
    if (a.invalidAddresses.length > 0)
      return refuse(
        `${a.invalidAddresses[0]!.slice(0, 60)} is not a valid address (check for a typo: the checksum does not match).`,
      );
    // A keyword reading (a list or a lookup claimed on one word: "contacts", "stake", "how much") yields to a
    // later rule that reads the message as a request of its own ("block payments to addresses not in my
    // contacts" is a limit, "did I get any rewards" asks for rewards, not the history).
    let keyword: Intent | null = null;
    for (const rule of this.rules) {
      const intent = rule(a, ctx);
      if (!intent) continue;
      if (intent.action !== null && KEYWORD_READINGS.has(intent.action)) {
        keyword ??= intent;
        continue;
      }
      // A later rule's question does not displace a keyword reading; its refusal for safety does.
      if (keyword && intent.action === null && !intent.final) break;
      // "check my balance and send 5 PAC to bob": two requests joined, not one read more specifically.
      if (keyword && intent.action !== keyword.action && /\b(?:and|plus)\b|&/.test(a.words))
        return refuse(ONE_AT_A_TIME);
      return this.gate(intent, a);
    }
    if (keyword) return this.gate(keyword, a);
    const mood = moodOf(a.words, a.sentence);
    if (MONEY_WORDS.test(a.words) && ['negated', 'retracted'].includes(mood))
      return refuse('Understood: I will not draft anything.');
    const later = laterRefusal(a);
    if (later) return later;
    if (a.greeted || /^(hi|hello|hey|gm|yo|hiya|good (morning|evening|afternoon))\b/.test(a.words))
      return clarify('Hello! Ask me for your balance, to send or stake PAC, or say "help".');
    if (/^(thanks|thank you|thx|ty|cheers)\b/.test(a.words)) return clarify('You are welcome!');
    return clarify('I did not understand that. Say "help" to see what I can do.');
  }

  /** Only the person's own, clear request drafts something or changes their setup (gate.ts). */
  private gate(intent: Intent, a: Analysis): Intent {
    return gateIntent(intent, a);
  }
}

// The one secret detector lives in pactus/secrets: re-exported for the callers that always found it here.
export { containsSecret, SECRET_REFUSAL } from '../../pactus/secrets/index.js';
