// Alert settings in every word order: "turn off incoming alerts", "turn incoming alerts off", "alerts off
// incoming", "mute proposal alerts", "no more validator notifications", "tell me when my stake is withdrawable".
// A negation of the switch itself ("don't turn alerts off") is left to the gate, which changes nothing.
import type { Analysis } from './analysis.js';
import { clarify, type Intent, type Rule } from './parser.js';

const KINDS: [RegExp, string][] = [
  [
    // "ping me when money comes in": money arriving is the incoming kind, not every kind.
    /\b(?:incoming|deposits?|receiv\w*|transfers?|payments?|received|arrivals?|get paid|sends? me|pays? me|(?:money|pac|funds|coins?|cash) (?:comes? in|came in|arrives?|lands?|hits?)|i get (?:money|pac|funds|coins?|cash))\b/,
    'incoming',
  ],
  [/\b(?:proposals?|governance|dao|votes?|voting|polls?|ballots?)\b/, 'proposals'],
  [/\b(?:validators?|committee|availability|uptime|my node|nodes?)\b/, 'validator'],
  [
    /\b(?:withdrawable|withdrawals?|withdraw|unbond\w*|unlocked|stake (?:is|becomes) (?:free|available|withdrawable))\b/,
    'withdrawable',
  ],
];

const NOUN = /\b(?:alert(?:s|ing)?|notif\w*|ping(?:s|ing)?|reminders?|dms?)\b/;
const STRONG_OFF =
  /\b(?:off|disable[ds]?|mute[ds]?|silence[ds]?|deactivate[ds]?|stop|pause[ds]?|no more|no longer|unsubscribe[ds]?|quiet|(?:don'?t|do not) (?:want|need)|(?:don'?t|do not|never) (?:notify|alert|tell|send|message|ping|dm|bother|remind)(?: me| us)?)\b/;
const STRONG_ON = /\b(?:on|enable[ds]?|unmute[ds]?|unsilence|activate[ds]?|resume|restart|subscribe|back)\b/;
const WEAK_ON =
  /\b(?:(?:notify|alert|tell|ping|message|remind|dm) (?:me|us)|let me know|keep me posted|i want)\b/;
/** Asking what is on, rather than switching anything. */
const ASKING =
  /^(?:which|what|what's|whats|show|list|view|see|check|are|is|do i have|how are|tell me (?:which|what))\b/;
const SWITCH = /\b(?:turn|switch|enable|disable|mute|unmute|silence|stop|activate|deactivate|pause|resume)\b/;
/** "tell me when my stake is withdrawable", "let me know about new proposals". */
const WHEN_READY =
  /\b(?:(?:tell|ping|message|dm) (?:me|us)\s+(?:when|if|whenever|once|as soon as)|(?:notify|alert) (?:me|us)\s+(?:when|if|whenever|once|as soon as|about|of|on)|(?:let me know|keep me posted)\s+(?:when|if|whenever|once|as soon as|about|of|on))\b/;
/** A kind word with a verb that only means alerts ("mute incoming", "unmute proposals"). */
const MUTE_ALONE = /\b(?:mute|unmute|silence|unsilence)\b/;

function kindsIn(words: string): string[] {
  return [...new Set(KINDS.filter(([pattern]) => pattern.test(words)).map(([, kind]) => kind))];
}

function readAlerts(a: Analysis): Intent | null {
  const w = a.words;
  // "mute everything", "unmute all": with nothing else in the message, every alert.
  const all = /^(mute|silence|unmute|unsilence) (?:everything|all(?: of (?:it|them))?)$/.exec(w);
  if (all) return { action: 'alerts', args: { state: all[1]!.startsWith('un') ? 'on' : 'off' } };
  const noun = NOUN.test(w);
  const kinds = kindsIn(w);
  if (!noun && !((MUTE_ALONE.test(w) || WHEN_READY.test(w)) && kinds.length)) return null;
  if (a.addresses.length || a.amounts.length || a.txIds.length) return null;
  // "which alerts are on" asks; "what if I turn alerts off" and a quoted switch are left to the gate to explain.
  if (ASKING.test(w) && !SWITCH.test(w) && !/\bwhat (?:if|happens|does|would)\b|["“”]/.test(a.sentence))
    return { action: 'alerts', args: { state: 'list' } };
  const off = STRONG_OFF.test(w);
  const on = STRONG_ON.test(w.replace(/\b(?:notify|alert|tell|ping|message|dm) (?:me|us) on\b/g, ' '));
  let state: 'on' | 'off' | null = off && !on ? 'off' : on && !off ? 'on' : null;
  if (off && on) {
    // "turn the proposal alerts back on, mute incoming": two switches at once are not guessed at.
    return clarify(
      'Do you want those alerts on or off? Say one at a time, for example "turn off incoming alerts" or "turn on proposal alerts".',
    );
  }
  if (!state && WEAK_ON.test(w)) state = 'on';
  if (!state)
    return /\b(?:my|alert|notification)\b|^(?:alerts?|notifications?)$/.test(w)
      ? { action: 'alerts', args: { state: 'list' } }
      : null;
  if (kinds.length > 1)
    return clarify(
      `One kind of alert at a time, please: say "alerts ${state} ${kinds[0]}", then "alerts ${state} ${kinds[1]}".`,
    );
  return { action: 'alerts', args: { state, ...(kinds[0] && { kind: kinds[0] }) } };
}

const alertRule: Rule = (a) => readAlerts(a);

export const alertRules: Rule[] = [alertRule];
