// A due request's check: the same bytes re-run on other contributors and the answers compared. When the first
// re-run differs, a third contributor decides, and the one that disagrees with the other two fails (its credit for
// the epoch is zero). With no third, nobody is blamed.
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
  const loser =
    thirdKey === answerKey(second.response)
      ? checked.contributor
      : thirdKey === original
        ? second.contributor
        : null;
  if (!loser)
    return {
      record: record('unresolved', [second, third], null, 'three different answers'),
      outcomes: [
        { contributor: checked.contributor, outcome: 'unresolved', reason: 'three different answers' },
      ],
    };
  return {
    record: record(
      'fail',
      [second, third],
      loser,
      loser === checked.contributor
        ? 'the checked answer differed from both re-runs'
        : `the re-run by ${loser} differed from the checked answer and the third`,
    ),
    outcomes: [{ contributor: loser, outcome: 'fail', reason: DIFFERED }],
  };
}
