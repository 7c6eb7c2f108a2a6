import type { Analysis } from './analysis.js';
import { moodOf } from './mood.js';
import { LIMIT_WORDS } from './gate.js';
import { clarify, refuse, type Intent, type Rule } from './parser.js';
import { withoutCourtesy } from './vocabulary.js';

/**
 * A person's own limits and the undo window: "limits", "set my daily limit to 100 PAC", "max 20 PAC per
 * transaction", "only allow my contacts", "allowlist off", "cooling-off 24 hours", "undo window 30 seconds",
 * "cancel my pending limit changes", "undo". Runs before the contact rules ("only allow my contacts" is not a
 * request for the address book).
 */
const DURATION = /\b(\d{1,6})\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)\b/;
const OFF_WORDS =
  /\b(off|disable|disabled|none|remove|no (?:daily |spending )?(?:limit|window|cooling[ -]off))\b/;
/** Words that belong to the request and are not negations ("no limit", "turn it off", "undo window"). */
const KEEP = LIMIT_WORDS;
/** Thanks and greetings around a short command ("yo undo appreciate it"). */
const COURTESY_TAIL = /\s+(?:please|pls|thanks|thank you|thx|ty|cheers|appreciate it)$/;

function set(a: Analysis, setting: string, value: string): Intent {
  const mood = moodOf(a.words, a.sentence, KEEP);
  if (mood === 'negated' || mood === 'retracted') return refuse('Understood: I will not change your limits.');
  if (mood !== 'request')
    return clarify(
      'Your limits are checked before I make any signing link. To change one, say it plainly in a direct message, for example "set my daily limit to 100 PAC". Say "limits" to see yours.',
    );
  return { action: 'limit_set', args: { setting, value } };
}

/** The amount asked for, or a question back: limits are amounts stated exactly, never guessed. */
function amountFor(a: Analysis, setting: 'daily_limit' | 'tx_limit', example: string): Intent {
  if (OFF_WORDS.test(a.words) && !a.amounts.length) return set(a, setting, 'none');
  if (a.amounts.length !== 1)
    return clarify(
      `How much? Say "${example}", or "no ${setting === 'daily_limit' ? 'daily limit' : 'limit per transaction'}".`,
    );
  return set(a, setting, a.amounts[0]!.value);
}

