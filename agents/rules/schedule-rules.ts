// Recurring payments in natural words: "pay alice 5 PAC every month", "remind me to pay alice 5 pac weekly",
// "every friday send bob 2 PAC", "set up a payment of 10 PAC to carol once a month". Periods the schedules cannot
// keep ("every 2 weeks") and absurd ones ("every second") are refused, never read as a one-off payment.
import type { Analysis } from './analysis.js';
import { moodOf } from './mood.js';
import { clarify, refuse, type Intent, type Rule } from './parser.js';
import { SEND_VERB, readTransfer } from './transfer.js';
import { COUNT, countOf } from './vocabulary.js';

const WEEKDAYS: Record<string, string> = {
  monday: 'monday',
  mon: 'monday',
  tuesday: 'tuesday',
  tue: 'tuesday',
  tues: 'tuesday',
  wednesday: 'wednesday',
  wed: 'wednesday',
  thursday: 'thursday',
  thu: 'thursday',
  thurs: 'thursday',
  friday: 'friday',
  fri: 'friday',
  saturday: 'saturday',
  sat: 'saturday',
  sunday: 'sunday',
  sun: 'sunday',
};
const DAY_NAMES = Object.keys(WEEKDAYS).join('|');

const SUPPORTED: [RegExp, (m: RegExpExecArray) => string][] = [
  // "on friday" is one day, not every one ("on fridays" is): a one-off later is not a schedule.
  [new RegExp(`\\b(?:every|each)\\s+(?:single\\s+)?(${DAY_NAMES})s?\\b`), (m) => WEEKDAYS[m[1]!]!],
  [new RegExp(`\\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s\\b`), (m) => m[1]!],
  [/\b(?:every|each)\s+(?:single\s+)?(day|week|month)\b/, (m) => m[1]!],
  [
    /\b(daily|weekly|monthly)\b/,
    (m) => ({ daily: 'day', weekly: 'week', monthly: 'month' })[m[1] as 'daily'],
  ],
  [/\bonce\s+(?:a|an|per|every)\s+(day|week|month)\b/, (m) => m[1]!],
  // "5 PAC a month" repeats; "in a month", "after a week", "by a day" are one later time (timing.ts).
  [
    /(?<!\b(?:in|within|for|after|by|before|until|till|around)\s)\b(?:a|per)\s+(day|week|month)\b/,
    (m) => m[1]!,
  ],
];
const TOO_OFTEN = new RegExp(
  `\\b(?:every|each|per|a|an|once an?)\\s+(?:${COUNT}\\s+)?(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|moment|block|blocks)\\b|\\bevery\\s+second\\b(?!\\s+(?:day|week|month|${DAY_NAMES}))|\\b(?:hourly|minutely|secondly|nonstop|constantly|continuously)\\b`,
);
const UNSUPPORTED = new RegExp(
  `\\bevery\\s+(?:other|${COUNT})\\s+(?:days?|weeks?|months?|years?|${DAY_NAMES})\\b|\\b(?:bi-?weekly|bi-?monthly|fortnightly|every\\s+fortnight|yearly|annually|every\\s+year|each\\s+year|quarterly|twice\\s+an?\\s+\\w+|(?:two|three|2|3)\\s+times\\s+an?\\s+\\w+|semi-?monthly|every\\s+weekday|weekdays|weekends?)\\b`,
);

/** Words that name a payment to repeat, besides the send verbs. */
const SCHEDULE_VERB = new RegExp(`${SEND_VERB.source.slice(0, -2)}|payment|payments|schedule|standing)$`);
const PAYS = /\b(pay|send|transfer|give|wire|tip|move|payments?|schedule|remind|standing order)\b/;

function periodOf(words: string): { every: string; phrase: string } | { refused: string } | null {
  const often = TOO_OFTEN.exec(words);
  if (often)
    return {
      refused: `"${often[0]}" is too often: the shortest period for a recurring payment is a day (for example "pay alice 5 PAC every day"). Each time, I send you a fresh link to sign.`,
    };
  // "for 3 months": a schedule runs until it is stopped; a count of payments is not something it keeps.
  const limited = new RegExp(
    `\\bfor\\s+(?:the\\s+next\\s+)?(?:${COUNT}|a|an|a few|several)\\s+(?:days?|weeks?|months?|years?)\\b`,
  ).exec(words);
  if (limited)
    return {
      refused: `I cannot stop a schedule by itself after "${limited[0]}": a recurring payment runs until you stop it ("my schedules" lists them with their numbers). Say "pay alice 5 PAC every month" to start one.`,
    };
  const odd = UNSUPPORTED.exec(words);
  if (odd)
    return {
      refused: `I can remind you to pay every day, every week, every month or on one weekday each week (for example "pay alice 5 PAC every friday"); "${odd[0]}" is not one of those.`,
    };
  const days = new Set(
    [...words.matchAll(new RegExp(`\\b(${DAY_NAMES})s?\\b`, 'g'))].map((m) => WEEKDAYS[m[1]!]),
  );
  if (days.size > 1)
    return {
      refused: `A recurring payment has one weekday; set up one for each day, for example "pay alice 5 PAC every ${[...days][0]}".`,
    };
  // "on the 15th", "every 1st of the month": a day of the month the schedules cannot keep (they start today).
  const dayOfMonth =
    /\b(?:on\s+)?(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)|first|last|middle|end)\s+(?:day\s+)?of\s+(?:the|each|every|a)\s+month\b|\bon\s+the\s+\d{1,2}(?:st|nd|rd|th)?\b/.exec(
      words,
    );
  if (dayOfMonth)
    return {
      refused: `I cannot choose a day of the month ("${dayOfMonth[0].trim()}"): a monthly payment starts today and comes back on the same day each month. Say "pay alice 5 PAC every month" to start it today.`,
    };
  for (const [pattern, every] of SUPPORTED) {
    const m = pattern.exec(words);
    if (m) return { every: every(m), phrase: m[0] };
  }
  // "every 1st of the month", "each quarter": a repetition asked for but not one I can keep, never a one-off.
  const other = /\b(?:every|each|recurring|repeating|regularly|per)\b\s*\S*/.exec(words);
  if (other && !/\beach\b\s*(?:$|to\b|of\b|and\b)/.test(other[0]))
    return {
      refused: `I could not tell how often from "${other[0].trim()}". I can remind you every day, every week, every month or on one weekday each week, for example "pay alice 5 PAC every month".`,
    };
  return null;
}

