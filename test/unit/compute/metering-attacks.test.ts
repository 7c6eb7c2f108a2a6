// Metering attacked from inside the pool: a colluding pair trying to frame an honest node or cover its own lies, a
// node serving from several URLs (to re-run its own answers, or to multiply its stake), a node shifting token
// claims between answers, and spot-check records forged into shapes the checker never writes. Generated cases over
// pure functions: thousands per second.
import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { creditOf } from '../../../compute/epoch.js';
import { InferenceRouter } from '../../../compute/router.js';
import { DIFFERED, spotCheck, type Rerun } from '../../../compute/spot-checks.js';
import {
  newSeed,
  seedCommitment,
  spotHeaderProblems,
  type SpotCheckRecord,
  type SpotChecks,
} from '../../../compute/spot-sampling.js';
import type { SpotCheckOutcome } from '../../../db/schema.js';

const answer = (content: string) => ({ choices: [{ message: { role: 'assistant', content } }] });
const TRUE = answer('the true answer');
const WRONG = answer('the agreed wrong answer');

/**
 * One due check among `n` contributors (c0..c{n-1}) of which `colluders` always give the same wrong answer and the
 * rest the true one; re-runs are drawn in `order` (a permutation), skipping the excluded.
 */
async function checkAmong(n: number, colluders: Set<number>, checkedIndex: number, order: number[]) {
  const name = (i: number) => `c${i}`;
  const says = (i: number) => (colluders.has(i) ? WRONG : TRUE);
  let leaf = 0;
  const rerun = async (exclude: string[]): Promise<Rerun | null> => {
    const next = order.find((i) => i !== checkedIndex && !exclude.includes(name(i)));
    return next === undefined
      ? null
      : { endpoint: name(next), contributor: name(next), response: says(next), leaf: `leaf${leaf++}` };
  };
  return spotCheck(
    { endpoint: name(checkedIndex), contributor: name(checkedIndex), requestHash: 'r', leaf: 'orig' },
    says(checkedIndex),
    rerun,
  );
}

const pool = fc.integer({ min: 2, max: 7 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    colluders: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 2 }),
    checked: fc.integer({ min: 0, max: n - 1 }),
    order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
  }),
);

