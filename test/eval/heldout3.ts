// The third held-out set (issue 29): a seeded grammar written by an outside checker before reading agents/rules/**,
// with its own names, amounts, shapes and chat registers. It measures; it is never tuned on (see
// test/eval/heldout3-first-run.md). `npm run eval -- --write` writes it to test/eval/generated/heldout3.jsonl.
import type { GeneratedCase } from './grammar.js';
import { Rng, unique } from './grammar.js';
import { moneyCases } from './heldout3-money.js';
import { notRequestCases } from './heldout3-not.js';
import { restCases } from './heldout3-rest.js';

export const HELDOUT3_SEED = 0x29_0003;

export function heldOut3Cases(): GeneratedCase[] {
  const rng = new Rng(HELDOUT3_SEED);
  return unique([...moneyCases(rng), ...restCases(rng), ...notRequestCases(rng)]);
}
