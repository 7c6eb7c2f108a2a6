// "did you mean ...?": a command word mistyped by one slip of the fingers ("trasnfer", "balannce", "histiry") is
// corrected only to ask, never to act: the person sees the corrected request and confirms it with a button.
import { isReservedName } from '../../wallet/contacts.js';
import type { Intent } from './parser.js';

/** The words commands are made of, which a typo is measured against. */
const COMMAND_WORDS = [
  'send',
  'transfer',
  'give',
  'wire',
  'pay',
  'tip',
  'move',
  'stake',
  'unstake',
  'bond',
  'unbond',
  'delegate',
  'withdraw',
  'balance',
  'funds',
  'contacts',
  'contact',
  'proposals',
  'proposal',
  'schedules',
  'schedule',
  'alerts',
  'alert',
  'notifications',
  'history',
  'transactions',
  'unlink',
  'link',
  'vote',
  'abstain',
  'help',
  'cancel',
  'rewards',
  'compute',
  'status',
  'fees',
  'addresses',
  'wallets',
  'primary',
  'forget',
  'save',
  'remember',
  'drafts',
  'mute',
  'unmute',
  'enable',
  'disable',
  'validator',
  'recurring',
  'payments',
  'incoming',
  'contributions',
  'remove',
  'delete',
  'undo',
  'limits',
  'deploy',
  'upload',
];
const KNOWN = new Set(COMMAND_WORDS);

/** Number words, corrected only where an amount stands ("eeven PAC", "frty pac coins"): asked, never sent. */
const NUMBER_WORDS = [
  'three',
  'seven',
  'eight',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
  'thirty',
  'forty',
  'fifty',
  'sixty',
  'seventy',
  'eighty',
  'ninety',
  'hundred',
  'thousand',
];
const NUMBER_KNOWN = new Set([...NUMBER_WORDS, 'one', 'two', 'four', 'five', 'six', 'nine', 'ten', 'half']);
/** What follows a number word in an amount's place: a unit, or the rest of a number ("twnety five PAC"). */
const AMOUNT_AFTER =
  /^(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine|hundred|thousand))*\s+(?:pac|pacs|pactus|\$pac)\b/i;

/**
 * English words one slip away from a command word: never "corrected" ("I sent 5 PAC yesterday" is not a typo of
 * "send"; "contract" is not "contact"; "state" is not "stake").
 */
const REAL_WORDS = new Set(
  [
    'sent spend sand seed lend bend tend mend fend vend wend rend sens sender sends',
    'gave given gives giver',
    'pat pal paw pad pan par pas pax play pray pays payer',
    'tap top tin tie tips trip tipped',
    'more mode mole mope mote mover moved moves movie',
    'wise wide wife wipe wore were wine wired wires',
    'state stage stale stare stack stakes staked snake shake',
    'bold band bind blond bone bong bonds fond',
    'fund line lint lick lino links linked',
    'held hell heap helm hemp helps',
    'voted voter votes vole',
    'same sane safe sale sage slave shave saved saves salve',
    'canceled cancer',
    'mate mule mutt muted mutes mite',
    'statue statues',
    'feel feet feed fee free',
    'forgot forge forged',
    'computer commute computed',
    'contract contracts unbound draft',
    'alter altered',
    'remote removal delta unto undue undid limbs limit limited',
  ]
    .join(' ')
    .split(' '),
);

/** Past forms of money verbs: "sent 5 PAC to alice" reports a payment; it is never offered as a new one. */
const REPORTS = new Set([
  'sent',
  'gave',
  'given',
  'paid',
  'moved',
  'wired',
  'tipped',
  'staked',
  'saved',
  'voted',
]);

/**
 * "wore 0.75 PAC to alice": a real word that opens the message with an amount right after it stands where the
 * verb stands, and no English reading fits ("wore 0.75 PAC"), so it is a slip worth asking about (a button,
 * never a draft). Past forms of money verbs are reports ("sent 5 PAC"), and any word after a subject ("I wore")
 * is English.
 */
