import { AmountError, excerpt } from './errors.js';

/** NanoPAC per PAC. All money in this project is a bigint count of NanoPAC. */
export const NANO_PER_PAC = 1_000_000_000n;
export const PAC_DECIMALS = 9;
/** 42,000,000 PAC: above 2^53, which is why amounts are never JS numbers. */
export const MAX_SUPPLY = 42_000_000n * NANO_PER_PAC;

// Digits with optional thousands groups ("1,000,000"), optional fraction; ".5" and "5." are accepted.
const PAC_PATTERN = /^(?:(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d*))?|\.(\d+))$/;

/**
 * Parses a decimal PAC string ("0.5", "1,000", ".25") into NanoPAC without floating point.
 * Rejects negatives, exponent notation, more than 9 decimals and anything above the max supply.
 */
export function parsePac(input: string): bigint {
  const text = input.trim();
  if (text === '') throw new AmountError('The amount is empty.');
  if (text.startsWith('-'))
    throw new AmountError(`"${excerpt(text)}" is negative; amounts must be positive.`);
  const match = PAC_PATTERN.exec(text);
  if (!match) {
    if (/^[\d.,]*[eE][+-]?\d+$/.test(text))
      throw new AmountError(`"${excerpt(text)}" uses exponent notation; write the amount out in digits.`);
    throw new AmountError(`"${excerpt(text)}" is not an amount of PAC; use digits like 5 or 0.25.`);
  }
  const whole = (match[1] ?? '0').replaceAll(',', '');
  const fraction = match[2] ?? match[3] ?? '';
  if (fraction.length > PAC_DECIMALS)
    throw new AmountError(
      `"${excerpt(text)}" has more than ${PAC_DECIMALS} decimals; 1 NanoPAC (0.000000001) is the smallest unit.`,
    );
  const nano = BigInt(whole) * NANO_PER_PAC + BigInt(fraction.padEnd(PAC_DECIMALS, '0') || '0');
  if (nano > MAX_SUPPLY)
    throw new AmountError(`"${excerpt(text)}" PAC is more than the total supply of 42,000,000 PAC.`);
  return nano;
}

/** Parses a NanoPAC decimal integer string ("1000000000"), as used on the wire and in JSON. */
export function parseNano(input: string): bigint {
  if (!/^\d{1,20}$/.test(input)) throw new AmountError(`"${excerpt(input)}" is not a NanoPAC amount.`);
  const nano = BigInt(input);
  if (nano > MAX_SUPPLY) throw new AmountError(`${input} NanoPAC is more than the total supply.`);
  return nano;
}

export interface FormatPacOptions {
  /** Group thousands with commas ("1,000.5"). */
  grouping?: boolean;
  /** Append " PAC". */
  unit?: boolean;
}

/** Formats NanoPAC as a PAC decimal string with no trailing zeros: 1500000000n -> "1.5". */
export function formatPac(nano: bigint, options: FormatPacOptions = {}): string {
  const negative = nano < 0n;
  const abs = negative ? -nano : nano;
  let whole = (abs / NANO_PER_PAC).toString();
  const fraction = (abs % NANO_PER_PAC).toString().padStart(PAC_DECIMALS, '0').replace(/0+$/, '');
  if (options.grouping) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
  return options.unit ? `${text} PAC` : text;
}

/** An amount the way people read it in chat and on the page: "1,000.5 PAC". */
export function pacText(nano: bigint): string {
  return formatPac(nano, { grouping: true, unit: true });
}
