// The devnet moves (in process, no sockets): its pool is capped and evicts like txpool, and its committee rotates
// by the documented draw so a genesis validator's unbond completes, each case citing the Go it follows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PayloadType, type PublicKey } from '../../../pactus/index.js';
import type { BlockRecord } from '../../../devnet/chain.js';
import { DevnetPool, poolCapacity } from '../../../devnet/pool.js';
import { DevnetCommittee, type SeatHolder } from '../../../devnet/committee.js';
import { PAC, rejection, useRuleChains } from '../../support/devnet-rules.js';

const r = useRuleChains();
const { chain, account, signed, send } = r;

describe('the pool is capped and evicts the oldest like txpool (txpool/config.go, util/linkedmap PushBack)', () => {
  it('transfers fill half of max_size (1,000: 500) and the next one pushes the oldest out, which comes back only after a block', () => {
    const c = chain({ poolMaxSize: 40 });
    expect(
      [PayloadType.Transfer, PayloadType.Bond, PayloadType.Unbond, PayloadType.Withdraw].map((t) =>
        poolCapacity(1000, t),
      ),
    ).toEqual([500, 100, 100, 100]);
    const sent = Array.from({ length: 21 }, () => {
      const bytes = signed(c, account(0).key, {
        type: PayloadType.Transfer,
        from: account(0).address,
        to: account(1).address,
        amount: 1n,
      });
      return { bytes, id: c.submit(bytes).id };
    });
    const pooled = c.poolContent().map((e) => e.id);
    expect(pooled).toHaveLength(20);
    expect(pooled).toEqual(sent.slice(1).map((t) => t.id));
    // Go's pool sandbox still holds the evicted one until the next block (execution.go TransactionCommittedError).
    expect(rejection(() => c.submit(sent[0]!.bytes))).toBe(
      `the transaction submitted before: ${sent[0]!.id}`,
    );
    c.produceBlock();
    expect(c.poolContent()).toHaveLength(0);
    expect(c.transaction(sent[1]!.id)).toBeDefined();
    expect(c.transaction(sent[0]!.id)).toBeUndefined();
    expect(c.submit(sent[0]!.bytes).pooled).toBe(true); // sent again, it is taken
  });

  it('generated: whatever the order of types, each keeps its newest `capacity` entries (DevnetPool, max_size 10..40)', () => {
    expect(poolCapacity(10, PayloadType.Transfer)).toBe(5);
    expect(poolCapacity(15, PayloadType.BatchTransfer)).toBe(1); // int(float32(15) * 0.1) = 1
    const types = [1, 2, 3, 4, 5, 6] as PayloadType[];
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 40 }),
        fc.array(fc.constantFrom(...types), { maxLength: 120 }),
        (maxSize, order) => {
          const pool = new DevnetPool(maxSize);
          const added = order.map((type, i) => {
            const id = `t${i}`;
            pool.add(id, { tx: { payload: { type } } as never, raw: new Uint8Array() });
            return { id, type };
          });
          const expected = types.flatMap((type) =>
            added
              .filter((a) => a.type === type)
              .map((a) => a.id)
              .slice(-poolCapacity(maxSize, type) || Infinity),
          );
          // Oldest first across types, as blocks take them.
          expect(pool.list().map(([id]) => id)).toEqual(
            added.map((a) => a.id).filter((id) => expected.includes(id)),
          );
          for (const type of types)
            expect(pool.list(type).length).toBeLessThanOrEqual(poolCapacity(maxSize, type));
        },
      ),
      { numRuns: 500 },
    );
    expect(() => new DevnetPool(9)).toThrow(/can't be less than 10/); // txpool/config.go BasicCheck
  });

  it('bonds and unbonds have their own lists: a second of each pushes out the first, and transfers stay', () => {
    const c = chain({ poolMaxSize: 10 });
    const transfer = send(c).id;
    // A bond to a new validator and unbonds of committee members wait in the pool (executor/bond.go, unbond.go).
    const bond = (key: PublicKey) =>
      c.submit(
        signed(c, account(3).key, {
          type: PayloadType.Bond,
          from: account(3).address,
          to: key.validatorAddress(),
          publicKey: key.bytes,
          stake: PAC,
          delegation: null,
        }),
      ).id;
    const unbond = (i: number) => {
      const v = r.keys.validators[i]!;
      return c.submit(
        signed(c, v.key, { type: PayloadType.Unbond, validator: v.address, delegateOwner: null }, 0n),
      ).id;
    };
    const bonds = [bond(r.fresh[0]!), bond(r.fresh[1]!)];
    const unbonds = [unbond(0), unbond(1)];
    expect(
      c
        .poolContent()
        .map((e) => e.id)
        .sort(),
    ).toEqual([transfer, bonds[1], unbonds[1]].sort());
    expect(c.poolContent(PayloadType.Unbond).map((e) => e.id)).toEqual([unbonds[1]]);
  });
});

