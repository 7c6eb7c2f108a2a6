// PIP-44's test case for the compute layer ("test reward halving on testnet to ensure fair distribution"), replayed
// with the same credit formula and pro-rata split the bot uses: validators at 0.7 PAC/block before and 0.35 after,
// contributors of different speeds, one that alters answers, and one stake split into several sybil identities.
import { NANO_PER_PAC } from '../pactus/amount.js';
import { flops, proRata } from './epoch.js';
import { routeOrder } from './router.js';

export interface SimulationOptions {
  blocks: number;
  contributors: number;
  /** Chance that a request is spot-checked (COMPUTE_SPOT_CHECK_RATE). */
  spotCheckRate: number;
  /** The cheater alters this fraction of its answers. */
  cheatRate: number;
  /** Identities the sybil splits its one stake and machine into. */
  sybilSplit: number;
  /** The sybil's whole stake, in multiples of the stake floor (COMPUTE_MIN_STAKE_PAC). */
  sybilStakeFloors: number;
  /** Requests per block, and tokens per request. */
  requestsPerBlock: number;
  tokensPerRequest: number;
  params: bigint;
  validators: number;
  seed: number;
}

export const DEFAULT_SIMULATION: SimulationOptions = {
  blocks: 8640,
  contributors: 6,
  spotCheckRate: 0.05,
  cheatRate: 0.2,
  sybilSplit: 4,
  sybilStakeFloors: 2,
  requestsPerBlock: 11,
  tokensPerRequest: 600,
  params: 1_500_000_000n,
  validators: 50,
  seed: 44,
};

export interface ContributorOutcome {
  name: string;
  speed: number;
  requests: number;
  workShare: number;
  rewardShare: number;
  reward: bigint;
  caught: boolean;
}

export interface SybilOutcome {
  /** The sybil's whole stake, in floors. */
  floors: number;
  reward: bigint;
  singleReward: bigint;
  gain: bigint;
  admitted: number;
  refused: number;
}

export interface SimulationResult {
  budget: bigint;
  contributors: ContributorOutcome[];
  /** Largest |reward share - verified work share| among honest contributors. */
  maxDeviation: number;
  /** What the cheater got, and what the same machine would have got honestly. */
  cheater: { reward: bigint; honestReward: bigint };
  /**
   * What the sybil's identities got together, and what one identity on the same machine would have got. Identities
   * whose share of the stake is below the floor are refused at admission and get no work.
   */
  sybil: SybilOutcome;
  /** The same split with a full floor behind every identity. */
  fundedSybil: SybilOutcome;
  validators: {
    perBlockBefore: bigint;
    perBlockAfter: bigint;
    epochBefore: bigint;
    epochAfter: bigint;
    change: number;
  };
}

/** A small seeded generator (mulberry32), so a run can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Node {
  name: string;
  speed: number;
  cheats: boolean;
  /** Stake in floors: the router's weight. */
  stake: number;
}

/**
 * Requests arrive at random moments of each block and go where the router would send them (routeOrder: fewest in
 * flight per unit of stake, ties drawn by stake). Each node works through its queue at its speed in tokens per
 * block; a sybil's identities share one machine, so each has 1/split of its speed.
 */
function run(nodes: Node[], o: SimulationOptions): { requests: Map<string, number>; caught: Set<string> } {
  const rand = seededRandom(o.seed);
  const queues = new Map(nodes.map((n) => [n.name, { busyUntil: 0, finishes: [] as number[] }]));
  const requests = new Map(nodes.map((n) => [n.name, 0]));
  const caught = new Set<string>();
  for (let b = 0; b < o.blocks; b++) {
    const arrivals = Array.from({ length: o.requestsPerBlock }, () => b + rand()).sort((x, y) => x - y);
    for (const t of arrivals) {
      const state = nodes.map((n) => {
        const q = queues.get(n.name)!;
        while (q.finishes.length && q.finishes[0]! <= t) q.finishes.shift();
        return { n, q, inFlight: q.finishes.length, weight: n.stake };
      });
      const { n, q } = routeOrder(state, rand)[0]!;
      q.busyUntil = Math.max(t, q.busyUntil) + o.tokensPerRequest / n.speed;
      q.finishes.push(q.busyUntil);
      requests.set(n.name, requests.get(n.name)! + 1);
      const checked = rand() < o.spotCheckRate;
      if (n.cheats && checked && rand() < o.cheatRate) caught.add(n.name);
    }
  }
  return { requests, caught };
}

