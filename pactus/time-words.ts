// Durations in words, shared by the chat and the signer page, so neither says "1 hours" or "0 minutes". Above an
// hour the figure is rounded and says "about"; below it, minutes are exact enough to act on.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "less than a minute", "14 minutes", "about 1 hour", "about 6 days". */
export function durationWords(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 90_000) return abs < MINUTE ? 'less than a minute' : 'about a minute';
  if (abs < HOUR) return plural(Math.round(abs / MINUTE), 'minute');
  if (abs < 2 * DAY) return `about ${plural(Math.round(abs / HOUR), 'hour')}`;
  return `about ${plural(Math.round(abs / DAY), 'day')}`;
}

/** An exact period in its largest whole unit: "1 minute", "90 minutes", "30 days" (configured limits). */
export function periodWords(ms: number): string {
  for (const [unit, size] of [
    ['day', DAY],
    ['hour', HOUR],
    ['minute', MINUTE],
  ] as const)
    if (ms >= size && ms % size === 0) return plural(ms / size, unit);
  return plural(Math.round(ms / 1000), 'second');
}

/** "in 14 minutes", "about 6 days ago", or "now". */
export function relativeWords(at: number, now: number): string {
  const delta = at - now;
  if (Math.abs(delta) < 30_000) return 'now';
  return delta > 0 ? `in ${durationWords(delta)}` : `${durationWords(delta)} ago`;
}

/**
 * When a block height is reached, in words, from the chain's block time: "block 1,234 (in about 6 days)".
 * Heights already passed say so ("reached"), since lock times and expiries in the past are normal.
 */
export function blockWords(target: number, height: number, blockIntervalMs: number): string {
  const label = `block ${target.toLocaleString('en-US')}`;
  if (target <= height) return `${label} (reached)`;
  return `${label} (in ${durationWords((target - height) * blockIntervalMs)})`;
}