describe('the committee moves (committee/committee.go Update, executor/sortition.go)', () => {
  it('a genesis validator unbonds: a fifth validator is drawn in, the leaving one is pushed out, the unbond and the withdraw complete', () => {
    const options = { committeeSize: 4, bondInterval: 2, unbondInterval: 3 };
    const records: BlockRecord[] = [];
    const c = chain({ ...options, onBlock: (r) => void records.push(r) });
    const fifth = r.fresh[8]!;
    const fifthAddress = fifth.validatorAddress();
    c.submit(
      signed(c, account(1).key, {
        type: PayloadType.Bond,
        from: account(1).address,
        to: fifthAddress,
        publicKey: fifth.bytes,
        stake: 1000n * PAC,
        delegation: null,
      }),
    );
    c.produceBlock();
    expect(c.validator(fifthAddress)?.stake).toBe(1000n * PAC);
    const leaving = r.keys.validators[0]!;
    const unbond = c.submit(
      signed(
        c,
        leaving.key,
        { type: PayloadType.Unbond, validator: leaving.address, delegateOwner: null },
        0n,
      ),
    );
    expect(unbond.pooled).toBe(true);
    expect(c.committee.has(leaving.address)).toBe(true);
    let blocks = 0;
    while (!c.transaction(unbond.id) && blocks++ < 200) c.produceBlock();
    expect(c.transaction(unbond.id)).toBeDefined();
    expect(c.committee.has(leaving.address)).toBe(false);
    expect(c.committee.has(fifthAddress)).toBe(true);
    expect(c.committee.list()).toHaveLength(4);
    // While it waited it was absent from every round it sat in (README: availability), so its score fell.
    expect(c.committee.score(leaving.address)).toBeLessThan(1);
    expect(c.committee.score(r.keys.validators[1]!.address)).toBe(1);
    const unbondedAt = c.validator(leaving.address)!.unbondingHeight;
    expect(unbondedAt).toBe(c.transaction(unbond.id)!.height);
    // Go: withdraw once CurrentHeight >= unbonding height + interval (executor/withdraw.go).
    const withdraw = () =>
      c.submit(
        signed(c, leaving.key, {
          type: PayloadType.Withdraw,
          from: leaving.address,
          to: account(4).address,
          amount: 999n * PAC,
        }),
      );
    while (c.height + 1 < unbondedAt + 3) {
      expect(rejection(withdraw)).toBe('validator in unbonding period');
      c.produceBlock();
    }
    const w = withdraw();
    c.produceBlock();
    expect(c.transaction(w.id)).toBeDefined();
    expect(c.validator(leaving.address)!.stake).toBe(1000n * PAC - 999n * PAC - PAC / 100n);

    // A restart replays the log to the same committee, sortition heights and balances.
    const replayed = chain(options, [c.genesisRecord, ...records]);
    expect(replayed.committee.list()).toEqual(c.committee.list());
    for (const v of [...r.keys.validators.map((k) => k.address), fifthAddress])
      expect(replayed.validator(v)).toEqual(c.validator(v));
    expect(replayed.account(account(4).address)).toEqual(c.account(account(4).address));
    expect(replayed.lastBlock.hash).toBe(c.lastBlock.hash);
  });

  it('generated rounds: seats never exceed the size, only eligible validators join, within a third of the power, and the oldest leaves', () => {
    const addresses = r.fresh.map((k) => k.validatorAddress());
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.bigInt({ min: 1n, max: 1000n }), { minLength: 2, maxLength: 9 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.boolean()), { minLength: 1, maxLength: 40 }),
        (size, stakes, rounds) => {
          const holders: SeatHolder[] = stakes.map((stake, number) => ({
            address: addresses[number]!,
            number,
            stake: stake * PAC,
            lastBondingHeight: number, // validator i bonded at height i
            lastSortitionHeight: 0,
            unbondingHeight: 0,
          }));
          const committee = new DevnetCommittee(addresses.slice(0, Math.min(size, holders.length)), size);
          rounds.forEach(([leavingIndex, leavingOn], i) => {
            const height = i + 2;
            const before = committee.list();
            const leaving = new Set(
              leavingOn && holders[leavingIndex] ? [holders[leavingIndex].address.toHex()] : [],
            );
            const { drawn, absent } = committee.round(height, `seed${i}`, holders, {
              bondInterval: 3,
              leaving,
              renew: () => {},
            });
            const after = committee.list();
            expect(after.length).toBeLessThanOrEqual(size);
            expect(absent).toEqual(before.filter((m) => leaving.has(m)));
            if (drawn === null) return expect(after).toEqual(before);
            const winner = holders.find((h) => h.address.toHex() === drawn)!;
            // Eligible: past its bond interval, not leaving (executor/sortition.go, README "Committee").
            expect(height - winner.lastBondingHeight).toBeGreaterThanOrEqual(3);
            expect(leaving.has(drawn)).toBe(false);
            expect(winner.lastSortitionHeight).toBe(height);
            const joined = after.filter((m) => !before.includes(m));
            const left = before.filter((m) => !after.includes(m));
            expect(joined.length).toBeLessThanOrEqual(1);
            expect(left.length).toBe(joined.length === 1 && before.length === size ? 1 : 0);
            if (left.length === 1) {
              const power = before.reduce(
                (sum, m) => sum + holders.find((h) => h.address.toHex() === m)!.stake,
                0n,
              );
              const gone = holders.find((h) => h.address.toHex() === left[0])!;
              expect(winner.stake < power / 3n && gone.stake < power / 3n).toBe(true);
              // committee.go Update: the member with the oldest sortition height leaves.
              for (const m of after) {
                const h = holders.find((x) => x.address.toHex() === m)!;
                if (h !== winner)
                  expect(h.lastSortitionHeight).toBeGreaterThanOrEqual(gone.lastSortitionHeight);
              }
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
