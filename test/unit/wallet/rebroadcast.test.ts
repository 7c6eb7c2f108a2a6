// How often the tracker sends again a transaction that no node keeps (wallet/tracker.ts rebroadcastDue): at once
// when a node lost it, then less and less often, never more than MAX_REBROADCAST_GAP blocks apart, and a few dozen
// times over the 8,640-block lock-time window instead of 8,640.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { MAX_REBROADCAST_GAP, rebroadcastDue } from '../../../wallet/tracker.js';

function schedule(unseenSince: number, blocks: number): number[] {
  let last: number | null = null;
  const sent: number[] = [];
  for (let h = unseenSince; h < unseenSince + blocks; h++)
    if (rebroadcastDue(h, unseenSince, last)) sent.push((last = h));
  return sent;
}

it('over a whole lock-time window: about 40 sends, the first at once, gaps doubling up to the cap', () => {
  const sent = schedule(1_000, 8_640);
  expect(sent[0]).toBe(1_000);
  expect(sent.length).toBeGreaterThan(30);
  expect(sent.length).toBeLessThan(50);
  const gaps = sent.slice(1).map((h, i) => h - sent[i]!);
  expect(gaps.slice(0, 8)).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
  expect(Math.max(...gaps)).toBe(MAX_REBROADCAST_GAP);
});

it('generated: gaps never shrink, never pass the cap, and a send is never skipped past twice the time missing', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5_000_000 }),
      fc.integer({ min: 2, max: 3_000 }),
      (since, blocks) => {
        const sent = schedule(since, blocks);
        const gaps = sent.slice(1).map((h, i) => h - sent[i]!);
        gaps.forEach((gap, i) => {
          expect(gap).toBeLessThanOrEqual(MAX_REBROADCAST_GAP);
          if (i > 0) expect(gap).toBeGreaterThanOrEqual(gaps[i - 1]!);
          // Missing for m blocks, the next send comes within 2m more (until the cap).
          expect(gap).toBeLessThanOrEqual(2 * Math.max(1, sent[i]! - since));
        });
      },
    ),
    { numRuns: 300 },
  );
});
