// Sends in every common shape (transfer.ts reads the shape): one recipient -> send, several -> send_many. A request
// is drafted only when it is complete and unambiguous; otherwise the question names exactly what is missing.
import { AddressType } from '../../pactus/address.js';
import type { Analysis, FoundAmount } from './analysis.js';
import { moodOf } from './mood.js';
import { formatPac } from '../../pactus/amount.js';
import { clarify, refuse, type Intent, type Rule, type RuleContext } from './parser.js';
import { readTransfer, type Recipient, type TransferFrame } from './transfer.js';
import { laterPhrase } from './timing.js';
import { couldBeName } from './vocabulary.js';

function withMemo(args: Record<string, string>, a: Analysis): Record<string, string> {
  return a.memo ? { ...args, memo: a.memo } : args;
}

/** Pairs every recipient with the amount just before it ("1 PAC to A") or just after it ("A 1 PAC"). */
function pairRecipients(frame: TransferFrame): string | null {
  const { recipients, amounts } = frame;
  if (frame.each && amounts.length === 1)
    return recipients.map((r) => `${r.to} ${amounts[0]!.value}`).join(', ');
  if (amounts.length !== recipients.length) return null;
  const used = new Set<FoundAmount>();
  const pairs: string[] = [];
  for (const [i, r] of recipients.entries()) {
    const previous = recipients[i - 1]?.index ?? -1;
    const next = recipients[i + 1]?.index ?? Infinity;
    const before = amounts.filter((x) => !used.has(x) && x.index < r.index && x.index > previous).at(-1);
    const after = amounts.find((x) => !used.has(x) && x.index > r.index && x.index < next);
    const pick = before ?? after;
    if (!pick) return null;
    used.add(pick);
    pairs.push(`${r.to} ${pick.value}`);
  }
  return pairs.join(', ');
}

const shown = (r: Recipient) => (r.kind === 'me' ? 'your own wallet' : r.to);
/** "alice", "alice and bob", "alice, bob and carol". */
const listed = (rs: Recipient[]) =>
  rs.length > 1
    ? `${rs.slice(0, -1).map(shown).join(', ')} and ${shown(rs.at(-1)!)}`
    : rs.map(shown).join('');

/** Names and "me" are weaker anchors than an address: a hedge anywhere in the request, and nothing is drafted. */
function hedgedWithNames(a: Analysis, recipients: Recipient[]): boolean {
  if (recipients.every((r) => r.kind === 'address')) return false;
  // The names themselves are not hedges (a contact may be called "maybe"), and the memo is the person's inert
  // text ("memo: don't be late"): only the request's own words are read for a hedge.
  const strip = (text: string) =>
    recipients.reduce(
      (t, r) => (r.kind === 'name' ? t.replace(new RegExp(`(?<![\\w-])${r.to}(?![\\w-])`, 'g'), ' ') : t),
      text,
    );
  return moodOf(strip(a.words), strip(a.sentence)) !== 'request';
}

/** "5 PAC plus fees", "10 PAC minus the fee": what should arrive is not said exactly. */
export const FEE_ADJUSTED =
  /\b(?:plus|minus|including|incl|less|after|net of|without|excluding|inclusive of|on top of) (?:the |any |all )?(?:fees?|network fees?|tx fees?)\b/;

/** A time or condition the bot cannot keep (timing.ts): asked about, never drafted for now. */
function laterAsked(a: Analysis): Intent | null {
  const later = laterPhrase(a.sentence);
  // Final: a model cannot keep the time either, so it does not get to draft the payment for now.
  return later
    ? refuse(
        `I draft payments now, not "${later}": I cannot wait for a time or an event. Ask me again then, or for a repeating payment say for example "pay alice 5 PAC every friday".`,
      )
    : null;
}

/**
 * Details a draft cannot carry, asked about instead of dropped: a zero amount, "alice or bob", a time later than
 * now, a fee to add or take off, "from my savings" (which wallet is that?). The likely reading is not drafted.
 */
