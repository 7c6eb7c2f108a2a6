import fc from 'fast-check';
import { expect, it } from 'vitest';
import { stakeThen, type ValidatorFacts } from '../../../deployment/stake.js';
import { stakeAtClose } from '../../../compute/epoch-verify.js';
import { entriesFromValidators } from '../../../governance/snapshot.js';
import { snapshotAgainstChain } from '../../../governance/snapshot-check.js';

const H = 100;

/** A validator's life: bonded at `bonded` with `stake`, maybe topped up later, maybe unbonded. */
const life = fc.record({
  bonded: fc.integer({ min: 1, max: 200 }),
  stake: fc.bigInt({ min: 1n, max: 1000n }),
  topUp: fc.option(
    fc.record({ at: fc.integer({ min: 1, max: 200 }), by: fc.bigInt({ min: 1n, max: 100n }) }),
  ),
  unbonded: fc.option(fc.integer({ min: 1, max: 200 })),
  owner: fc.option(fc.constantFrom('tpc1zowner1', 'tpc1zowner2')),
});

type Life = typeof life extends fc.Arbitrary<infer T> ? T : never;

/** The validator as a node shows it now, and as it was at block H. */
function world(lives: Life[]) {
  const now: ValidatorFacts[] = [];
  const then: { address: string; stake: bigint; unbondingHeight: number; delegateOwner: string | null }[] =
    [];
  lives.forEach((l, i) => {
    const address = `tpc1pvalidator${i}`;
    const topUp = l.topUp && l.topUp.at > l.bonded ? l.topUp : null;
    const unbonded = l.unbonded && l.unbonded > Math.max(l.bonded, topUp?.at ?? 0) ? l.unbonded : 0;
    now.push({
      address,
      stake: l.stake + (topUp?.by ?? 0n),
      lastBondingHeight: topUp?.at ?? l.bonded,
      unbondingHeight: unbonded,
      delegation: l.owner ? { owner: l.owner } : null,
    });
    if (l.bonded <= H)
      then.push({
        address,
        stake: l.stake + (topUp && topUp.at <= H ? topUp.by : 0n),
        unbondingHeight: unbonded && unbonded <= H ? unbonded : 0,
        delegateOwner: l.owner,
      });
  });
  const entries = entriesFromValidators(then).map((e) => ({
    address: e.address,
    power: e.power.toString(),
    validators: e.validators,
  }));
  return { now, snapshot: { height: H, entries } };
}

it("an honest snapshot never draws a problem, whatever the validators did since; a node's answer is exact when it can tell", () => {
  fc.assert(
    fc.property(fc.array(life, { maxLength: 8 }), (lives) => {
      const { now, snapshot } = world(lives);
      expect(snapshotAgainstChain(snapshot, now).problems).toEqual([]);
      for (const v of now) {
        const known = stakeThen(v, H);
        const entry = snapshot.entries.find((e) => e.validators.includes(v.address));
        if (known?.bonded === false) expect(entry).toBeUndefined();
        if (known?.bonded) expect(entry).toBeDefined();
      }
    }),
    { numRuns: 300 },
  );
});

it('a snapshot that drops, inflates, moves or invents a validator the chain can judge is named', () => {
  fc.assert(
    fc.property(fc.array(life, { minLength: 1, maxLength: 8 }), fc.nat(), (lives, pick) => {
      const { now, snapshot } = world(lives);
      const judged = now.filter((v) => stakeThen(v, H)?.bonded);
      if (!judged.length) return;
      const target = judged[pick % judged.length]!;
      const holder = snapshot.entries.find((e) => e.validators.includes(target.address))!;
      const others = snapshot.entries.filter((e) => e !== holder);
      const forged = [
        // Dropped: its power leaves quorum's total.
        [
          ...others,
          ...(holder.validators.length > 1
            ? [{ ...holder, validators: holder.validators.filter((a) => a !== target.address) }]
            : []),
        ],
        // Inflated (a node can judge an owner's sum only when it can judge each of its validators).
        ...(holder.validators.every((a) =>
          stakeThen(
            now.find((v) => v.address === a)!,
            H,
          ),
        )
          ? [[...others, { ...holder, power: (BigInt(holder.power) + 1n).toString() }]]
          : []),
        // Counted for someone else.
        [...others, { ...holder, address: 'tpc1zsomeoneelse' }],
        // An invented validator beside it.
        [...snapshot.entries, { address: 'tpc1pinvented', power: '5', validators: ['tpc1pinvented'] }],
      ];
      for (const entries of forged)
        expect(snapshotAgainstChain({ height: H, entries }, now).problems).not.toEqual([]);
    }),
    { numRuns: 200 },
  );
});

it("a credited contributor's stake at the close: not a validator, unbonded, or below the floor is named", () => {
  const v = (over: Partial<ValidatorFacts>): ValidatorFacts => ({
    address: 'tpc1pc',
    stake: 500n,
    lastBondingHeight: 10,
    unbondingHeight: 0,
    delegation: null,
    ...over,
  });
  expect(stakeAtClose('tpc1pc', null, 50, 100n)).toMatch(/not a validator on chain/);
  expect(stakeAtClose('tpc1pc', v({ unbondingHeight: 40 }), 50, 100n)).toMatch(/unbonded at block 40/);
  expect(stakeAtClose('tpc1pc', v({ stake: 99n }), 50, 100n)).toMatch(/below the deployment's/);
  expect(stakeAtClose('tpc1pc', v({}), 50, 100n)).toBeNull();
  // Bonded again after the close, or unbonded after it: a node cannot tell what it held then.
  expect(stakeAtClose('tpc1pc', v({ lastBondingHeight: 60, stake: 5n }), 50, 100n)).toBe('unknown');
  expect(stakeAtClose('tpc1pc', v({ unbondingHeight: 70 }), 50, 100n)).toBe('unknown');
});
