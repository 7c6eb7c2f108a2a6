// Amounts as people write them, read exactly or refused with the reason: never a guess, and never a dropped word
// that changes the value ("5 million" is not 5).
import { MAX_SUPPLY, NANO_PER_PAC, PAC_DECIMALS, formatPac } from '../../pactus/amount.js';
import { SMALL_NUMBERS, TENS } from './vocabulary.js';

export interface AmountReading {
  /** Normalised PAC decimal ("5000000", "0.5"). */
  value: string;
  nano: bigint;
  /** Where the amount starts and ends in the text. */
  index: number;
  end: number;
  /** Written with a PAC unit ("5 PAC", "5000 nanoPAC"). */
  unit: boolean;
}

export interface AmountScan {
  amounts: AmountReading[];
  /** Why an amount-looking part cannot be used, when one was seen (the first problem). */
  problem: string | null;
}

const MULTIPLIERS: Record<string, bigint> = {
  k: 1_000n,
  thousand: 1_000n,
  m: 1_000_000n,
  mn: 1_000_000n,
  mil: 1_000_000n,
  mln: 1_000_000n,
  million: 1_000_000n,
  millions: 1_000_000n,
  b: 1_000_000_000n,
  bn: 1_000_000_000n,
  billion: 1_000_000_000n,
  hundred: 100n,
};

/** Another currency after the number, as a symbol ("5 €", "5$"; "5 $PAC" is PAC) or a name. */
const CURRENCY =
  /^(?:\$(?!pac)|[€£¥₿₹₩₽¢]|(?:usd|usdt|usdc|eur|euros?|gbp|btc|bitcoins?|eth|ethers?|dollars?|bucks|cents?|pennies|penny|pence|p|nickels?|dimes?|quid|grand|sats?|satoshis?|gwei|wei|lamports?|pounds?|yen|yuan|rupees?|dai|busd|bnb|sol|ton|doge)\b)/i;
/** Sub-units and prefixes Pactus has no name for ("5 nano" could be 5 NanoPAC or 5 PAC): refused, never guessed. */
const UNKNOWN_UNIT = /^(?:nano|micro|milli|mpac|upac|µpac|μpac|kpac|mega|giga)\b/i;
/** Thousands grouped with spaces ("1 000", also the no-break and thin spaces of French and SI style). */
const SPACED_GROUPS = /^(?:[ \u00A0\u202F\u2009]\d{3}(?![\d,_]))+(?:\.\d+)?/;
const PAC_UNIT = /^(?:\$?pacs?|pactus(?:\s+coins?)?)\b/i;
const NANO_UNIT = /^(?:nanopacs?|npacs?|nano\s?pacs?)\b/i;
const MINUS = /[-\u2212\u2012\u2013\u2014\u2015\uFE63\uFF0D]/;
/** "send over 5 PAC", "chuck 8 PAC over": "over" with a verb of giving is a direction, not "more than". */
const OVER_AS_DIRECTION =
  /\b(?:send|sending|pass|hand|chuck|fork|move|wire|transfer|shoot|sling|toss|bring|bung)\s+over\s*$/i;
const approx = (before: string) => APPROX_BEFORE.test(before) && !OVER_AS_DIRECTION.test(before);
const APPROX_BEFORE =
  /(?:~|≈|≃|∼|\b(?:about|around|roughly|approximately|approx|circa|ca|nearly|almost|some|like|up\s+to|at\s+(?:most|least)|more\s+than|less\s+than|over|under|maybe|perhaps))\s*$/i;
const APPROX_AFTER = /^\s*(?:-?ish\b|or\s+so\b|give\s+or\s+take\b|\+\/-|±|or\s+more\b|or\s+less\b|-\s*\d)/i;
const TIME =
  /^\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|years?|yrs?|blocks?|am|pm|o'?clock|times?|x|words?|confirmations?)\b/i;
const ODD_DIGITS =
  /[\u00B2\u00B3\u00B9\u2070-\u2079\u2080-\u2089\u00BC-\u00BE\u2150-\u215F\u2460-\u24FF\u2776-\u2793]|(?![0-9])\p{Nd}/u;

const plain = (nano: bigint) => formatPac(nano);