function readSchedule(a: Analysis): Intent | null {
  // Stopping one is not setting one up ("cancel my recurring payment").
  if (!PAYS.test(a.words) || /\b(?:stop|cancel|end|delete|remove|kill|pause|terminate)\b/.test(a.words))
    return null;
  const period = periodOf(a.words);
  if (!period) return null;
  if ('refused' in period) {
    // "list my recurring payments" names schedules; only a payment asked for with a period is refused.
    if (a.amounts.length === 0 && !/\b(?:pay|send|transfer|give|wire|tip|move)\b/.test(a.words)) return null;
    return refuse(period.refused);
  }
  const frame = readTransfer(a, { verbs: SCHEDULE_VERB, noVerb: true });
  const example = `"pay alice 5 PAC every ${period.every}"`;
  if (!frame || frame.recipients.length === 0)
    return clarify(`Whom should I remind you to pay ${period.phrase}? Say for example ${example}.`);
  if (frame.recipients.length > 1)
    return clarify(`A recurring payment goes to one recipient; set up one for each, like ${example}.`);
  const to = frame.recipients[0]!;
  if (frame.amounts.length !== 1)
    return clarify(
      frame.amounts.length > 1
        ? 'I see more than one amount; say exactly how much each time.'
        : `How much each time? Say for example "pay ${to.to} 5 PAC every ${period.every}".`,
    );
  if (
    to.kind !== 'address' &&
    moodOf(a.raw.toLowerCase(), a.raw, /\bonce (?:a|an|per|every)\b/g) !== 'request'
  )
    return clarify(
      `To set up a recurring payment, say it plainly, for example "pay ${to.to} 5 PAC every ${period.every}".`,
    );
  return {
    action: 'schedule_payment',
    args: {
      to: to.to,
      amount: frame.amounts[0]!.value,
      every: period.every,
      ...(a.memo && { memo: a.memo }),
    },
  };
}

const STOP = new RegExp(
  `\\b(?:stop|cancel|end|delete|remove|kill|pause|terminate|halt|disable|turn off|switch off|no more)\\s+(?:paying\\s+|my\\s+|the\\s+)?(?:recurring\\s+|scheduled\\s+|standing\\s+)?(?:schedule|payment|order|transfer)s?\\s*(?:number\\s+|no\\.?\\s*|#\\s*)?(${COUNT})\\b`,
);

const scheduleRule: Rule = (a) => {
  if (a.addresses.length <= 1) {
    const read = readSchedule(a);
    if (read) return read;
  }
  const stop = STOP.exec(a.words) ?? STOP.exec(a.raw.toLowerCase());
  const id = stop ? countOf(stop[1]!) : null;
  if (id !== null) return { action: 'schedule_stop', args: { schedule: String(id) } };
  // "stop the payment to bob", "cancel my recurring payment": which one is not said.
  if (
    /\b(?:stop|cancel|end|delete|remove|kill|pause|terminate)\b.*\b(?:recurring|scheduled|standing|repeating|regular|monthly|weekly|daily)\s+(?:payment|order|transfer)s?\b|\bstop (?:paying|the payments?) (?:to )?\w+/.test(
      a.words,
    )
  )
    return clarify(
      'Which one? Say "stop schedule 2" with its number; "my schedules" lists them with their numbers.',
    );
  if (
    /\b(?:my\s+|list\s+|show\s+)?(?:schedules|scheduled\s+(?:payments?|transfers?)|recurring\s+payments?|standing\s+orders?|repeating\s+payments?|regular\s+payments?)\b|\b(?:which|what)\s+(?:payments?|transfers?)\s+(?:are|is)\s+scheduled\b|\b(?:which|what|any)\s+(?:of my\s+)?(?:payments?|transfers?)\s+(?:repeat|recur|are recurring|are repeating|run (?:every|each))\b/.test(
      a.words,
    ) &&
    !a.addresses.length
  )
    return { action: 'schedules', args: {} };
  return null;
};

export const scheduleRules: Rule[] = [scheduleRule];