function notExact(a: Analysis, frame: TransferFrame): Intent | null {
  if (frame.amounts.some((x) => x.nano === 0n))
    return refuse(
      'An amount of 0 PAC sends nothing: say how much to send, for example "send 5 PAC to alice".',
    );
  if (/\bor\b/.test(a.words) && frame.recipients.length + frame.amounts.length > 1)
    return clarify(
      'Which one did you mean? Say one recipient and one amount, for example "send 5 PAC to alice".',
    );
  if (FEE_ADJUSTED.test(a.words))
    return clarify(
      'Say exactly how much should arrive: the fee is paid on top of the amount, and the draft shows it before you sign.',
    );
  const later = laterAsked(a);
  if (later) return later;
  if (!frame.from && /\bfrom (?:my|our|the) \w+/.test(a.words))
    return clarify(
      'Which of your wallets should it come from? Say it with the address, for example "send 5 PAC to alice from tpc1...".',
    );
  return null;
}

const PRONOUN = /\b(?:send|pay|give|tip|transfer|wire|sling|toss)\s+(them|him|her)\b|\bto\s+(them|him|her)\b/;
/** Where a name was just said: "I owe kwame ...", "you know rosa?", "marek is my landlord", "ask ingrid". */
const SAID_NAME =
  /\b(?:owe|know|thank|met|ask|tell|told|paid)\s+([a-z][\w-]*)\b|(?:^|[.?!,]\s*)([a-z][\w-]*)\s+(?:is|was|helped|owes|said|has|did)\b/g;
const NOT_A_PERSON = new Set([
  'i',
  'you',
  'he',
  'she',
  'they',
  'it',
  'we',
  'this',
  'that',
  'there',
  'what',
  'who',
  'me',
]);

/**
 * "I owe kwame for the taxi. send them 5 PAC": "them" is most likely the name just said, but a pronoun is a
 * guess, so the reading is offered as a button; with no single name before it, the question names what is missing.
 */
function pronounFor(a: Analysis): Intent | null {
  const p = PRONOUN.exec(a.words);
  if (!p) return null;
  const before = a.sentence.slice(0, a.sentence.lastIndexOf(p[1] ?? p[2]!));
  const names = new Set<string>();
  for (const m of before.matchAll(SAID_NAME)) {
    const n = (m[1] ?? m[2])!;
    if (NOT_A_PERSON.has(n) || !couldBeName(n)) continue;
    names.add(n);
    // "I owe kwame and rosa": "them" is several people; no one of them is offered.
    if (/^\s*(?:and|&|,|\+)/.test(before.slice(m.index + m[0].length))) names.add(`${n}+`);
  }
  const amount = a.amounts.length === 1 ? a.amounts[0]!.value : null;
  const who = p[1] ?? p[2];
  if (names.size !== 1 || !amount)
    return clarify(
      `Who is "${who}"? Say it with a name from your contacts or an address, for example "send ${amount ?? 5} PAC to alice".`,
    );
  const [to] = names;
  return {
    action: null,
    reason: `Do you mean ${to}? I read "${who}" as ${to}; tap the button to draft ${amount} PAC to ${to}.`,
    offer: { action: 'send', args: withMemo({ to: to!, amount }, a), label: `Send ${amount} PAC to ${to}` },
  };
}

