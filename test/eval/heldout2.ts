// The SECOND held-out set: an outside check written before its author read the rules, from a seeded grammar with
// its own names, amounts, verbs, registers (terse, chatty, non-native, voice-typed, emoji, slang, shouted, phone
// punctuation, several lines) and non-requests. It covers every action in the registry. `npm run eval` reports it
// apart from the other sets; the rules are fixed by CLASS of miss, never by adding its lines.
import { Rng, unique, type GeneratedCase } from './grammar.js';
import {
  batches,
  corrections,
  paymentDetails,
  payments,
  spokenPayments,
  unreadable,
} from './heldout2-money.js';
import { schedules, staking } from './heldout2-schedules-staking.js';
import { everyAction } from './heldout2-actions.js';
import { followUps, notRequests } from './heldout2-not.js';

export function heldOut2Cases(seed = 29_31_2026): GeneratedCase[] {
  const rng = new Rng(seed);
  return unique([
    ...payments(rng, 220),
    ...spokenPayments(rng, 30),
    ...paymentDetails(rng),
    ...corrections(rng),
    ...unreadable(rng),
    ...batches(rng, 30),
    ...schedules(rng, 36),
    ...staking(rng),
    ...everyAction(rng),
    ...notRequests(rng),
    ...followUps(),
  ]);
}