function slipInVerbPlace(word: string, before: string, after: string): boolean {
  return !REPORTS.has(word) && before.trim() === '' && /^\s+(?:\d|\.\d)/.test(after);
}

/** A command word with an ending ("unbonded", "staking", "linked", "sends"): a real word, not a slip. */
function isInflection(word: string): boolean {
  return COMMAND_WORDS.some((c) => {
    if (word.startsWith(c) && /^(?:s|es|d|ed|ing|er|ers|ment|ments|able|al)$/.test(word.slice(c.length)))
      return true;
    const stem = c.endsWith('e') ? c.slice(0, -1) : null;
    return stem !== null && word.startsWith(stem) && /^(?:ing|ed|er|ers|able)$/.test(word.slice(stem.length));
  });
}

/** Optimal string alignment distance (one swap of neighbours counts as one edit), or `limit + 1` beyond `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** The closest of `candidates` within one edit (two for words of eight letters or more), if exactly one is. */
export function closest(word: string, candidates: Iterable<string>): string | null {
  const limit = word.length >= 8 ? 2 : 1;
  let nearest: string[] = [];
  let bestDistance = limit + 1;
  for (const c of candidates) {
    // A first letter is rarely wrong, and correcting one would guess too freely ("bob" is not "job").
    if (c[0] !== word[0] && !(c[1] === word[0] && c[0] === word[1])) continue;
    const d = editDistance(word, c, limit);
    if (d > limit) continue;
    if (d < bestDistance) {
      nearest = [c];
      bestDistance = d;
    } else if (d === bestDistance && !nearest.includes(c)) nearest.push(c);
  }
  // Between equally near words ("schedule", "schedules" for "scheduls"), the one that ends the same way.
  if (nearest.length > 1) nearest = nearest.filter((c) => c.at(-1) === word.at(-1));
  return nearest.length === 1 ? nearest[0]! : null;
}

/**
 * The message with mistyped command words replaced, and which ones, or null when no word looks mistyped. Words
 * that are command words, reserved words, numbers or addresses are left alone.
 */
export function correctCommandWords(message: string): { text: string; fixes: [string, string][] } | null {
  const fixes: [string, string][] = [];
  const text = message.replace(/(?<![\p{L}\p{N}_-])[\p{L}]{3,}(?![\p{L}\p{N}_-])/gu, (word, at: number) => {
    const lower = word.toLowerCase();
    if (KNOWN.has(lower) || isReservedName(lower) || isInflection(lower)) return word;
    if (!NUMBER_KNOWN.has(lower) && AMOUNT_AFTER.test(message.slice(at + word.length))) {
      const number = closest(lower, NUMBER_WORDS);
      if (number) {
        fixes.push([word, number]);
        return number;
      }
    }
    if (
      REAL_WORDS.has(lower) &&
      !slipInVerbPlace(lower, message.slice(0, at), message.slice(at + word.length))
    )
      return word;
    const fixed = closest(lower, COMMAND_WORDS);
    if (!fixed) return word;
    fixes.push([word, fixed]);
    return fixed;
  });
  return fixes.length ? { text, fixes } : null;
}

/**
 * The reading of a corrected message as a question: the corrected request is offered as a button (it is never
 * run as is); a corrected question or refusal is said with the correction named. Null when the correction reads
 * as nothing either.
 */
export function didYouMean(
  reading: Intent,
  corrected: { text: string; fixes: [string, string][] },
): Intent | null {
  const said = corrected.fixes.map(([from, to]) => `"${from}" as "${to}"`).join(', ');
  if (reading.action !== null)
    return {
      action: null,
      reason: `Did you mean "${corrected.text.slice(0, 300)}"? I read ${said}; tap the button if that is what you meant.`,
      offer: { action: reading.action, args: reading.args, label: 'Yes, I meant that' },
    };
  if (reading.offer || reading.final) return { ...reading, reason: `(I read ${said}.) ${reading.reason}` };
  return null;
}