describe('spot checks against a colluding pair', () => {
  it('never blame an honest node, whoever is checked and however the re-runs are drawn', async () => {
    await fc.assert(
      fc.asyncProperty(pool, async ({ n, colluders, checked, order }) => {
        const bad = new Set(colluders);
        const verdict = await checkAmong(n, bad, checked, order);
        const blamed = verdict.outcomes
          .filter((o) => o.outcome === 'fail')
          .map((o) => Number(o.contributor.slice(1)));
        expect(blamed.length).toBeLessThanOrEqual(1);
        expect(verdict.record.failed === null).toBe(blamed.length === 0);
        const drawn = order.filter((i) => i !== checked);
        for (const i of blamed) {
          expect(verdict.outcomes[0]!.reason).toBe(DIFFERED);
          if (bad.has(i)) continue;
          // The one way left to blame an honest node: the pair drawn as its first two re-runners, answering the same
          // wrong answer to a request they cannot tell from any other (and so to their own checks too).
          expect(i).toBe(checked);
          expect(bad.has(drawn[0]!) && bad.has(drawn[1]!)).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('catch a lone liar whenever two honest re-runs are drawn, and a colluder whose partner is not drawn first', async () => {
    await fc.assert(
      fc.asyncProperty(pool, async ({ n, colluders, checked, order }) => {
        const bad = new Set(colluders);
        if (!bad.has(checked)) return;
        const drawn = order.filter((i) => i !== checked);
        const verdict = await checkAmong(n, bad, checked, order);
        // Two honest nodes drawn first agree against the liar: it fails, however many colluders there are.
        if (drawn.length >= 2 && !bad.has(drawn[0]!) && !bad.has(drawn[1]!))
          expect(verdict.record).toMatchObject({ outcome: 'fail', failed: `c${checked}` });
        // Its partner drawn to decide cannot turn the blame on the honest first re-runner.
        expect(verdict.record.failed === null || verdict.record.failed === `c${checked}`).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('a contributor serving from several URLs', () => {
  const owner: Record<string, string> = { a1: 'A', a2: 'A', a3: 'A', b: 'B', c: 'C' };
  const ownerOf = (url: string) => owner[url.slice('http://'.length)]!;
  /** Five healthy URLs of three contributors with equal stakes, as the health checks would have admitted them. */
  const router = (random: () => number = () => 0.5) => {
    const r = new InferenceRouter({
      urls: Object.keys(owner).map((k) => `http://${k}`),
      logger: pino({ level: 'silent' }),
      deadlineMs: 1_000,
      random,
    });
    for (const e of r.endpoints)
      Object.assign(e, {
        healthy: true,
        admission: { ok: true, contributor: ownerOf(e.url), modelHash: 'm', weight: 6 },
      });
    return r;
  };

  it("never gets its own answer to re-run: a check's re-runs skip every URL of the checked contributor", () => {
    const r = router();
    for (const url of ['http://a1', 'http://a2', 'http://a3']) {
      const excluded = r.alongside([url]);
      expect(new Set(excluded)).toEqual(new Set(['http://a1', 'http://a2', 'http://a3']));
      expect(
        r
          .usable(excluded)
          .map((e) => e.url)
          .sort(),
      ).toEqual(['http://b', 'http://c']);
    }
    // A decider skips both the checked contributor and the first re-runner, by contributor.
    expect(r.usable(r.alongside(['http://a2', 'http://b'])).map((e) => e.url)).toEqual(['http://c']);
    // With accounting off (no contributor), each URL stands alone.
    const open = router();
    for (const e of open.endpoints)
      Object.assign(e, { admission: { ok: true, contributor: '', modelHash: 'm', weight: 1 } });
    expect(open.alongside(['http://a1'])).toEqual(['http://a1']);
  });

  it('does not multiply its stake: three URLs share the weight of one', () => {
    // Each contributor has the same stake weight: over many draws, A's three URLs together take about a third.
    let seed = 1;
    const r = router(() => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647);
    const firsts = new Map<string, number>();
    const draws = 6_000;
    for (let i = 0; i < draws; i++) {
      const who = ownerOf(r.usable()[0]!.url);
      firsts.set(who, (firsts.get(who) ?? 0) + 1);
    }
    for (const who of ['A', 'B', 'C']) expect(firsts.get(who)! / draws, who).toBeCloseTo(1 / 3, 1);
  });
});

describe('token claims shifted between answers', () => {
  it('never earn more than the honest claims: each answer is credited the smaller of claimed and counted', () => {
    const answerArb = fc.record({
      counted: fc.record({ prompt: fc.nat(50_000), completion: fc.nat(50_000) }),
      // Claims around the count: under on some answers, over on others, within any tolerance or beyond it.
      dp: fc.integer({ min: -2_000, max: 2_000 }),
      dc: fc.integer({ min: -2_000, max: 2_000 }),
    });
    fc.assert(
      fc.property(fc.array(answerArb, { minLength: 1, maxLength: 30 }), (answers) => {
        const models = { m: 7n };
        let honest = 0n;
        let shifted = 0n;
        for (const { counted, dp, dc } of answers) {
          const base = { modelHash: 'm', contributor: 'x' } as const;
          const r = (p: number, c: number) =>
            ({ ...base, promptTokens: Math.max(0, p), completionTokens: Math.max(0, c) }) as Parameters<
              typeof creditOf
            >[0];
          honest += creditOf(r(counted.prompt, counted.completion), models, counted);
          shifted += creditOf(r(counted.prompt + dp, counted.completion + dc), models, counted);
        }
        expect(shifted <= honest).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('spot-check records the checker never writes', () => {
  const seed = newSeed();
  const base = (check: Partial<SpotCheckRecord>): SpotChecks => ({
    ratePpm: 500_000,
    seed,
    commitment: seedCommitment(seed),
    checks: [
      {
        request: 'r',
        leaf: 'l0',
        contributor: 'A',
        reruns: ['l1'],
        outcome: 'pass',
        failed: null,
        detail: 'matched B',
        ...check,
      },
    ],
  });
  it('are refused: unknown outcomes, wrong re-run counts, blame without failure and failure without blame', () => {
    const outcomes: SpotCheckOutcome[] = ['unchecked', 'pass', 'unresolved', 'fail'];
    const allowed: Record<string, number[]> = {
      unchecked: [0],
      pass: [1],
      unresolved: [1, 2, 3],
      fail: [2, 3],
    };
    fc.assert(
      fc.property(
        fc.constantFrom<string>(...outcomes, 'passed', 'skipped', 'toString', '__proto__'),
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom<string | null>(null, 'A', 'B', 'C'),
        (outcome, reruns, failed) => {
          const spot = base({
            outcome: outcome as SpotCheckOutcome,
            reruns: Array.from({ length: reruns }, (_, i) => `l${i + 1}`),
            failed,
          });
          const zeroed: Record<string, string> = failed ? { [failed]: DIFFERED } : {};
          const problems = spotHeaderProblems(spot, zeroed);
          const shapeHolds =
            Object.hasOwn(allowed, outcome) &&
            allowed[outcome]!.includes(reruns) &&
            (outcome === 'fail') === (failed !== null) &&
            // Two re-runs agreeing against the checked answer blame the checked contributor, nobody else.
            !(outcome === 'fail' && reruns === 2 && failed !== 'A');
          expect(problems.length === 0, `${outcome} ${reruns} ${failed}: ${problems.join('; ')}`).toBe(
            shapeHolds,
          );
        },
      ),
      { numRuns: 600 },
    );
  });

  it('are refused when a zeroing cites a check nobody failed, a failure is not zeroed, or a request is checked twice', () => {
    const fail = base({ outcome: 'fail', reruns: ['l1', 'l2'], failed: 'A' });
    expect(spotHeaderProblems(fail, { A: DIFFERED })).toEqual([]);
    expect(spotHeaderProblems(fail, {}).join()).toMatch(/A failed it but is not zeroed/);
    expect(spotHeaderProblems(base({}), { B: DIFFERED }).join()).toMatch(
      /B is zeroed for a spot check, but no check blames it/,
    );
    const twice = base({});
    twice.checks.push({ ...twice.checks[0]! });
    expect(spotHeaderProblems(twice, {}).join()).toMatch(/checked more than once/);
    expect(spotHeaderProblems({ ...base({}), seed: newSeed() }, {}).join()).toMatch(
      /does not open its commitment/,
    );
  });
});
