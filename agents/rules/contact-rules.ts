import { clarify, type Rule } from './parser.js';
import { moodOf } from './mood.js';

const NAME = '([a-z][a-z0-9_-]{0,31})';

/**
 * Address book, alert and schedule phrasings: "save tpc1... as alice", "my contacts", "forget alice", "alerts off
 * incoming", "my schedules", "stop schedule 2".
 */
const EVERY =
  /\bevery\s+(day|week|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(daily|weekly|monthly)\b/;

/** "pay alice 5 PAC every month", "send 2 PAC to tpc1... every friday" (before the one-off send rule). */
const scheduleRule: Rule = (a, ctx) => {
  const every = EVERY.exec(a.words);
  if (!every || !/\b(pay|send|transfer|give)\b/.test(a.words)) return null;
  const period = every[1] ?? { daily: 'day', weekly: 'week', monthly: 'month' }[every[2] as 'daily'];
  const to = a.addresses[0]
    ? ctx.addr(a.addresses[0])
    : new RegExp(`\\b(?:to|pay)\\s+${NAME}\\b`).exec(a.words)?.[1];
  if (!to || a.addresses.length > 1)
    return clarify('Whom should I remind you to pay? Say "pay alice 5 PAC every month".');
  if (a.amounts.length !== 1) return clarify('How much each time? Say "pay alice 5 PAC every month".');
  if (moodOf(a.raw.toLowerCase(), a.raw) !== 'request')
    return clarify(
      'To set up a recurring payment, say it plainly, for example "pay alice 5 PAC every month".',
    );
  return {
    action: 'schedule_payment',
    args: { to, amount: a.amounts[0]!.value, every: period, ...(a.memo && { memo: a.memo }) },
  };
};

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
  const alerts =
    /\b(?:alerts?|notifications?)\s+(on|off)(?:\s+(?:for\s+)?(incoming|withdrawable|validators?|proposals?|votes?))?\b/.exec(
      a.words,
    );
  if (alerts)
    return {
      action: 'alerts',
      args: { state: alerts[1]!, ...(alerts[2] && { kind: ALERT_WORDS[alerts[2]] }) },
    };
  if (/\b(my alerts|alerts|alert settings)\b/.test(a.words) && !a.addresses.length)
    return { action: 'alerts', args: {} };
  const stop = /\b(?:stop|cancel|end)\s+(?:schedule|recurring payment|payment)\s*#?\s*(\d{1,9})\b/.exec(
    a.raw.toLowerCase(),
  );
  if (stop) return { action: 'schedule_stop', args: { schedule: stop[1]! } };
  if (
    /\b(history|last transactions|recent transactions|my transactions|transaction history)\b/.test(a.words) &&
    !a.addresses.length
  )
    return { action: 'history', args: {} };
  if (/\b(my schedules|schedules|recurring payments?|standing orders?)\b/.test(a.words))
    return { action: 'schedules', args: {} };
  return null;
};

/** The words people use for each alert kind. */
const ALERT_WORDS: Record<string, string> = {
  incoming: 'incoming',
  withdrawable: 'withdrawable',
  validator: 'validator',
  validators: 'validator',
  proposal: 'proposals',
  proposals: 'proposals',
  vote: 'proposals',
  votes: 'proposals',
};

export const contactRules: Rule[] = [scheduleRule, contactRule];