/** "12500.5" -> "12,500.5". */
function group3(decimal: string): string {
  const [whole = '', fraction] = decimal.split('.');
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction ? `.${fraction}` : '');
}

/** Exact NanoPAC of a decimal string times a multiplier, or a problem. */
function toNano(digits: string, multiplier: bigint): bigint | string {
  if (/[,_]/.test(digits)) {
    // One kind of separator, in groups of three: 1,000 and 1_000 are read; 1,5 and 1_00 are not guessed at.
    if (!/^\d{1,3}(,\d{3})+(\.\d+)?$|^\d{1,3}(_\d{3})+(\.\d+)?$/.test(digits))
      return `"${digits}" is not a number I can read exactly: write decimals with a dot (5.5) and group thousands in threes (1,000 or 1_000).`;
    digits = digits.replaceAll(/[,_]/g, '');
  }
  const [whole = '0', fraction = ''] = digits.split('.');
  const scale = 10n ** BigInt(PAC_DECIMALS);
  const nano =
    (BigInt(whole || '0') * scale +
      BigInt(fraction.padEnd(PAC_DECIMALS, '0').slice(0, PAC_DECIMALS) || '0')) *
    multiplier;
  // Digits beyond 9 decimals are allowed only when the multiplier makes them whole NanoPAC.
  if (fraction.length > PAC_DECIMALS) {
    const extra = fraction.slice(PAC_DECIMALS);
    const exact = BigInt(extra) * multiplier;
    const unit = 10n ** BigInt(extra.length);
    if (exact % unit !== 0n)
      return `"${digits}" has more than ${PAC_DECIMALS} decimals; 1 NanoPAC (0.000000001 PAC) is the smallest unit.`;
    return nano + exact / unit;
  }
  return nano;
}

/** "twenty-five", "one hundred and fifty", "half a", "two and a half", "a thousand": a whole number (x2 for halves). */
export function readWords(text: string): { halves: bigint; length: number } | null {
  const m =
    /^(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|zero|and|half|quarter)(?:[\s-]+|$))+/i.exec(
      text,
    );
  if (!m) return null;
  const words = m[0]
    .toLowerCase()
    .trim()
    .split(/[\s-]+/);
  while (words.length && (words.at(-1) === 'and' || words.at(-1) === 'a' || words.at(-1) === 'an'))
    words.pop();
  if (!words.length) return null;
  let total = 0n;
  let current = 0n;
  let halves = 0n;
  let seen = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'and') continue;
    if (w === 'a' || w === 'an') {
      if (
        words[i + 1] === 'half' ||
        words[i + 1] === 'quarter' ||
        words[i + 1] === 'hundred' ||
        words[i + 1] === 'thousand' ||
        words[i + 1] === 'million'
      ) {
        if (words[i + 1] !== 'half' && words[i + 1] !== 'quarter') current = 1n;
        continue;
      }
      return null;
    }
    if (w === 'half') {
      halves += 1n;
      seen = true;
      continue;
    }
    if (w === 'quarter') return null; // quarters are not halves; refused by the caller as not exact enough here
    if (w in SMALL_NUMBERS) current += BigInt(SMALL_NUMBERS[w]!);
    else if (w in TENS) current += BigInt(TENS[w]!);
    else if (w === 'hundred') current = (current || 1n) * 100n;
    else if (w === 'thousand' || w === 'million') {
      total += (current || 1n) * MULTIPLIERS[w]!;
      current = 0n;
    } else return null;
    seen = true;
  }
  if (!seen) return null;
  return { halves: (total + current) * 2n + halves, length: m[0].trimEnd().length };
}

/**
 * Finds every amount in `text` (indices refer to `text`). Supported: 5, 1,000, 0.5, .5, 5k, 1.5m, 5 thousand,
 * 5 million, "five PAC", "twenty-five PAC", "half a PAC", "two and a half PAC", 5000 nanoPAC. Refused with a
 * reason: other currencies and units, percentages, approximations, minus signs of every kind, exponents,
 * superscripts and fraction characters, decimal commas.
 */
