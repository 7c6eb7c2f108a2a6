// The fourth held-out set (issue 29, issue 31 item 2): a seeded grammar written by an outside checker before reading
// agents/rules/** or the other sets' lines, with its own names, amount forms, verbs and registers (terse, chatty,
// non-native, voice-typed, caps, emoji, slang, typos, corrections, polite wrappers, questions that are requests)
// and every kind of non-request. Its first run is kept in test/eval/heldout4-first-run.md.
// `npm run eval -- --write` writes it to test/eval/generated/heldout4.jsonl.
import type { GeneratedCase } from './grammar.js';
import { Rng, unique } from './grammar.js';
import { moneyCases } from './heldout4-money.js';
import { notRequestCases } from './heldout4-not.js';
import { restCases } from './heldout4-rest.js';

export const HELDOUT4_SEED = 0x29_0004;

export function heldOut4Cases(): GeneratedCase[] {
  const rng = new Rng(HELDOUT4_SEED);
  return unique([...moneyCases(rng), ...restCases(rng), ...notRequestCases(rng)]);
}
