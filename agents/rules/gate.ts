// The last look before a reading becomes an action: only the person's own, clear request drafts something or
// changes their setup. Someone else's words (quoted, reported, translated, code) do neither; a negation or a
// take-back does nothing and says so; a question, a condition or a hypothetical is explained, with the action
// offered as a button instead of done.
import type { Analysis } from './analysis.js';
import { explainRequest } from './explain.js';
import { isRemark, moodOf } from './mood.js';
import type { Intent } from './parser.js';
import { notOwnWords, speechActOf } from './speech.js';
import { laterPhrase } from './timing.js';
import { isNameLike } from './vocabulary.js';

/** Actions that draft something a person signs, or undo their setup. */
export const DRAFTING_ACTIONS = [
  'send',
  'send_many',
  'stake',
  'stake_delegated',
  'unstake',
  'withdraw',
  'vote',
  'veto',
  'unlink',
  // A delegation or its revocation is a signed message that moves voting power, as a ballot is (issue 31 item 2:
  // a quoted or translated "delegate my votes to ..." used to draft one).
  'delegate',
  'revoke_delegation',
] as const;
const DRAFTING = new Set<string>(DRAFTING_ACTIONS);
/** Drafts that move PAC: a later time on one of them is asked about (timing.ts), never drafted for now. */
const MOVES_MONEY = new Set(['send', 'send_many', 'stake', 'stake_delegated', 'unstake', 'withdraw']);
const MOVING_WORDS = /\b(?:send|pay|transfer|give|tip|wire|stake|bond|unstake|unbond|withdraw|split)\b/;

/**
 * Actions that change a person's setup here, or draft for an operator, or hand out a link that can be spent:
 * they need the same clear request as drafts (issue 31 item 2: "state changes asked for in such text need the
 * same clear imperative as drafts"). Read-only actions (balances, lists, status) are not in it.
 */
const SETUP = new Set([
  'link',
  'primary',
  'contact_save',
  'contact_forget',
  'schedule_payment',
  'schedule_stop',
  'limit_set',
  'limits_cancel',
  'undo',
  'propose',
  'contract_deploy',
  'contract_upload',
  'compute_anchor',
  'compute_payout',
  'rewards_payout',
  'deployment_anchor',
]);

export const MONEY_WORDS =
  /\b(send|pay|transfer|give|tip|move|wire|stake|bond|unstake|unbond|withdraw|vote|veto|link|unlink|forget|remove|alerts?|notifications?|schedule|save)\b/;

/**
 * "stake 10 PAC on tpc1p... tomorrow", "split 10 PAC between alice and bob at 17:30": a draft that moves PAC is for
 * now, so a time or condition the bot cannot keep (timing.ts) is refused with the reason. Final: a model cannot
 * keep the time either, so it does not get to draft the request for now. Schedules read their own periods.
 */
export function laterRefusal(a: Analysis): Intent | null {
  if (
    !MOVING_WORDS.test(a.words) ||
    /\b(?:every|each|daily|weekly|monthly|recurring|schedule)\b/.test(a.words)
  )
    return null;
  const later = laterPhrase(a.sentence);
  return later
    ? refuse(
        `I draft it now or not at all, not "${later}": I cannot wait for a time or an event. Ask me again then.`,
      )
    : null;
}

/**
 * Times that are a setting's own value, not a time to wait for: a schedule's period ("every friday", "on sundays",
 * "monthly") and a limit's duration ("cooling-off 24 hours", "wait 2 days before I can pay them").
 */
