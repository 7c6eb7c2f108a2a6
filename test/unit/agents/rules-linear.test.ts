// The rules' regular expressions take time linear in a message's length: long runs of separators (dots, commas,
// spaces, dashes, underscores, mixed) with and without a word after them, through every pre-reading step. A regex
// that re-reads a run from each of its positions took 5-10 s per step here (and 48 ms at the parser's 2,000-character
// cap, twice per group message); linear ones take milliseconds. The bound is a hang detector, not a benchmark.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { analyze } from '../../../agents/rules/analysis.js';
import { readCorrection } from '../../../agents/rules/corrections.js';
import { unwrap } from '../../../agents/rules/courtesy.js';

const LENGTH = 40_000;
const steps: [string, (text: string) => unknown][] = [
  ['analyze', analyze],
  ['unwrap', (t) => unwrap(t)],
  ['unwrap keeping the tail', (t) => unwrap(t, true)],
  ['readCorrection', (t) => readCorrection(t, () => ({ action: null, reason: '' }))],
];

it('runs of separators, however long, are read in linear time by every step', () => {
  const run = fc.constantFrom(
    '.',
    ',',
    ':',
    ';',
    '!',
    '-',
    '_',
    ' ',
    '~',
    '. ',
    ', ',
    ' -',
    '-_',
    '\n',
    '!?',
  );
  const after = fc.constantFrom('x', '', ' no wait 3 PAC', ' please', 'alice', '5');
  const before = fc.constantFrom('send 5 PAC to alice', 'hey', '', 'mary-jane');
  fc.assert(
    fc.property(before, run, after, (head, sep, tail) => {
      const text = head + sep.repeat(Math.ceil(LENGTH / sep.length)) + tail;
      for (const [name, step] of steps) {
        const started = performance.now();
        step(text);
        expect(performance.now() - started, `${name} on ${JSON.stringify(sep)} x ${LENGTH}`).toBeLessThan(
          5_000,
        );
      }
    }),
    { numRuns: 12 },
  );
});
