import { readSingleAmount } from '../rules/amounts.js';
import { WalletError } from '../../wallet/errors.js';
import { durationWords } from '../../pactus/time-words.js';

export { pacText as pac } from '../../pactus/amount.js';

/**
 * An amount argument read exactly as the rules read amounts ("5", "5 PAC", "1,000", ".5", "5k", "five PAC"), or
 * (when allowed) "all"/"max"/"everything"; anything else is refused with the reason.
 */
export function parseAmountArg(text: string, allowAll: boolean): bigint | 'all' {
  const read = readSingleAmount(text);
  if ('all' in read) {
    if (allowAll) return 'all';
    throw new WalletError('bad_amount', 'Give an exact amount here ("all" is not possible).');
  }
  if ('problem' in read) throw new WalletError('bad_amount', read.problem);
  return read.nano;
}

/** How long until a time, in words ("14 minutes", "about 6 days"). */
export function minutesUntil(timestamp: number, now = Date.now()): string {
  return durationWords(Math.max(0, timestamp - now));
}

/** Shortens a hex ID for display ("a57ae2db…d0ae"). */
export function shortId(id: string): string {
  return id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}
