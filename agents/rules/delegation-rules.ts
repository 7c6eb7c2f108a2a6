// Vote delegation phrasings: "delegate my votes to tpc1...", "let tpc1... vote for me", "revoke my delegation",
// "who do I delegate to", "my delegators". They run before the other domains' rules: "delegate" alone is also
// staking's word (PIP-49), so a delegation must be about votes, and one that names an amount is left to staking.
import type { Analysis, FoundAddress } from './analysis.js';
import { moodOf } from './mood.js';
import { notOwnWords, speechActOf } from './speech.js';
import { laterPhrase } from './timing.js';
import { couldBeName } from './vocabulary.js';
import { clarify, refuse, type Intent, type Rule, type RuleContext } from './parser.js';

const VOTES = /\b(votes?|voting( power| rights)?|vote power|ballots?|dao|governance)\b/;
const DELEGATE_VERB = /\bdelegat(e|es|ing)\b/;
const GIVE_VOTES =
  /\b(give|assign|hand|lend|pass|transfer|entrust)\b(?: over)?(?: all)? (?:my |our )?(?:dao )?(votes?|voting power|voting rights|vote power)\b/;
/** "let tpc1... vote for me", "I want tpc1... to vote on my behalf". */
const LET_VOTE =
  /\b(?:let|allow|i want|i'd like|i would like) @addr (?:to )?(?:vote|cast (?:my |our )?votes?) (?:(?:for|on behalf of|instead of|in place of) (?:me|us)|on (?:my|our) behalf|in (?:my|our) place)\b/;
/** Taking the votes back without the word "delegation": "take back my votes", "I want to vote myself again". */
const OWN_VOTES_BACK =
  /\b(?:take|taking|get|getting) back (?:my |our )?(?:votes?|voting power)\b|\breclaim (?:my |our )?(?:votes?|voting power)\b|\bvote (?:myself|for myself|on my own) again\b/;
const SET_DELEGATE = /\b(make|set|change|appoint|choose|pick|name)\b.*\bmy (?:dao |vote |voting )?delegate\b/;
const REVOKE =
  /\b(revoke|revoking|cancel|withdraw|remove|undo|end|stop|drop|retract|take back|taking back|reclaim|get back)\b/;
const STATUS =
  /\bwho (?:do|did|am|have) i (?:delegat\w*|given my (?:votes?|voting power))\b|\bmy (?:dao |vote |voting )?delegat(?:ion|e)\b|\bdelegation status\b|\b(?:am i|are we) delegating\b|\bwho (?:is|are) (?:my (?:votes?|voting power)|my delegate)\b|\bwho (?:has|holds|got|gets|has got) my (?:votes?|voting power)\b|\bwho (?:votes|is voting|can vote) (?:for me|on my behalf|in my place)\b/;
const DELEGATORS =
  /\b(?:my |our )?delegators\b|\bwho (?:has |have )?(?:delegated|delegates|is delegating|are delegating)(?: (?:their |his |her )?(?:votes?|voting power))? to (?:me|us|@addr)\b|\bwho (?:gave|has given|have given) (?:me|us) (?:their )?(?:votes?|voting power)\b/;

/** The mood of the request with its own verbs taken out ("stop delegating" is a request, not a negation). */
function moodWithout(a: Analysis, own: RegExp): ReturnType<typeof moodOf> {
  return moodOf(a.words, a.sentence, new RegExp(own.source, 'g'));
}

/** Delegation's own verbs as a request word speech.ts knows, so that quoting or reporting them is seen as such. */
const DELEGATION_VERBS =
  /\b(?:revoke|revoking|undelegate|assign|hand|lend|pass|entrust|let|allow|appoint|choose|pick|make|take back|reclaim)\b/gi;
const asRequestVerbs = (text: string) => text.replace(DELEGATION_VERBS, 'delegate');
const REQUEST_ITSELF = /^(?:delegat\w*|undelegate|revoke|give|assign|hand|lend|let|make|set)$/;

/**
 * The time or event in a request (timing.ts), without the request's own words that its clause runs into ("after
 * the vote, delegate my ..."); none when the clause is the request itself ("what if I delegate ...": "if i").
 */
function laterOf(sentence: string): string | null {
  const words = laterPhrase(sentence)?.split(' ');
  if (!words) return null;
  const cut = words.findIndex((w) => REQUEST_ITSELF.test(w));
  const kept = cut >= 0 ? words.slice(0, cut) : words;
  if (kept.length === 1 && /^(?:if|when|whenever|once|after|before|until|till|unless)$/.test(kept[0]!))
    return null;
  if (kept.length === 2 && /^(?:i|we|you|u)$/.test(kept[1]!)) return null;
  return kept.length ? kept.join(' ') : null;
}

/**
 * A request about votes is done only when asked plainly, in the person's own words, for now; otherwise it is
 * explained, with the draft offered, or refused with the reason. Handing one's votes to someone is what a scam
 * asks for ("the admin says: delegate your votes to tpc1..."), so someone else's words never draft it, as they
 * never draft a payment (speech.ts); and a time or condition ("tomorrow", "after the vote") is not kept by a
 * signature made now (timing.ts), so it is refused, not dropped.
 */
function gated(
  a: Analysis,
  intent: { action: string; args: Record<string, string> },
  own: RegExp,
  what: string,
): Intent {
  const act = speechActOf(asRequestVerbs(a.raw), asRequestVerbs(a.body));
  if (act === 'reported')
    return refuse(
      "Those are someone else's words, so I did not act on them: I only do what you ask me yourself. If a stranger, a message or an email asks you to hand over your votes, it may well be a scam. If you do want it, ask me in your own words.",
    );
  if (act === 'quoted')
    return {
      action: null,
      reason: notOwnWords(act),
      final: true,
      offer: { action: intent.action, args: intent.args, label: 'Draft it' },
    };
  if (act !== 'own') return refuse(notOwnWords(act));
  const mood = moodWithout(a, own);
  if (mood === 'negated' || mood === 'retracted') return refuse('Understood: I will not draft anything.');
  // A time or an event the signature cannot keep is refused, whatever the mood; a clause that is the request
  // itself ("what happens if I delegate my votes ...") is no such time: it is explained below.
  const later = laterOf(a.sentence);
  if (later)
    return refuse(
      `I draft it now or not at all, not "${later}": a delegation counts from the block after you sign it, and I cannot wait for a time or an event. Ask me again then.`,
    );
  if (mood === 'request') return intent;
  return {
    action: null,
    final: true,
    reason: `${what} I only draft it: you sign it yourself on a one-time page, nothing changes before you sign, and you can revoke it at any time.`,
    offer: { action: intent.action, args: intent.args, label: 'Draft it' },
  };
}

const delegatorsRule: Rule = (a, ctx) => {
  if (!DELEGATORS.test(a.words)) return null;
  const address = /\bto @addr\b/.test(a.words) ? a.addresses[0] : undefined;
  const args: Record<string, string> = address ? { address: ctx.addr(address) } : {};
  return { action: 'delegators', args };
};

const revokeRule: Rule = (a) => {
  const undelegate = /\bundelegate\b/.test(a.words) && VOTES.test(a.words);
  const revoke =
    REVOKE.test(a.words) &&
    (/\bdelegation\b/.test(a.words) || (DELEGATE_VERB.test(a.words) && VOTES.test(a.words)));
  const back = OWN_VOTES_BACK.test(a.words) && a.addresses.length === 0;
  if (!undelegate && !revoke && !back) return null;
  const from = a.addresses.map((f) => f.text.toLowerCase());
  return gated(
    a,
    { action: 'revoke_delegation', args: from.length ? { from: from.join(', ') } : {} },
    new RegExp(`${REVOKE.source}|\\bundelegate\\b|${OWN_VOTES_BACK.source}`),
    'That would revoke your vote delegation: proposals snapshotted after you sign count only your own ballots.',
  );
};

const NAME = '([a-z][a-z0-9_-]{0,31})(?![\\w@-])';
/** "... to alice" (once the request's own words have begun: "i want to delegate" names no one). */
const TO_NAME = new RegExp(`\\bto ${NAME}`, 'g');
const AND_NAME = new RegExp(`^\\s*(?:,|and|or)\\s*${NAME}`);
/** "let alice vote for me", "make alice my delegate". */
const LET_NAME = new RegExp(LET_VOTE.source.replace('@addr', NAME));
const MAKE_NAME = new RegExp(
  `\\b(?:make|appoint|choose|pick|name) ${NAME} (?:as )?my (?:dao |vote |voting )?delegate\\b`,
);
/** The request's own words, which are never the name of the one who votes ("to delegate", "to votes"). */
const OWN_WORDS = /^(?:delegat\w*|votes?|voting|ballots?|dao|governance|power|rights)$/;

/**
 * The contact names said where the delegate stands (the action looks them up in the person's own book, as a
 * payment's recipient is): after "to" once the request has begun, in "let alice vote for me" and in "make alice
 * my delegate". Each distinct name once.
 */
function delegateNames(a: Analysis): string[] {
  const begins = a.words.search(new RegExp(`${VOTES.source}|${DELEGATE_VERB.source}`));
  const names = new Set<string>();
  for (const m of a.words.matchAll(TO_NAME)) {
    if (m.index < begins) continue;
    names.add(m[1]!);
    // "to alice and bob": a second delegate, which is asked about, never dropped.
    const more = AND_NAME.exec(a.words.slice(m.index + m[0].length));
    if (more) names.add(more[1]!);
  }
  // The words lose "&", "+" and commas ("alice & bob" reads "alice bob"): the text as typed still has them.
  for (const m of a.raw.toLowerCase().matchAll(new RegExp(`\\bto ${NAME}\\s*[&+/,;]\\s*${NAME}`, 'g')))
    if (couldBeName(m[1]!, true) && couldBeName(m[2]!, true)) names.add(m[1]!).add(m[2]!);
  for (const re of [LET_NAME, MAKE_NAME]) {
    const m = re.exec(a.words);
    if (m) names.add(m[1]!);
  }
  return [...names].filter((n) => couldBeName(n, true) && !OWN_WORDS.test(n));
}

/**
 * The delegate is the address after "to" (or the only one, or the one in "let X vote for me"), or a contact's name
 * in one of those places; the holders are those after "from" or "of". Any other address or name is a second
 * delegate, which is never guessed at.
 */
function delegateOf(a: Analysis, ctx: RuleContext): { to: string; from: string[] } | Intent {
  const holder = (f: FoundAddress) =>
    f.from || /\bof\s+$/i.test(a.raw.slice(Math.max(0, f.index - 4), f.index));
  const candidates = a.addresses.filter((f) => !holder(f));
  const names = delegateNames(a);
  const from = a.addresses.filter(holder).map((f) => ctx.addr(f));
  if (candidates.length === 0 && names.length === 1) return { to: names[0]!, from };
  if (names.length > 0)
    return clarify(
      'To which one? Say "delegate my votes to tpc1..." or to one contact\'s name (one delegate at a time).',
    );
  if (a.addresses.length === 0)
    return clarify(
      'Who should vote for you? Say "delegate my votes to tpc1..." with their address, or a name from your contacts.',
    );
  const flagged = candidates.filter((f) => f.to);
  const pick = LET_VOTE.test(a.words) ? [candidates[0]!] : flagged.length ? flagged : candidates;
  if (pick.length !== 1 || candidates.length !== 1)
    return clarify('To which one address? Say "delegate my votes to tpc1..." (one delegate at a time).');
  return { to: ctx.addr(pick[0]!), from };
}

const delegateRule: Rule = (a, ctx) => {
  const asked =
    (DELEGATE_VERB.test(a.words) && VOTES.test(a.words)) ||
    GIVE_VOTES.test(a.words) ||
    LET_VOTE.test(a.words) ||
    LET_NAME.test(a.words) ||
    (SET_DELEGATE.test(a.words) && (a.addresses.length > 0 || delegateNames(a).length > 0));
  // "who do I delegate my votes to?" asks about the present delegation.
  if (
    !asked ||
    a.amounts.length > 0 ||
    (a.addresses.length === 0 && delegateNames(a).length === 0 && STATUS.test(a.words))
  )
    return null;
  const parties = delegateOf(a, ctx);
  if ('action' in parties) return parties;
  return gated(
    a,
    {
      action: 'delegate',
      args: { to: parties.to, ...(parties.from.length && { from: parties.from.join(', ') }) },
    },
    /\bdelegat\w*\b/,
    `That would let ${parties.to} vote with your power on proposals snapshotted after you sign, unless you vote yourself.`,
  );
};

const statusRule: Rule = (a, ctx) => {
  if (!STATUS.test(a.words)) return null;
  const args: Record<string, string> = a.addresses.length === 1 ? { address: ctx.addr(a.addresses[0]!) } : {};
  return { action: 'delegation', args };
};

/** Order: "who delegates to me" before "who do I delegate to"; revoking before delegating ("stop delegating"). */
export const delegationRules: Rule[] = [delegatorsRule, revokeRule, delegateRule, statusRule];