const limitRule: Rule = (a) => {
  if (a.addresses.length) return null;
  const w = a.words;
  const bare = withoutCourtesy(w.replace(/^(?:yo|hey there|hi there|morning|good morning)\s+/, '')).replace(
    COURTESY_TAIL,
    '',
  );
  if (
    /^(?:(?:show|list|see)\s+)?(?:me\s+)?(?:my\s+)?(?:spending\s+)?limits(?:\s+please)?$|\bwhat are my (?:spending |current )?limits\b|^(?:my\s+)?limits?\s+settings$/.test(
      bare,
    )
  )
    return { action: 'limits', args: {} };
  if (
    /\b(cancel|drop|withdraw|stop)\b.*\b(pending|waiting)\b.*\b(limits?|changes?|loosening)\b|\bkeep my (?:old |current )?limits\b|\b(?:undo|revert|cancel) (?:my |the )?(?:last )?limits? changes?\b/.test(
      w,
    )
  )
    return { action: 'limits_cancel', args: {} };
  if (
    /^(?:please\s+)?(?:wait\s+)?undo(?:\s+(?:it|that|this|the last one|(?:my|the) last (?:payment|transaction|transfer|send|tx)|that (?:payment|transaction|transfer|send)))?(?:\s+please)?$/.test(
      bare,
    ) ||
    // "stop that transaction", "reverse my last payment": a payment just sent, taken back in the undo window.
    /^(?:wait\s+)?(?:stop|halt|reverse|undo) (?:that|this|my last|the last) (?:payment|transaction|transfer|send|tx)$/.test(
      bare,
    ) ||
    // "stop the transaction I just signed", "undo the payment I just made": the one in its undo window.
    /^(?:wait\s+)?(?:stop|halt|reverse|undo|cancel) (?:the|that|my) (?:payment|transaction|transfer|send|tx) i (?:just )?(?:signed|sent|made|approved)$/.test(
      bare,
    )
  )
    return { action: 'undo', args: {} };
  const undoTime =
    /\b(?:give me|i want|allow me|let me have|i need) (\d{1,6}) ?(seconds?|secs?|minutes?|mins?) to undo\b/.exec(
      w,
    );
  if (undoTime) return set(a, 'undo', `${undoTime[1]} ${undoTime[2]}`);
  if (/\bundo (?:window|delay|time|period|seconds)\b/.test(w)) {
    if (OFF_WORDS.test(w) && !DURATION.test(w)) return set(a, 'undo', 'off');
    const d = DURATION.exec(w) ?? /\bto (\d{1,6})\b/.exec(w);
    if (!d) return clarify('How many seconds? Say "undo window 30 seconds", or "undo window off".');
    return set(a, 'undo', d[2] ? `${d[1]} ${d[2]}` : `${d[1]} seconds`);
  }
  const waitNew =
    /\bwait (\d{1,6}) ?(hours?|hrs?|days?|weeks?) before (?:paying|sending to|payments to) (?:new|unknown|first[- ]time) (?:addresses|recipients|people)\b/.exec(
      w,
    ) ??
    // "make new addresses wait 2 days before I can pay them"
    /\b(?:make|have|let) (?:new|unknown|first[- ]time) (?:addresses|recipients|people) wait (\d{1,6}) ?(hours?|hrs?|days?|weeks?)\b/.exec(
      w,
    );
  if (waitNew) return set(a, 'cooling_off', `${waitNew[1]} ${waitNew[2]}`);
  if (/\bcool(?:ing)?[\s-]*(?:off|down)\b/.test(w)) {
    const d = DURATION.exec(w);
    if (!d) {
      if (
        /\b(?:off|disable|disabled|none|remove|no cooling[ -]off)\b/.test(
          w.replace(/\bcool(?:ing)?[\s-]*off\b/, ''),
        )
      )
        return set(a, 'cooling_off', 'off');
      return clarify('How long? Say "cooling-off 24 hours for new addresses", or "cooling-off off".');
    }
    return set(a, 'cooling_off', `${d[1]} ${d[2]}`);
  }
  if (
    /\bonly (?:allow|pay|send to|let)\b.*\bcontacts?\b|\b(?:block|refuse|reject|deny|stop|forbid)\b.*\bnot (?:in|on|among|from) (?:my |the )?(?:contacts?|contact list|address book)\b|\b(?:allowlist|whitelist) on\b|\bcontacts only\b|\b(?:turn|switch) on (?:the |my )?(?:allowlist|whitelist)\b/.test(
      w,
    )
  )
    return set(a, 'allowlist', 'on');
  if (
    /\b(?:allowlist|whitelist) off\b|\b(?:turn|switch) off (?:the |my )?(?:allowlist|whitelist)\b|\ballow (?:any|all|every) (?:address|addresses|recipients?)\b/.test(
      w,
    )
  )
    return set(a, 'allowlist', 'off');
  if (
    (/\b(?:per|each|a|every) (?:transaction|tx|payment|transfer)\b|\btransaction limit\b/.test(w) &&
      /\b(?:limit|max|maximum|at most|cap|no more than)\b/.test(w)) ||
    // "no single payment over 5 PAC", "no one transaction above 20 PAC"
    /\bno (?:single|one|individual) (?:transaction|tx|payment|transfer) (?:over|above|bigger than|larger than|more than|of more than)\b/.test(
      w,
    )
  )
    return amountFor(a, 'tx_limit', 'max 20 PAC per transaction');
  if (
    /\b(?:daily|spending) (?:limit|cap)\b|\blimit\b.*\b(?:a|per|each) day\b|\b(?:a|per) day\b.*\blimit\b|\bcap my (?:daily )?spending\b|\blet me spend (?:more than|over)\b.*\b(?:a|per|each) day\b/.test(
      w,
    )
  )
    return amountFor(a, 'daily_limit', 'set my daily limit to 100 PAC');
  return null;
};

export const limitRules: Rule[] = [limitRule];
