import { parseArgs } from 'node:util';
import { DEFAULT_SIMULATION, simulate, type SybilOutcome } from '../../compute/simulate.js';
import { pacText as pac } from '../../pactus/amount.js';
import { argsProblem } from './args.js';
import type { Command } from './main.js';

const percent = (x: number) => `${(x * 100).toFixed(3)}%`;

/** What compute:simulate accepts (its --help names each). */
export const SIMULATE_OPTIONS = {
  blocks: { type: 'string' },
  contributors: { type: 'string' },
  'spot-check': { type: 'string' },
  'cheat-rate': { type: 'string' },
  'sybil-split': { type: 'string' },
  'sybil-stake': { type: 'string' },
  requests: { type: 'string' },
  seed: { type: 'string' },
} as const;

/** `pactus-bot compute:simulate [--blocks N --contributors M --spot-check R --sybil-split K --requests R --seed S]` */
export const computeSimulateCommand: Command = async (args, io) => {
  let values;
  try {
    values = parseArgs({ args, options: SIMULATE_OPTIONS }).values;
  } catch (error) {
    io.err(`error: ${argsProblem(error)}`);
    return 1;
  }
  const num = (v: string | undefined, fallback: number, min: number, max: number, name: string) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be ${min}-${max}`);
    return n;
  };
  let options;
  try {
    const d = DEFAULT_SIMULATION;
    options = {
      ...d,
      blocks: Math.floor(num(values.blocks, d.blocks, 1, 1_000_000, 'blocks')),
      contributors: Math.floor(num(values.contributors, d.contributors, 4, 100, 'contributors')),
      spotCheckRate: num(values['spot-check'], d.spotCheckRate, 0, 1, 'spot-check'),
      cheatRate: num(values['cheat-rate'], d.cheatRate, 0, 1, 'cheat-rate'),
      sybilSplit: Math.floor(num(values['sybil-split'], d.sybilSplit, 1, 50, 'sybil-split')),
      sybilStakeFloors: num(values['sybil-stake'], d.sybilStakeFloors, 0, 1000, 'sybil-stake'),
      requestsPerBlock: Math.floor(num(values.requests, d.requestsPerBlock, 1, 1000, 'requests')),
      seed: Math.floor(num(values.seed, d.seed, 0, 2 ** 31, 'seed')),
    };
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 1;
  }
  const r = simulate(options);
  io.out(
    `PIP-44 compute epoch: ${options.blocks} blocks, budget ${pac(r.budget)} (0.35 PAC/block), ${options.requestsPerBlock} requests/block, spot checks ${percent(options.spotCheckRate)}, cheater alters ${percent(options.cheatRate)} of answers`,
  );
  io.out('contributor   speed  requests  work share  reward share  reward');
  for (const c of r.contributors)
    io.out(
      `${c.name.padEnd(12)} ${String(c.speed).padStart(6)} ${String(c.requests).padStart(9)}  ${percent(c.workShare).padStart(10)}  ${percent(c.rewardShare).padStart(12)}  ${pac(c.reward)}${c.caught ? '  (caught by a spot check: zeroed for the epoch)' : ''}`,
    );
  io.out(
    `max deviation of reward share from verified work share (honest contributors): ${percent(r.maxDeviation)}`,
  );
  io.out(
    `cheater: earned ${pac(r.cheater.reward)}; the same machine honest would have earned ${pac(r.cheater.honestReward)}`,
  );
  const sybilLine = (label: string, y: SybilOutcome) =>
    io.out(
      `${label}: a stake of ${y.floors}x the floor split into ${options.sybilSplit} identities (${y.admitted} admitted, ${y.refused} refused below the floor) earned ${pac(y.reward)}; as one identity it would have earned ${pac(y.singleReward)} (gain ${pac(y.gain)}${y.singleReward > 0n ? `, ${percent(Number(y.gain) / Number(y.singleReward))}` : ''})`,
    );
  sybilLine('sybil', r.sybil);
  sybilLine('sybil with a floor per identity', r.fundedSybil);
  io.out(
    `validators: ${pac(r.validators.perBlockBefore)} -> ${pac(r.validators.perBlockAfter)} per block (${percent(r.validators.change)}), ${pac(r.validators.epochBefore)} -> ${pac(r.validators.epochAfter)} over the epoch`,
  );
  return 0;
};
