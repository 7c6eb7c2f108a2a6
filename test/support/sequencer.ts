// The order test files start in, longest first, so the workers finish together instead of one running a long file
// alone at the end. vitest orders by its cache of earlier runs, which a clean CI machine does not have: it then
// starts the largest files first, and size says little here (a 60-line file that restarts a bot three times runs
// longer than most 500-line ones). So the order comes from durations recorded on this machine
// (test/support/file-durations.json, refreshed from a run with `tsx test/support/record-durations.ts`); a file
// missing from it (a new one) counts as the median duration, so it neither blocks the start nor trails the end.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const DURATIONS_FILE = new URL('./file-durations.json', import.meta.url);

/** Seconds each test file (its path from the project root) took in a recorded run. */
export function recordedDurations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(DURATIONS_FILE, 'utf8')) as Record<string, number>;
  } catch {
    return {}; // no record: every file counts alike and the order falls back to the path
  }
}

/** `items` sorted by their path's recorded duration, longest first (ties by path, so every run has one order). */
export function longestFirst<T>(
  items: T[],
  pathOf: (item: T) => string,
  recorded: Record<string, number>,
): T[] {
  const known = Object.values(recorded).sort((a, b) => a - b);
  const median = known.length ? known[Math.floor(known.length / 2)]! : 0;
  const seconds = (item: T) => recorded[pathOf(item)] ?? median;
  const byPath = (a: T, b: T) => (pathOf(a) < pathOf(b) ? -1 : pathOf(a) > pathOf(b) ? 1 : 0);
  return [...items].sort((a, b) => seconds(b) - seconds(a) || byPath(a, b));
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    return longestFirst(files, (spec) => relative(root, spec.moduleId), recordedDurations());
  }
}
