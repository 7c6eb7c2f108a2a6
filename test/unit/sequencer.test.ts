// The suite's file order (test/support/sequencer.ts): longest recorded first, a file without a record counted as
// the median, one order for every run whatever order the files come in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { longestFirst } from '../support/sequencer.js';

const same = (path: string) => path;

describe('longest-first file order', () => {
  it('starts the longest recorded files first and counts an unrecorded one as the median', () => {
    const recorded = { 'a.test.ts': 1, 'b.test.ts': 30, 'c.test.ts': 5, 'd.test.ts': 12 };
    // Median of [1, 5, 12, 30] (the upper middle): 12, so the new file ties with d and sorts by path.
    expect(
      longestFirst(['a.test.ts', 'new.test.ts', 'c.test.ts', 'b.test.ts', 'd.test.ts'], same, recorded),
    ).toEqual(['b.test.ts', 'd.test.ts', 'new.test.ts', 'c.test.ts', 'a.test.ts']);
  });

  it('gives one order whatever order the files arrive in, never longer after shorter', () => {
    const path = fc.stringMatching(/^[a-z]{1,6}\.test\.ts$/);
    fc.assert(
      fc.property(
        fc
          .uniqueArray(path, { minLength: 1, maxLength: 30 })
          .chain((paths) =>
            fc.tuple(fc.constant(paths), fc.shuffledSubarray(paths, { minLength: paths.length })),
          ),
        fc.dictionary(path, fc.integer({ min: 0, max: 600 })),
        ([paths, shuffled], recorded) => {
          const order = longestFirst(paths, same, recorded);
          expect(longestFirst(shuffled, same, recorded)).toEqual(order);
          expect([...order].sort()).toEqual([...paths].sort());
          const known = Object.values(recorded).sort((a, b) => a - b);
          const median = known[Math.floor(known.length / 2)] ?? 0;
          const seconds = order.map((p) => recorded[p] ?? median);
          for (let i = 1; i < seconds.length; i++) expect(seconds[i]).toBeLessThanOrEqual(seconds[i - 1]!);
        },
      ),
      { numRuns: 300 },
    );
  });
});