const OWN_TIME: Record<string, RegExp> = {
  schedule_payment:
    /\b(?:every|each|once an?|once per|per)\s+(?:(?:other|single|\d+|two|three)\s+)?(?:days?|weeks?|months?|(?:mon|tues|wednes|thurs|fri|satur|sun)days?)\b|\bon (?:mon|tues|wednes|thurs|fri|satur|sun)days\b|\b(?:daily|weekly|monthly)\b/g,
  limit_set:
    /\bbefore (?:i|we|you) (?:can |could )?(?:pay|send|paying|sending)\b.*$|(?<!\b(?:in|after|within) )\b\d+ ?(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\b/g,
};

/**
 * "cancel all my drafts after the weekend", "tonight at 11pm unlink tpc1...", "vote no on proposal 3 tomorrow": a
 * change is made now or not at all, so a time or condition the bot cannot keep is asked about (final: no model
 * gets to make the change now either). Money-moving drafts have their own wording (laterRefusal).
 */
function laterChange(action: string, a: Analysis): Intent | null {
  // "tell me when my stake is withdrawable" is what an alert is, not a time to wait for.
  const own = [IDIOMS[action], OWN_TIME[action]].filter((p): p is RegExp => p !== undefined);
  const later = laterPhrase(own.reduce((text, p) => text.replace(p, ' '), a.sentence));
  return later
    ? refuse(
        `I do that now or not at all, not "${later}": I cannot wait for a time or an event. Ask me again then.`,
      )
    : null;
}

/** Whether running this reading would draft something or change something. */
export function changesSomething(intent: Intent): boolean {
  if (intent.action === null) return false;
  if (DRAFTING.has(intent.action) || SETUP.has(intent.action)) return true;
  if (intent.action === 'alerts') return intent.args.state === 'on' || intent.args.state === 'off';
  if (intent.action === 'cancel') return Boolean(intent.args.draft);
  return false;
}

/** Words of a limit's own value that are not negations: "no limit", "no more than", "undo window", "none". */
export const LIMIT_WORDS =
  /\bwait(?= \d+ ?(?:hours?|hrs?|days?|weeks?) before\b)|\bno (?:daily |spending )?(?:limit|cap|window|cooling[ -]off)\b|\bno more than\b|\bno (?:single|one|individual) (?:transaction|tx|payment|transfer)\b|\b(?:that are |who are |which are )?not (?:in|on|among|from) (?:my |the )?(?:contacts?|contact list|address book)\b|\bundo\b|\bnone\b|\b(?:don'?t|do not|never) let me\b/g;

/**
 * Words that belong to the request itself and are not a negation, a condition or a take-back: a vote's "no",
 * "stop staking", "stop schedule 2", "no more proposal alerts", "tell me when my stake is withdrawable".
 */
const IDIOMS: Record<string, RegExp> = {
  vote: /\b(no|nay|against)\b/g,
  unstake: /\bstop (staking|bonding|delegating|validating)\b/g,
  alerts:
    /\b(?:stop|no more|no longer|(?:don'?t|do not) (?:want|need)(?! to\b)|(?:don'?t|do not|never) (?:notify|alert|tell|message|ping|send|dm|bother|spam|remind)(?: me| us)?|(?:tell|notify|alert|remind|ping|message|dm) (?:me|us) (?:when|if|whenever|once|as soon as)|let me know (?:when|if|whenever|once|as soon as))\b/g,
  // "remove schedule no. 4": "no." is "number".
  schedule_stop:
    /\b(?:stop|cancel|end|no more|don'?t pay|do not pay)\b|\b(?<=(?:schedule|payment|order) )no(?= \d)/g,
  schedule_payment: /\bonce (?:a|an|per|every)\b/g,
  cancel: /\b(?:cancel|abort|stop)\b/g,
  // The undo window is a setting's name; "no more than 5 PAC", "no daily limit" are values (limit-rules.ts).
  limit_set: LIMIT_WORDS,
  limits_cancel: /\b(?:cancel|abort|stop|undo)\b/g,
  // "cancel my vote delegation", "stop delegating": taking the delegation back is the request itself.
  revoke_delegation:
    /\b(?:cancel|stop|end|revoke|remove|undo|no longer)\b|\btake (?:back|(?:my|our) votes? back)\b/g,
  // "wait, undo that": the "wait" is the hurry of the undo, not a take-back of it.
  undo: /\bwait(?= undo\b)|\b(?:undo|cancel|abort|stop|take (?:it|that) back)\b/g,
};

function nothingDone(action: string | null): string {
  switch (action) {
    case 'alerts':
      return 'Understood: I left your alerts as they are (say "my alerts" to see them).';
    case 'contact_save':
    case 'contact_forget':
      return 'Understood: I left your contacts as they are.';
    case 'schedule_payment':
    case 'schedule_stop':
      return 'Understood: I left your recurring payments as they are.';
    case 'link':
    case 'unlink':
    case 'primary':
      return 'Understood: I left your linked wallets as they are.';
    case 'cancel':
    case 'undo':
    case 'limits_cancel':
      return 'Understood: I cancelled nothing.';
    case 'limit_set':
      return 'Understood: I left your limits as they are (say "my limits" to see them).';
    default:
      return 'Understood: I will not draft anything.';
  }
}

const refuse = (reason: string): Intent => ({ action: null, reason, final: true });

/** The contact names a reading carries (a name to save or forget, recipients typed as names). */
export function nameArgs(intent: Intent): string[] {
  if (intent.action === null) return [];
  const { name, to, recipients } = intent.args;
  const listed = (recipients ?? '').split(/,\s*/).map((r) => r.trim().split(/\s+/)[0] ?? '');
  return [name, to, ...listed]
    .filter((n): n is string => !!n && isNameLike(n) && n !== 'me')
    .map((n) => n.toLowerCase().replace(/(?<![-_])[-_]+$/, ''));
}

export function gateIntent(intent: Intent, a: Analysis): Intent {
  const changes = changesSomething(intent);
  const aboutMoney = intent.action === null && !intent.final && MONEY_WORDS.test(a.words);
  // A reading the rules only offer ("did you mean ...?", "vote yes on 3?") is held to the same words.
  const offered =
    intent.action === null && !intent.final && (intent.offer !== undefined || intent.choices !== undefined);
  // "proposal 3 is a terrible idea" is not a request to show it: a remark is answered as one.
  if (intent.action !== null && !changes && isRemark(a.words, a.sentence))
    return {
      action: null,
      reason: 'That sounds like a remark, not a request, so I did nothing. Say "help" to see what I can do.',
    };
  if (!changes && !aboutMoney && !offered) return intent;
  const act = speechActOf(a.raw, a.body);
  if (act !== 'own') {
    if (act === 'quoted' && intent.action !== null) {
      const offered = explainRequest(intent.action, intent.args, 'question', false);
      if (offered) return { action: null, reason: notOwnWords('quoted'), final: true, offer: offered.offer };
    }
    return refuse(notOwnWords(act));
  }
  // A name is content, not mood: a contact called "maybe" or "eg" does not make the request a hedge. It stays a
  // word, so "kofi is tpc1..., save it" does not start with "is" and read as a question.
  const names = nameArgs(intent);
  const strip = (text: string) =>
    names.reduce((t, n) => t.replace(new RegExp(`(?<![\\w-])${n}(?![\\w-])`, 'g'), ' someone '), text);
  const mood = moodOf(
    strip(a.words),
    strip(a.sentence),
    intent.action ? (IDIOMS[intent.action] ?? null) : null,
  );
  if (mood === 'negated' || mood === 'retracted')
    return refuse(
      nothingDone(intent.action ?? (offered ? (intent.offer ?? intent.choices![0]!).action : null)),
    );
  // "stake 10 PAC on tpc1p... tomorrow": a draft is for now, so a time the bot cannot keep is asked about.
  // A question back about such a request ("which validator?", "more than one amount": "12/25" reads as two) is
  // held to the same rule, so a model never gets to draft it for now either.
  const moving = intent.action !== null ? MOVES_MONEY.has(intent.action) : !intent.final;
  const later = moving ? laterRefusal(a) : changes ? laterChange(intent.action!, a) : null;
  if (later) return later;
  if (mood === 'request' || intent.action === null) return intent;
  const explained = explainRequest(intent.action, intent.args, mood, /\bshould\b/.test(a.words));
  return explained
    ? { action: null, reason: explained.reason, final: true, offer: explained.offer }
    : refuse('Nothing was done: ask me plainly when you want it done.');
}
