// PIP-55's halvings as pactus v1.16.0 computes them (state/param/param.go RewardCoefficient, BlockReward,
// FoundationReward; state/state.go createSubsidyTx), and PIP-44's compute budget as half the validators' part.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PIP55_ERA_ENDS,
  blockReward,
  checkEraEnds,
  foundationReward,
  halvingSum,
  validatorReward,
} from '../../../pactus/reward-schedule.js';
import { DEFAULT_REWARD_PER_BLOCK, epochShares } from '../../../compute/epoch.js';

const PAC = 1_000_000_000n;

/** Go: Amount.MulF64 = round(float64(a) * coefficient), coefficient by `height <= 8M / 24M / 56M`. */
function goAmount(base: bigint, height: number): bigint {
  const coefficient =
    height <= 8_000_000 ? 1 : height <= 24_000_000 ? 0.5 : height <= 56_000_000 ? 0.25 : 0.125;
  return BigInt(Math.round(Number(base) * coefficient));
}

describe('the block reward at its boundaries', () => {
  it('1 PAC through block 8,000,000, then 0.5, 0.25 and 0.125; the Foundation 30%, the validator 70%', () => {
    const at = (h: number) => [blockReward(h), foundationReward(h), validatorReward(h)];
    expect(at(1)).toEqual([PAC, 300_000_000n, 700_000_000n]);
    expect(at(8_000_000)).toEqual([PAC, 300_000_000n, 700_000_000n]);
    expect(at(8_000_001)).toEqual([500_000_000n, 150_000_000n, 350_000_000n]);
    expect(at(24_000_000)).toEqual([500_000_000n, 150_000_000n, 350_000_000n]);
    expect(at(24_000_001)).toEqual([250_000_000n, 75_000_000n, 175_000_000n]);
    expect(at(56_000_000)).toEqual([250_000_000n, 75_000_000n, 175_000_000n]);
    expect(at(56_000_001)).toEqual([125_000_000n, 37_500_000n, 87_500_000n]);
    expect(at(2 ** 32 - 1)).toEqual([125_000_000n, 37_500_000n, 87_500_000n]); // the last uint32 height
  });

  it('generated heights, near every boundary and anywhere: the same NanoPAC as Go’s float coefficient', () => {
    const near = fc.oneof(
      ...PIP55_ERA_ENDS.map((end) => fc.integer({ min: end - 3, max: end + 3 })),
      fc.integer({ min: 1, max: 2 ** 32 - 1 }),
    );
    fc.assert(
      fc.property(near, (h) => {
        expect(blockReward(h)).toBe(goAmount(PAC, h));
        expect(foundationReward(h)).toBe(goAmount(300_000_000n, h));
        expect(validatorReward(h)).toBe(goAmount(PAC, h) - goAmount(300_000_000n, h));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('sums over a range (the compute budget)', () => {
  it('generated ranges and era ends: the era-by-era sum equals the block-by-block one', () => {
    const eraEnds = fc
      .uniqueArray(fc.integer({ min: 1, max: 400 }), { maxLength: 4 })
      .map((ends) => [...ends].sort((a, b) => a - b));
    fc.assert(
      fc.property(
        eraEnds,
        fc.integer({ min: 1, max: 450 }),
        fc.integer({ min: 0, max: 120 }),
        fc.bigInt({ min: 0n, max: 10n * PAC }),
        (ends, from, length, perBlock) => {
          let slow = 0n;
          for (let h = from; h < from + length; h++) {
            const halvings = ends.filter((end) => h > end).length;
            slow += perBlock >> BigInt(halvings);
          }
          expect(halvingSum(perBlock, from, from + length, ends)).toBe(slow);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('PIP-44’s 0.35 PAC is half the validators’ reward at every height, across the first halving', () => {
    for (const h of [1, 7_999_999, 8_000_000, 8_000_001, 24_000_001, 56_000_001])
      expect(halvingSum(DEFAULT_REWARD_PER_BLOCK, h, h + 1) * 2n).toBe(validatorReward(h));
    // An epoch of 8,640 blocks straddling block 8,000,000: 100 blocks at 0.35 PAC, 8,540 at 0.175.
    const books = {
      epoch: 1,
      startHeight: 7_999_901,
      endHeight: 8_008_541,
      rewardPerBlock: DEFAULT_REWARD_PER_BLOCK,
      models: {},
      receipts: [],
      zeroed: {},
    };
    expect(epochShares(books).budget).toBe(100n * 350_000_000n + 8_540n * 175_000_000n);
    expect(epochShares({ ...books, rewardEraEnds: [7_999_950] }).budget).toBe(
      50n * 350_000_000n + 8_590n * 175_000_000n,
    );
  });

  it('era ends must rise', () => {
    expect(() => checkEraEnds([5, 5])).toThrow(/rising positive heights/);
    expect(() => checkEraEnds([0])).toThrow(/rising positive heights/);
    expect(() => checkEraEnds([3, 5, 7])).not.toThrow();
  });
});
