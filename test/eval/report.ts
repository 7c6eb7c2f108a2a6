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

export function accuracyTable(
  tuned: EvalResult,
  heldOut: EvalResult,
  heldOut2: EvalResult,
  heldOut3: EvalResult,
  heldOut4: EvalResult,
): string {
  const sets = [tuned, heldOut, heldOut2, heldOut3, heldOut4];
  const actions = [...new Set(sets.flatMap((s) => [...s.perAction.keys()]))].sort((a, b) =>
    a.startsWith('(') ? 1 : b.startsWith('(') ? -1 : a.localeCompare(b),
  );
  // Short headers and row label, so five result columns stay readable in the README.
  const rows = actions.map(
    (a) =>
      `| ${a === '(refuse or clarify)' ? 'no action' : `\`${a}\``} | ${sets.map((s) => cell(s.perAction.get(a))).join(' | ')} |`,
  );
  const all = sets.flatMap((s) => s.times);
  const o2 = outcomes(heldOut2);
  const o3 = outcomes(heldOut3);
  const o4 = outcomes(heldOut4);
  return [
    '| action | tuned-on lines | held-out | held-out 2 | held-out 3 | held-out 4 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    `| **all** | ${sets.map((s) => `**${cell(s)}**`).join(' | ')} |`,
    '',
    // Lines of one paragraph, so the README keeps its width.
    '"Tuned-on lines" are the hand-written and generated lines the rules are developed against; "no action" means',
    'refused, asked back or explained. Held-out 4 is the newest outside check (`test/eval/heldout4*.ts`).',
    `Of held-out 2's misses, ${o2.asked} were asked back or handed to the model, ${o2.wrongArgs} had wrong arguments and`,
    `${o2.wrongAction} a wrong action; on its non-requests ${o2.actedOnNonRequest} drafted or changed something (${o2.movedMoneyOnNonRequest} money-moving drafts).`,
    `Of held-out 3's misses, ${o3.asked} were asked back or handed to the model, ${o3.wrongArgs} had wrong arguments and`,
    `${o3.wrongAction} a wrong action; on its non-requests ${o3.actedOnNonRequest} drafted or changed something (${o3.movedMoneyOnNonRequest} money-moving drafts).`,
    `Of held-out 4's misses, ${o4.asked} were asked back or handed to the model, ${o4.wrongArgs} had wrong arguments and`,
    `${o4.wrongAction} a wrong action; on its non-requests ${o4.actedOnNonRequest} drafted or changed something (${o4.movedMoneyOnNonRequest} money-moving drafts).`,
    '',
    `Median time to read a message with the rules: ${median(all).toFixed(3)} ms.`,
  ].join('\n');
}

/** Actions whose draft moves money once signed. */
const MONEY_MOVING = new Set(['send', 'send_many', 'stake', 'stake_delegated', 'unstake', 'withdraw']);

/** Readings that only show something: on a non-request they are a miss, but they change nothing. */
function onlyShows(action: string, args: Record<string, unknown> | undefined): boolean {
  if (action === 'cancel') return args?.draft === undefined;
  if (action === 'alerts') return args?.state === 'list' || args?.state === undefined;
  return SHOWING.has(action);
}
const SHOWING = new Set([
  'balance',
  'account',
  'fee',
  'tx_status',
  'my_addresses',
  'help',
  'proposals',
  'proposal',
  'voting_power',
  'rewards',
  'rewards_report',
  'contacts',
  'history',
  'schedules',
  'compute_status',
  'my_contributions',
  'compute_proofs',
  'contract_cost',
  'deployment',
  'limits',
]);

/** What the misses did: asked (safe), read the right action with wrong arguments, or read another action. */
export function outcomes(result: EvalResult) {
  const o = { asked: 0, wrongArgs: 0, wrongAction: 0, actedOnNonRequest: 0, movedMoneyOnNonRequest: 0 };
  for (const f of result.failures) {
    const got = f.got as { action: string | null; args?: Record<string, unknown> };
    if (got.action === null) o.asked++;
    else if (got.action === f.case.expect.action) o.wrongArgs++;
    else o.wrongAction++;
    if (f.case.expect.action === null && got.action !== null && !onlyShows(got.action, got.args)) {
      o.actedOnNonRequest++;
      if (MONEY_MOVING.has(got.action)) o.movedMoneyOnNonRequest++;
    }
  }
  return o;
}

/** The README with its table replaced (the markers stay). */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no eval table markers');
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}