function split(nodes: Node[], o: SimulationOptions) {
  const { requests, caught } = run(nodes, o);
  const credits = new Map(
    nodes.map((n) => [
      n.name,
      caught.has(n.name) ? 0n : flops(o.params, BigInt(requests.get(n.name)! * o.tokensPerRequest)),
    ]),
  );
  const budget = ((35n * NANO_PER_PAC) / 100n) * BigInt(o.blocks);
  return { requests, caught, credits, budget, shares: proRata(budget, credits) };
}

/** Every honest validator and the cheater hold this many floors of stake (the router weighs by stake). */
const STAKE_FLOORS = 2;
const SYBIL_SPEED = 1600;

/** The sybil's stake split into identities (each below the floor is refused), against the same stake as one. */
function sybilCase(others: Node[], floors: number, o: SimulationOptions): SybilOutcome {
  const each = floors / o.sybilSplit;
  const sybils: Node[] = Array.from({ length: o.sybilSplit }, (_, i) => ({
    name: `sybil-${i + 1}`,
    speed: SYBIL_SPEED / o.sybilSplit,
    cheats: false,
    stake: each,
  }));
  const admitted = each >= 1 ? sybils : [];
  const world = split([...others, ...admitted], o);
  const single = split([...others, { name: 'sybil', speed: SYBIL_SPEED, cheats: false, stake: floors }], o);
  const reward = admitted.reduce((a, n) => a + (world.shares.get(n.name) ?? 0n), 0n);
  const singleReward = floors >= 1 ? (single.shares.get('sybil') ?? 0n) : 0n;
  return {
    floors,
    reward,
    singleReward,
    gain: reward - singleReward,
    admitted: admitted.length,
    refused: sybils.length - admitted.length,
  };
}

export function simulate(o: SimulationOptions = DEFAULT_SIMULATION): SimulationResult {
  const honest: Node[] = Array.from({ length: Math.max(2, o.contributors - 2) }, (_, i) => ({
    name: `honest-${i + 1}`,
    speed: 400 * (i + 1),
    cheats: false,
    stake: STAKE_FLOORS,
  }));
  const cheater: Node = { name: 'cheater', speed: 1200, cheats: true, stake: STAKE_FLOORS };
  const sybil = sybilCase([...honest, cheater], o.sybilStakeFloors, o);
  const sybils: Node[] = Array.from({ length: sybil.admitted }, (_, i) => ({
    name: `sybil-${i + 1}`,
    speed: SYBIL_SPEED / o.sybilSplit,
    cheats: false,
    stake: o.sybilStakeFloors / o.sybilSplit,
  }));
  const nodes = [...honest, cheater, ...sybils];
  const world = split(nodes, o);
  const verified = nodes.filter((n) => !world.caught.has(n.name));
  const verifiedRequests = verified.reduce((a, n) => a + world.requests.get(n.name)!, 0);
  const outcomes: ContributorOutcome[] = nodes.map((n) => {
    const reward = world.shares.get(n.name) ?? 0n;
    return {
      name: n.name,
      speed: n.speed,
      requests: world.requests.get(n.name)!,
      workShare: world.caught.has(n.name) ? 0 : world.requests.get(n.name)! / verifiedRequests,
      rewardShare: Number(reward) / Number(world.budget),
      reward,
      caught: world.caught.has(n.name),
    };
  });
  const maxDeviation = Math.max(
    ...outcomes.filter((c) => !c.caught).map((c) => Math.abs(c.rewardShare - c.workShare)),
  );
  // The same world with an honest machine in the cheater's place.
  const fair = split([...honest, { ...cheater, cheats: false }, ...sybils], o);
  const before = (70n * NANO_PER_PAC) / 100n;
  const after = before - (35n * NANO_PER_PAC) / 100n;
  return {
    budget: world.budget,
    contributors: outcomes,
    maxDeviation,
    cheater: { reward: world.shares.get('cheater') ?? 0n, honestReward: fair.shares.get('cheater') ?? 0n },
    sybil,
    // With a floor for every identity, splitting is admitted: what is left is how the router shares the work.
    fundedSybil: sybilCase([...honest, cheater], o.sybilSplit, o),
    validators: {
      perBlockBefore: before,
      perBlockAfter: after,
      epochBefore: before * BigInt(o.blocks),
      epochAfter: after * BigInt(o.blocks),
      change: Number(after - before) / Number(before),
    },
  };
}
