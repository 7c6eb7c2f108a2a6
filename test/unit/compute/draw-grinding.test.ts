// The operator against its own spot checks. It holds the epoch's seed from the start, and it writes every request
// (the sampling seed in each is its random number). Drawn by the request's hash (bundle version 2), it could redraw
// a request's seed until the request came out as it wished before sending it: a friend never checked, a rival
// checked on every answer, and the bundle verified (the checks were exactly the requests due by that rule). Drawn by
// the receipt's leaf (version 3), the draw depends on the contributor's signed answer, which does not exist when the
// request is written; and a bundle claiming version 2 to keep the old rule is refused. Generated over seeds, rates
// and contributors; each epoch is the operator's best grinding.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digest, receiptLeaf, signReceipt, type Receipt } from '../../../compute/receipt.js';
import {
  PPM,
  isDue,
  seedCommitment,
  spotCheckProblems,
  type SpotChecks,
} from '../../../compute/spot-sampling.js';
import { withSamplingSettings } from '../../../compute/router.js';
import { headerProblems } from '../../../compute/epoch-verify.js';
import { operatorKey } from '../../support/deployment.js';
import { anchoredEpoch, computeManifest, tinyBooks } from '../../support/epoch-bundle.js';
import { receiptKey, TINY_MODEL, validatorOf } from '../../support/receipts.js';

/** Few: each is a BLS signature (milliseconds). The runs are seeded, so whether 12 answers show it is fixed. */
const REQUESTS = 12;

/** A request body redrawn (a fresh sampling seed each time) until its hash is due, or not, as the operator wants. */
function ground(seed: string, ppm: number, n: number, due: boolean): string {
  const body = JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: `question ${n}` }] });
  for (;;) {
    const requestHash = digest(withSamplingSettings(body));
    if (isDue(seed, requestHash, ppm) === due) return requestHash;
  }
}

/** The contributor's receipts for the operator's ground requests, and spot checks of exactly the ones it chose. */
function epoch(seedByte: number, keySeed: number, ppm: number, spare: boolean) {
  const seed = digest(`epoch seed ${seedByte}`);
  const commitment = seedCommitment(seed);
  const key = receiptKey(keySeed);
  const receipts: Receipt[] = [];
  for (let n = 0; n < REQUESTS; n++)
    receipts.push(
      signReceipt(
        key,
        {
          contributor: validatorOf(key),
          requestHash: ground(seed, ppm, n, !spare),
          responseHash: digest(`answer ${n}`),
          promptTokens: 100,
          completionTokens: 10,
          model: 'tiny',
          modelHash: TINY_MODEL,
          timestamp: 1_700_000_000_000 + n,
          commitment,
        },
        'testnet',
      ),
    );
  // Spared: no check at all. Singled out: every answer "checked" (and, say, failed by a friendly decider).
  const checks: SpotChecks['checks'] = spare
    ? []
    : receipts.map((r) => ({
        request: r.requestHash,
        leaf: receiptLeaf(r),
        contributor: r.contributor,
        reruns: [],
        outcome: 'unchecked' as const,
        failed: null,
        detail: 'no other contributor could re-run it',
      }));
  const spot: SpotChecks = { ratePpm: ppm, commitment, seed, checks };
  // The old rule's whole condition: the requests checked are exactly those due by their hash.
  const byRequest = receipts.every(
    (r) => isDue(seed, r.requestHash, ppm) === checks.some((c) => c.leaf === receiptLeaf(r)),
  );
  return { byRequest, problems: spotCheckProblems(receipts, spot, {}).join('\n') };
}

const cases = fc.record({
  seedByte: fc.integer({ min: 0, max: 1_000_000 }),
  keySeed: fc.integer({ min: 20, max: 40 }),
  ppm: fc.integer({ min: 0.4 * PPM, max: 0.6 * PPM }),
});

describe('an operator grinding its requests against its own seed', () => {
  it('spares a friend every check: drawn by request it verified; drawn by leaf the due answers show', () => {
    fc.assert(
      fc.property(cases, ({ seedByte, keySeed, ppm }) => {
        const { byRequest, problems } = epoch(seedByte, keySeed, ppm, true);
        expect(byRequest).toBe(true);
        expect(problems).toMatch(/was due for a spot check and has none/);
      }),
      { numRuns: 2, seed: 30 },
    );
  });

  it('singles a rival out on every answer: drawn by request it verified; drawn by leaf the extra checks show', () => {
    fc.assert(
      fc.property(cases, ({ seedByte, keySeed, ppm }) => {
        const { byRequest, problems } = epoch(seedByte, keySeed, ppm, false);
        expect(byRequest).toBe(true);
        expect(problems).toMatch(/was checked without being due/);
      }),
      { numRuns: 2, seed: 30 },
    );
  });

  it('cannot keep the old rule by labelling its bundle version 2: one with spot checks is refused, by name', () => {
    const op = operatorKey(72);
    const manifest = computeManifest(op, { [TINY_MODEL]: '7' }, PPM / 2);
    const key = receiptKey(23);
    const seed = digest('epoch seed v2');
    const receipt = signReceipt(
      key,
      {
        contributor: validatorOf(key),
        requestHash: ground(seed, PPM / 2, 0, false),
        responseHash: digest('answer'),
        promptTokens: 100,
        completionTokens: 10,
        model: 'tiny',
        modelHash: TINY_MODEL,
        timestamp: 1_700_000_000_000,
        commitment: seedCommitment(seed),
      },
      'testnet',
    );
    const books = tinyBooks(6, [receipt], {
      counted: { [receiptLeaf(receipt)]: { prompt: 100, completion: 10 } },
      spotChecks: { ratePpm: PPM / 2, commitment: seedCommitment(seed), seed, checks: [] },
    });
    const current = anchoredEpoch(op, manifest, books);
    const old = { ...current, version: 2 as const };
    expect(headerProblems(old, manifest).join('\n')).toMatch(
      /the bundle is version 2, whose spot checks were drawn by request: the operator, who writes every request, could choose/,
    );
    expect(headerProblems(current, manifest).join('\n')).not.toMatch(/version/);
  });
});
