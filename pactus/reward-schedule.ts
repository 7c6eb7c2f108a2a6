// The block reward at each height: PIP-55's halvings on top of PIP-43's split. Read from pactus v1.16.0
// state/param/param.go (RewardCoefficient, BlockReward, FoundationReward) and state/state.go createSubsidyTx.
// Pure: the devnet's subsidy and the compute layer's budget both follow it.
import { NANO_PER_PAC } from './amount.js';

/** genesis/genesis_params.go DefaultGenesisParams: BlockReward 1 PAC. */
export const BASE_BLOCK_REWARD = NANO_PER_PAC;
/** state/param/param.go FromGenesis: baseFoundationReward 0.3 PAC (PIP-43's 30%). */
export const BASE_FOUNDATION_REWARD = 300_000_000n;

/**
 * The last height of each reward era: the reward halves after each. PIP-55 / param.go RewardCoefficient:
 * 1 up to 8,000,000, 0.5 up to 24,000,000, 0.25 up to 56,000,000, 0.125 after.
 */
export const PIP55_ERA_ENDS: readonly number[] = [8_000_000, 24_000_000, 56_000_000];

/**
 * How many halvings apply at `height`. Go multiplies by a float coefficient (Amount.MulF64, rounded); both base
 * amounts are multiples of 8, so halving them as integers gives the same NanoPAC exactly.
 */
export function halvingsAt(height: number, eraEnds: readonly number[] = PIP55_ERA_ENDS): number {
  let halvings = 0;
  for (const end of eraEnds) if (height > end) halvings++;
  return halvings;
}

/** The whole subsidy of the block at `height` (before fees): param.go BlockReward. */
export function blockReward(height: number, eraEnds: readonly number[] = PIP55_ERA_ENDS): bigint {
  return BASE_BLOCK_REWARD >> BigInt(halvingsAt(height, eraEnds));
}

/** The Foundation's part of it: param.go FoundationReward. */
export function foundationReward(height: number, eraEnds: readonly number[] = PIP55_ERA_ENDS): bigint {
  return BASE_FOUNDATION_REWARD >> BigInt(halvingsAt(height, eraEnds));
}

/** What the proposing validator earns (before fees): 0.7 PAC, then 0.35, 0.175, 0.0875 (createSubsidyTx). */
export function validatorReward(height: number, eraEnds: readonly number[] = PIP55_ERA_ENDS): bigint {
  return blockReward(height, eraEnds) - foundationReward(height, eraEnds);
}

/**
 * The sum over heights [from, to) of `perBlockAtFirstEra` halved as the chain's reward is: e.g. PIP-44's compute
 * budget, 0.35 PAC a block while validators earn 0.7. Counted era by era, not block by block.
 */
export function halvingSum(
  perBlockAtFirstEra: bigint,
  from: number,
  to: number,
  eraEnds: readonly number[] = PIP55_ERA_ENDS,
): bigint {
  let total = 0n;
  let start = from;
  while (start < to) {
    const halvings = halvingsAt(start, eraEnds);
    // The era containing `start` ends at the first boundary at or past it.
    const eraEnd = eraEnds.find((end) => end >= start);
    const stop = eraEnd === undefined ? to : Math.min(to, eraEnd + 1);
    total += BigInt(stop - start) * (perBlockAtFirstEra >> BigInt(halvings));
    start = stop;
  }
  return total;
}

/** Era ends must rise strictly and be positive heights, or the schedule means nothing. */
export function checkEraEnds(eraEnds: readonly number[]): void {
  eraEnds.forEach((end, i) => {
    if (!Number.isSafeInteger(end) || end < 1 || (i > 0 && end <= eraEnds[i - 1]!))
      throw new RangeError(`reward era ends must be rising positive heights, not [${eraEnds.join(', ')}]`);
  });
}
