import { describe, expect, it } from 'vitest';
import { routeOrder } from '../../../compute/router.js';
import { DEFAULT_SIMULATION, seededRandom, simulate } from '../../../compute/simulate.js';

const node = (name: string, inFlight: number, weight: number) => ({ name, inFlight, weight });

/** How often each endpoint comes first over many draws, as a fraction. */
function firsts(candidates: ReturnType<typeof node>[], draws = 20_000): Record<string, number> {
  const random = seededRandom(7);
  const counts: Record<string, number> = {};
  for (let i = 0; i < draws; i++) {
    const first = routeOrder(candidates, random)[0]!.name;
    counts[first] = (counts[first] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / draws]));
}

describe('routing the pool by load and stake', () => {
  it('sends work to the endpoint with the fewest requests in flight per unit of stake', () => {
    const order = routeOrder(
      [node('a', 2, 1), node('b', 3, 6), node('c', 1, 1), node('d', 0, 1)],
      seededRandom(1),
    ).map((n) => n.name);
    // Loads: a 2, b 0.5, c 1, d 0: every endpoint is in the order, for failover.
    expect(order).toEqual(['d', 'b', 'c', 'a']);
  });

  it('draws ties in proportion to stake', () => {
    const share = firsts([node('small', 0, 1), node('big', 0, 3)]);
    expect(share.big).toBeGreaterThan(0.73);
    expect(share.big).toBeLessThan(0.77);
  });

  it('gives a stake split into four identities the same share of an idle pool as the stake as one', () => {
    const honest = [node('h1', 0, 2), node('h2', 0, 2)];
    const one = firsts([...honest, node('sybil', 0, 4)]).sybil!;
    const split = firsts([...honest, ...[1, 2, 3, 4].map((i) => node(`s${i}`, 0, 1))]);
    const together = split.s1! + split.s2! + split.s3! + split.s4!;
    expect(one).toBeCloseTo(0.5, 1);
    expect(together).toBeCloseTo(one, 1);
  });

  it('never routes to an endpoint of no weight', () => {
    expect(routeOrder([node('zero', 0, 0), node('a', 5, 1)], seededRandom(2)).map((n) => n.name)).toEqual([
      'a',
    ]);
  });

  it('in the simulated epoch, splitting one funded stake gains little, and an under-staked split earns nothing', () => {
    const r = simulate({ ...DEFAULT_SIMULATION, blocks: 1500 });
    expect(r.sybil).toMatchObject({ admitted: 0, refused: 4, reward: 0n });
    expect(r.fundedSybil.admitted).toBe(4);
    const gain = Number(r.fundedSybil.gain) / Number(r.fundedSybil.singleReward);
    // Turn-taking between tied endpoints gave the same split +4% to +91% more work (see the note in router.ts).
    expect(Math.abs(gain)).toBeLessThan(0.1);
    expect(r.maxDeviation).toBeLessThan(1e-9);
  });
});