export function readAmounts(text: string): AmountScan {
  const amounts: AmountReading[] = [];
  let problem: string | null = null;
  const flag = (p: string) => {
    problem ??= p;
  };
  if (ODD_DIGITS.test(text))
    flag('Write the amount with the digits 0-9 only (no superscripts, fractions or other numerals).');
  const NUMBER = /(?<![\w.])(\d(?:\d|[,_](?=\d))*(?:\.\d+)*|\.\d+)/g;
  let consumed = 0;
  for (const m of text.matchAll(NUMBER)) {
    const start = m.index;
    if (start < consumed) continue; // the rest of a number grouped with spaces ("1 000")
    let digits = m[1]!;
    let end = start + digits.length;
    const before = text.slice(Math.max(0, start - 24), start);
    let after = text.slice(end);
    if (/^[_,]/.test(after) && !/^,\s/.test(after)) {
      flag(
        `"${digits}${after.slice(0, 6).trim()}" is not a number I can read exactly; write it like 1000 or 1,000.`,
      );
      continue;
    }
    const groups = /^\d{1,3}$/.test(digits) ? SPACED_GROUPS.exec(after) : null;
    if (groups) {
      // "1 000 PAC" is read when a unit says the groups are one amount; "1 000" alone could be two numbers.
      const grouped = digits + groups[0].replace(/[^\d.]/g, '');
      const unitAfter = after.slice(groups[0].length).replace(/^\s+/, '');
      if (!PAC_UNIT.test(unitAfter) && !NANO_UNIT.test(unitAfter)) {
        flag(
          `"${digits}${groups[0]}" could be one number or several: write it as ${grouped} PAC, or with commas (${group3(grouped)} PAC).`,
        );
        consumed = end + groups[0].length;
        continue;
      }
      digits = grouped;
      end += groups[0].length;
      consumed = end;
      after = text.slice(end);
    }
    if (/^[1-9]\d{0,2}\.000$/.test(digits)) {
      flag(
        `"${digits}" could be ${digits.split('.')[0]} or ${digits.replace('.', ',')}: write the amount without the dot, or with a comma for thousands.`,
      );
      continue;
    }
    if (/\d+\.\d+\./.test(digits)) {
      flag(`"${digits}" is not a number.`);
      continue;
    }
    if (/#\s*$/.test(before)) continue; // "#3": a proposal or an index, not an amount
    // Hex, exponents, versions and ordinals are not amounts; the first two are refused next to a money word.
    if (/^[xX][0-9a-fA-F]/.test(after) && digits === '0') {
      flag(`"0${after.slice(0, 8)}" is a hexadecimal number; write the amount in decimal digits.`);
      continue;
    }
    if (/^[eE][+-]?\d/.test(after)) {
      flag(`"${digits}${after.slice(0, 4)}" uses exponent notation; write the amount out in digits.`);
      continue;
    }
    if (/^(?:st|nd|rd|th)\b/i.test(after)) continue;
    if (/[\p{L}]$/u.test(before) && !/[$€£¥₿]$/.test(before)) continue; // part of a word ("x5", "v2")
    if (/\w[([]$/.test(before)) continue; // an argument in code ("alert(1)", "list[2]"), not an amount
    // "send:\n- 13 PAC to leilani\n- 13 PAC to beatriz": a dash and a space where an item starts is a bullet (a
    // minus sign is written against its number); after a number ("5 - 10") it is a range, refused below.
    const bullet =
      /(?:^|[:\s])[-\u2012-\u2015]\s+$/.test(before) && !/\d\s*[-\u2012-\u2015]\s+$/.test(before);
    if (!bullet && MINUS.test(before.slice(-2)) && !/\w[-\u2012-\u2015]\s?$/.test(before))
      flag(`"${before.slice(-2).trim()}${digits}" is negative; amounts must be positive.`);
    if (/[$€£¥₿]\s*$/.test(before))
      flag(
        `"${before.trim().slice(-1)}${digits}" is an amount in another currency: I only move exact PAC amounts and never convert prices.`,
      );
    if (approx(before))
      flag(
        `"${before.trim().split(/\s+/).slice(-2).join(' ')} ${digits}" is not an exact amount; say exactly how much.`,
      );
    // Multiplier attached ("5k", "1.5m") or as a word ("5 thousand", "5 million").
    let multiplier = 1n;
    const attached = /^([kKmMbB]|mn|bn|mln|mil)\b/.exec(after);
    const spaced = /^\s+(thousand|million|millions|billion|mln|mil|bn|hundred|k)\b/i.exec(after);
    if (attached) {
      multiplier = MULTIPLIERS[attached[1]!.toLowerCase()]!;
      end += attached[0].length;
    } else if (spaced) {
      multiplier = MULTIPLIERS[spaced[1]!.toLowerCase()]!;
      end += spaced[0].length;
    }
    const rest = text.slice(end);
    // Durations and counts are not amounts ("in 3 days", "2 times").
    if (multiplier === 1n && TIME.test(rest)) continue;
    if (/^\s*(?:%|percent\b|per\s?cent\b)/i.test(rest)) {
      flag(`"${digits}%" is a share, not an amount: say exactly how much PAC (or "all").`);
      continue;
    }
    if (/^[\u00B2\u00B3\u00B9\u2070-\u2079]/.test(rest)) continue; // flagged above
    if (APPROX_AFTER.test(rest))
      flag(`"${digits}${rest.slice(0, 8).trimEnd()}" is not an exact amount; say exactly how much.`);
    const unitText = rest.replace(/^\s+/, '');
    const offset = rest.length - unitText.length;
    if (UNKNOWN_UNIT.test(unitText) && !NANO_UNIT.test(unitText)) {
      flag(
        `"${digits} ${UNKNOWN_UNIT.exec(unitText)![0]}" is not a unit I know: say PAC, or NanoPAC for the smallest unit.`,
      );
      continue;
    }
    if (CURRENCY.test(unitText)) {
      flag(
        `"${digits}${rest.slice(0, offset)}${CURRENCY.exec(unitText)![0]}" is another currency or unit: I only move exact amounts of PAC and never convert prices.`,
      );
      continue;
    }
    // Letters stuck to the number that are no unit, multiplier or count ("1k5", "5abc") leave it unreadable.
    if (offset === 0 && /^\p{L}/u.test(unitText) && !PAC_UNIT.test(unitText) && !NANO_UNIT.test(unitText)) {
      flag(
        `"${digits}${unitText.split(/\s/)[0]!.slice(0, 8)}" is not a number I can read exactly; write the amount in digits, like 1500.`,
      );
      continue;
    }
    let unit = false;
    let nano: bigint | string;
    if (NANO_UNIT.test(unitText)) {
      if (!/^\d+$/.test(digits.replaceAll(',', '')) || multiplier !== 1n) {
        flag(`"${digits} nanoPAC" must be a whole number of NanoPAC.`);
        continue;
      }
      nano = BigInt(digits.replaceAll(',', ''));
      unit = true;
      end += offset + NANO_UNIT.exec(unitText)![0].length;
    } else {
      nano = toNano(digits, multiplier);
      const u = PAC_UNIT.exec(unitText);
      if (u) {
        unit = true;
        end += offset + u[0].length;
      }
    }
    if (typeof nano === 'string') {
      flag(nano);
      continue;
    }
    if (nano > MAX_SUPPLY) {
      flag(`${plain(nano)} PAC is more than the total supply of 42,000,000 PAC.`);
      continue;
    }
    amounts.push({ value: plain(nano), nano, index: start, end, unit });
  }
  // Number words count only with a PAC unit ("five PAC", "half a PAC"): without one they are ordinary words.
  const WORDS =
    /\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|half)\b/gi;
  for (const m of text.matchAll(WORDS)) {
    if (amounts.some((a) => m.index >= a.index && m.index < a.end)) continue;
    if (m.index > 0 && /[\w-]$/.test(text.slice(m.index - 1, m.index))) continue;
    const read = readWords(text.slice(m.index));
    if (!read) continue;
    const after = text.slice(m.index + read.length);
    const unit = /^\s*(?:of\s+(?:a\s+)?)?(\$?pacs?|pactus)\b/i.exec(after);
    if (!unit) continue;
    if (/^\s*(?:dozen|double|twice|triple)/i.test(after)) continue;
    const nano = (read.halves * NANO_PER_PAC) / 2n;
    if (approx(text.slice(Math.max(0, m.index - 24), m.index)))
      flag('That is not an exact amount; say exactly how much.');
    if (nano > MAX_SUPPLY) {
      flag(`${plain(nano)} PAC is more than the total supply of 42,000,000 PAC.`);
      continue;
    }
    amounts.push({
      value: plain(nano),
      nano,
      index: m.index,
      end: m.index + read.length + unit[0].length,
      unit: true,
    });
  }
  if (
    (/\b(?:dozen|double|twice|triple|thrice|quadruple)\b/i.test(text) &&
      (amounts.length > 0 || /\b(?:pacs?|pactus)\b/i.test(text))) ||
    /\d\s*(?:times|[x×*])\s*\d|\b\d+(?:\.\d+)?\s+times\s+(?:\d|[a-z]+\s+pac)/i.test(text)
  )
    flag(
      'Say the amount as one number of PAC (not "double 5", "twice" or "5 x 2"), for example "send 10 PAC to alice".',
    );
  if (
    /\b(?:half|quarter|third|most|part|some)\s+(?:of\s+)?(?:my|the|your)\s+(?:balance|funds|money|pac|pacs|wallet|stake)\b|\b(?:half|quarter|third)\s+of\s+(?:my|the|your|it)\b/i.test(
      text,
    )
  )
    flag('A share of a balance is not an amount: say exactly how much PAC (or "all").');
  // "all but 1 PAC", "everything except 2": the 1 or 2 is what stays, not what is sent.
  if (
    /\b(?:all|everything|balance|max|maximum)\s+(?:but|except|minus|less|save|apart from|other than)\b|\b(?:leave|leaving|keep|keeping)\s+(?:me\s+)?(?:\d|a |an |one|two|three|five|ten)/i.test(
      text,
    )
  )
    flag('Say exactly how much to send: I do not work out "all but" or "keep some" amounts.');
  // "one point five": decimals said in words are not read (the "five" alone would be 5).
  if (/\b(?:point|dot)\s+(?:\d|zero|oh|one|two|three|four|five|six|seven|eight|nine)/i.test(text))
    flag('Write decimals in digits, for example "send 1.5 PAC to alice".');
  // "3 times", "x2": one payment is drafted at a time, never repeated by a count.
  if (
    /\b\d+\s*(?:times|x)\b(?!\s*\d)|\bx\s*\d+\b|\b(?:twice|thrice|three times|two times)\b(?!\s+(?:a|an|per|every)\b)/i.test(
      text,
    ) &&
    (amounts.length > 0 || /\bpacs?\b/i.test(text))
  )
    flag(
      'I draft one payment at a time: say the total amount, or set up a recurring payment ("pay alice 5 PAC every month").',
    );
  if (/\bbetween\s+\S+\s+(?:and|&)\s+\S+/i.test(text) && amounts.length > 1)
    flag('A range is not an amount: say exactly how much PAC.');
  if (/\bworth\s+of\b/i.test(text) && amounts.length)
    flag('Amounts are in PAC only: I never convert prices or other currencies.');
  amounts.sort((a, b) => a.index - b.index);
  return { amounts, problem };
}

/**
 * One amount typed on its own (a command argument: "5", "1.5k PAC", "five PAC", "all"): exact, or an Error
 * message saying why not.
 */
export function readSingleAmount(text: string): { nano: bigint } | { all: true } | { problem: string } {
  const trimmed = text.trim();
  if (/^(?:all|max|everything)$/i.test(trimmed)) return { all: true };
  const withUnit = /\d|\b(?:pac|pacs)\b/i.test(trimmed) ? trimmed : `${trimmed} PAC`;
  const scan = readAmounts(withUnit);
  if (scan.problem) return { problem: scan.problem };
  const [only, ...more] = scan.amounts;
  if (!only)
    return { problem: `"${trimmed.slice(0, 24)}" is not an amount of PAC; use digits like 5 or 0.25.` };
  if (more.length) return { problem: 'Give one amount.' };
  const leftover = (withUnit.slice(0, only.index) + withUnit.slice(only.end))
    .replace(/\b(?:pac|pacs)\b/gi, '')
    .trim();
  if (leftover)
    return {
      problem: `"${trimmed.slice(0, 24)}" is not just an amount; give a number of PAC like 5 or 0.25.`,
    };
  return { nano: only.nano };
}