function readSend(a: Analysis, ctx: RuleContext, frame: TransferFrame): Intent {
  const inexact = notExact(a, frame);
  if (inexact) return inexact;
  const { recipients, amounts } = frame;
  const validator = recipients.find((r) => r.found?.parsed.address.type === AddressType.Validator);
  if (validator)
    return clarify(
      'That is a validator address: to put PAC on a validator, say "stake <amount> PAC to <validator>".',
    );
  const fromArg: Record<string, string> = frame.from ? { from: ctx.addr(frame.from) } : {};
  if (recipients.length === 0) {
    const pronoun = pronounFor(a);
    if (pronoun) return pronoun;
    const amount = amounts.length === 1 ? `${amounts[0]!.value} PAC` : frame.all ? 'everything' : null;
    return clarify(
      amount
        ? `Who should receive ${amount}? Say it with an address or a name from your contacts, for example "send ${amount === 'everything' ? 'all' : amount} to tpc1z..." or "... to alice".`
        : 'Who should receive it, and how much? Say for example "send 5 PAC to tpc1z..." or "send 5 PAC to alice" (a name from your contacts).',
    );
  }
  if (recipients.length > 8) return clarify('A batch transfer pays at most 8 recipients at once.');
  if (recipients.length > 1) {
    if (amounts.length === 1 && !frame.each)
      return clarify(
        `Is that ${amounts[0]!.value} PAC each, or ${amounts[0]!.value} PAC in total? Say "send ${amounts[0]!.value} PAC each to ${listed(recipients)}", or give each one an amount.`,
      );
    const pairs = pairRecipients(frame);
    if (!pairs)
      return clarify('Give an amount for every recipient, like "send 1 PAC to alice and 2 PAC to tpc1z...".');
    const args = withMemo({ recipients: pairs, ...fromArg }, a);
    // A question or a hedge with names ("is possible to send ...?"): the reading is offered, not drafted.
    if (hedgedWithNames(a, recipients))
      return {
        action: null,
        reason: `Do you want to pay ${listed(recipients)} in one batch (${pairs})? Tap the button to draft it.`,
        offer: { action: 'send_many', args, label: 'Draft the batch' },
      };
    return { action: 'send_many', args };
  }
  const to = recipients[0]!;
  if (amounts.length > 1) return clarify('I see more than one amount; say exactly how much to send.');
  const amount = amounts[0]?.value ?? (frame.all ? 'all' : null);
  if (!amount)
    return clarify(
      `How much should I send to ${shown(to)}? Say for example "send 5 PAC to ${to.kind === 'me' ? 'me' : to.to}".`,
    );
  // "5 PAC for yuki": "for" may name a purpose ("5 PAC for lunch"), so a name is offered, not drafted.
  if (frame.byFor && to.kind !== 'address')
    return {
      action: null,
      reason: `Do you want to send ${amount} PAC to ${shown(to)}? Tap the button to draft it.`,
      offer: { action: 'send', args: withMemo({ to: to.to, amount }, a), label: `Send ${amount} PAC` },
    };
  const args = withMemo({ to: to.to, amount, ...fromArg }, a);
  const what = `${amount === 'all' ? 'everything' : `${amount} PAC`} to ${shown(to)}`;
  if (hedgedWithNames(a, recipients))
    return {
      action: null,
      reason: `Do you want to send ${what}? Tap the button to draft it.`,
      offer: { action: 'send', args, label: `Send ${what}`.slice(0, 80) },
    };
  return { action: 'send', args };
}

/**
 * "split 10 PAC between alice and bob": equal shares, offered as a batch to confirm (the split is worked out, so
 * it is shown before anything is drafted); refused when the shares would not be exact to the NanoPAC.
 */
function readSplit(a: Analysis): Intent | null {
  const frame = readTransfer(a, {
    verbs: /^(?:split|divide|share)$/,
    markers: ['between', 'among', 'amongst'],
  });
  if (!frame || frame.amounts.length !== 1 || frame.recipients.length < 2) return null;
  const later = laterAsked(a);
  if (later) return later;
  const total = frame.amounts[0]!.nano;
  const n = BigInt(frame.recipients.length);
  if (total % n !== 0n)
    return refuse(
      `${frame.amounts[0]!.value} PAC does not split exactly into ${n} shares; say how much each one gets, for example "send 1 PAC each to alice and bob".`,
    );
  const share = formatPac(total / n);
  const recipients = frame.recipients.map((r) => `${r.to} ${share}`).join(', ');
  return {
    action: null,
    reason: `That is ${share} PAC each to ${listed(frame.recipients)}, in one batch. Tap the button to draft it.`,
    offer: { action: 'send_many', args: withMemo({ recipients }, a), label: `Send ${share} PAC each` },
  };
}

export const sendRule: Rule = (a, ctx) => {
  const split = readSplit(a);
  if (split) return split;
  const frame = readTransfer(a, { noVerb: true });
  if (!frame) return null;
  if (/\bhow (do|can|to|would)\b/.test(a.words) && frame.recipients.length === 0)
    return { action: 'help', args: { topic: 'send' } };
  return readSend(a, ctx, frame);
};
