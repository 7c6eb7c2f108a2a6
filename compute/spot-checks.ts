// A due request's check: the same bytes re-run on other contributors and the answers compared. When the first
// re-run differs, a third contributor decides. The checked node is blamed when the two re-runs agree against it.
// A re-runner is blamed only when two more contributors agree with the checked answer: otherwise a pair of
// colluders could frame any honest node, one answering a request of its own wrongly and the other, drawn as the
// decider, agreeing with it (the original and the decider would outvote the honest re-runner two to one). So
// blaming anyone takes two agreeing contributors besides the one that sent the answer in question. Without enough
// contributors to decide, nobody is blamed.
import type { ComputeCheckOutcome } from '../db/schema.js';
import { answerKey } from './checks.js';
import type { SpotCheckRecord } from './spot-sampling.js';

/** Another contributor's answer to the same request, and the leaf of its (accepted) receipt. */
export interface Rerun {
  endpoint: string;
  contributor: string;
  response: Record<string, unknown>;
  leaf: string;
}

export interface Verdict {
  record: SpotCheckRecord;
  /** Outcomes per contributor, as compute_checks rows: a 'fail' zeroes its contributor for the epoch. */
  outcomes: { contributor: string; outcome: ComputeCheckOutcome; reason: string }[];
}

export const DIFFERED = 'its answer differed from two other contributors on a spot check';

/**
 * Checks one answer. `rerun(exclude)` sends the request to a contributor not in `exclude` and resolves to its
 * answer, or to null when none could answer with an acceptable receipt.
 */
export async function spotCheck(
  checked: { endpoint: string; contributor: string; requestHash: string; leaf: string },
  response: Record<string, unknown>,
  rerun: (exclude: string[]) => Promise<Rerun | null>,
): Promise<Verdict> {
  const record = (
    outcome: SpotCheckRecord['outcome'],
    reruns: Rerun[],
    failed: string | null,
    detail: string,
  ): SpotCheckRecord => ({
    request: checked.requestHash,
    leaf: checked.leaf,
    contributor: checked.contributor,
    reruns: reruns.map((r) => r.leaf),
    outcome,
    failed,
    detail,
  });
  const original = answerKey(response);
  const second = await rerun([checked.endpoint]);
  if (!second)
    return { record: record('unchecked', [], null, 'no other contributor could re-run it'), outcomes: [] };
  if (answerKey(second.response) === original) {
    const reason = `matched ${second.contributor}`;
    return {
      record: record('pass', [second], null, reason),
      outcomes: [{ contributor: checked.contributor, outcome: 'pass', reason }],
    };
  }
  const third = await rerun([checked.endpoint, second.endpoint]);
  if (!third) {
    const reason = `differs from ${second.contributor}; no third node to decide`;
    return {
      record: record('unresolved', [second], null, reason),
      outcomes: [{ contributor: checked.contributor, outcome: 'unresolved', reason }],
    };
  }
  const thirdKey = answerKey(third.response);
  if (thirdKey === answerKey(second.response))
    return {
      record: record(
        'fail',
        [second, third],
        checked.contributor,
        'the checked answer differed from both re-runs',
      ),
      outcomes: [{ contributor: checked.contributor, outcome: 'fail', reason: DIFFERED }],
    };
  if (thirdKey !== original)
    return {
      record: record('unresolved', [second, third], null, 'three different answers'),
      outcomes: [
        { contributor: checked.contributor, outcome: 'unresolved', reason: 'three different answers' },
      ],
    };
  // The decider sided with the checked answer against the first re-run: a fourth contributor must confirm it.
  const fourth = await rerun([checked.endpoint, second.endpoint, third.endpoint]);
  if (!fourth || answerKey(fourth.response) !== original) {
    const reason = fourth
      ? `${third.contributor} agrees with it, ${fourth.contributor} does not`
      : `${second.contributor} differs, ${third.contributor} agrees; no fourth node to confirm`;
    return {
      record: record('unresolved', fourth ? [second, third, fourth] : [second, third], null, reason),
      outcomes: [{ contributor: checked.contributor, outcome: 'unresolved', reason }],
    };
  }
  return {
    record: record(
      'fail',
      [second, third, fourth],
      second.contributor,
      `the re-run by ${second.contributor} differed from the checked answer and two others`,
    ),
    outcomes: [{ contributor: second.contributor, outcome: 'fail', reason: DIFFERED }],
  };
}
