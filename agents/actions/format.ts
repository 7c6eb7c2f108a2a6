import { parsePac } from '../../pactus/amount.js';
import { WalletError } from '../../wallet/errors.js';

export { pacText as pac } from '../../pactus/amount.js';

/** "5", "5 PAC", "1,000", ".5", or (when allowed) "all"/"max"/"everything". */
export function parseAmountArg(text: string, allowAll: boolean): bigint | 'all' {
  const cleaned = text
    .trim()
    .replace(/\s*pac$/i, '')
    .trim();
  if (/^(all|max|everything)$/i.test(cleaned)) {
    if (allowAll) return 'all';
    throw new WalletError('bad_amount', 'Give an exact amount here ("all" is not possible).');
  }
  return parsePac(cleaned);
}

export function minutesUntil(timestamp: number, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((timestamp - now) / 60_000));
  return minutes <= 1 ? 'about a minute' : `${minutes} minutes`;
}

/** Shortens a hex ID for display ("a57ae2db…d0ae"). */
export function shortId(id: string): string {
  return id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}
