// The README's accuracy table, written from an eval run (`npm run eval -- --readme`): per action, on the lines the
// rules are developed against and on the held-out lines, with the median time per message.
import type { EvalResult } from './dataset.js';

export const TABLE_START = '<!-- eval-table:start (npm run eval -- --readme) -->';
export const TABLE_END = '<!-- eval-table:end -->';

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const cell = (b: { passed: number; total: number } | undefined) => {
  if (!b) return '';
  const share = (100 * b.passed) / b.total;
  return `${b.passed}/${b.total} (${share === 100 ? '100' : share.toFixed(1)}%)`;
};

export function accuracyTable(tuned: EvalResult, heldOut: EvalResult): string {
  const actions = [...new Set([...tuned.perAction.keys(), ...heldOut.perAction.keys()])].sort((a, b) =>
    a.startsWith('(') ? 1 : b.startsWith('(') ? -1 : a.localeCompare(b),
  );
  const rows = actions.map(
    (a) =>
      `| ${a === '(refuse or clarify)' ? 'no action (refused, asked or explained)' : `\`${a}\``} | ${cell(tuned.perAction.get(a))} | ${cell(heldOut.perAction.get(a))} |`,
  );
  const all = [...tuned.times, ...heldOut.times];
  return [
    '| action | hand-written + generated lines | held-out lines |',
    '| --- | --- | --- |',
    ...rows,
    `| **all** | **${cell(tuned)}** | **${cell(heldOut)}** |`,
    '',
    `Median time to read a message with the rules: ${median(all).toFixed(3)} ms.`,
  ].join('\n');
}

/** The README with its table replaced (the markers stay). */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no eval table markers');
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}
