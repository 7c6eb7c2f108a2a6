// PIP-44's test case for the compute layer ("test reward halving on testnet to ensure fair distribution"), replayed
// with the same credit formula and pro-rata split the bot uses: validators at 0.7 PAC/block before and 0.35 after,
// contributors of different speeds, one that alters answers, and one stake split into several sybil identities.
import { NANO_PER_PAC } from '../pactus/amount.js';
import { flops, proRata } from './epoch.js';

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
  sybil: { reward: bigint; singleReward: bigint; gain: bigint; admitted: number; refused: number };
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
  /** The sybil's identities share one machine: each gets 1/split of its speed. */
  sybilOf: string | null;
}

/** Requests go to the least-loaded node, as the router sends them: a node's load drains at its speed. */
function run(nodes: Node[], o: SimulationOptions): { requests: Map<string, number>; caught: Set<string> } {
  const rand = seededRandom(o.seed);
  const load = new Map(nodes.map((n) => [n.name, 0]));
  const requests = new Map(nodes.map((n) => [n.name, 0]));
  const caught = new Set<string>();
  for (let b = 0; b < o.blocks; b++) {
    for (const n of nodes) load.set(n.name, Math.max(0, load.get(n.name)! - n.speed));
    for (let r = 0; r < o.requestsPerBlock; r++) {
      const n = nodes.reduce((best, x) =>
        load.get(x.name)! / x.speed < load.get(best.name)! / best.speed ? x : best,
      );
      load.set(n.name, load.get(n.name)! + o.tokensPerRequest);
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

export function simulate(o: SimulationOptions = DEFAULT_SIMULATION): SimulationResult {
  const honest = Array.from({ length: Math.max(2, o.contributors - 2) }, (_, i) => ({
    name: `honest-${i + 1}`,
    speed: 400 * (i + 1),
    cheats: false,
    sybilOf: null,
  }));
  const cheater: Node = { name: 'cheater', speed: 1200, cheats: true, sybilOf: null };
  const sybilSpeed = 1600;
  const sybils: Node[] = Array.from({ length: o.sybilSplit }, (_, i) => ({
    name: `sybil-${i + 1}`,
    speed: sybilSpeed / o.sybilSplit,
    cheats: false,
    sybilOf: 'sybil',
  }));
  // The floor is per identity: a stake split k ways must be k floors, or the identities below it are refused.
  const admitted = o.sybilStakeFloors / o.sybilSplit >= 1 ? sybils : [];
  const world = split([...honest, cheater, ...admitted], o);
  const verified = [...honest, cheater, ...admitted].filter((n) => !world.caught.has(n.name));
  const verifiedRequests = verified.reduce((a, n) => a + world.requests.get(n.name)!, 0);
  const outcomes: ContributorOutcome[] = [...honest, cheater, ...admitted].map((n) => {
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
  // The same world with an honest machine in the cheater's place, and with the sybil as one identity.
  const fair = split([...honest, { ...cheater, cheats: false }, ...admitted], o);
  const single = split(
    [...honest, cheater, { name: 'sybil', speed: sybilSpeed, cheats: false, sybilOf: null }],
    o,
  );
  const sybilReward = sybils.reduce((a, n) => a + (world.shares.get(n.name) ?? 0n), 0n);
  const singleReward = single.shares.get('sybil') ?? 0n;
  const before = (70n * NANO_PER_PAC) / 100n;
  const after = before - (35n * NANO_PER_PAC) / 100n;
  return {
    budget: world.budget,
    contributors: outcomes,
    maxDeviation,
    cheater: { reward: world.shares.get('cheater') ?? 0n, honestReward: fair.shares.get('cheater') ?? 0n },
    sybil: {
      reward: sybilReward,
      singleReward,
      gain: sybilReward - singleReward,
      admitted: admitted.length,
      refused: sybils.length - admitted.length,
    },
    validators: {
      perBlockBefore: before,
      perBlockAfter: after,
      epochBefore: before * BigInt(o.blocks),
      epochAfter: after * BigInt(o.blocks),
      change: Number(after - before) / Number(before),
    },
  };
}
