// The devnet's chain in process (no sockets): the rules it follows from pactus v1.16.0 at the edges, each case
// citing the Go it follows. One key derivation for the whole file; a fixed clock keeps every block hash, and so
// every committee draw, the same on each run.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Address,
  NANO_PER_PAC,
  PayloadType,
  PrivateKey,
  encodeTransaction,
  newTransaction,
  signTransaction,
  type Payload,
  type PublicKey,
} from '../../../pactus/index.js';
import { DevnetChain, TxRejected, type BlockRecord } from '../../../devnet/chain.js';
import { DEFAULT_DEVNET_MNEMONIC, type DevnetKeys } from '../../../devnet/genesis.js';
import { fixedDevnetKeys } from '../../support/fixed-keys.js';
import { DevnetPool, poolCapacity } from '../../../devnet/pool.js';
import { DevnetCommittee, type SeatHolder } from '../../../devnet/committee.js';
import { Ledger, execute } from '../../../devnet/state.js';
import { unbondAllowedAfterDelegation, withdrawAllowed } from '../../../wallet/draft-rules.js';

const PAC = NANO_PER_PAC;
let keys: DevnetKeys;
/** Validator keys nobody bonded (fixed bytes: no HD derivation). */
let fresh: PublicKey[];
beforeAll(() => {
  keys = fixedDevnetKeys();
  fresh = Array.from({ length: 9 }, (_, i) =>
    PrivateKey.fromBytes('bls', new Uint8Array(32).fill(i + 1)).publicKey(),
  );
});

function chain(
  options: Partial<ConstructorParameters<typeof DevnetChain>[0]> = {},
  history: BlockRecord[] = [],
) {
  let clock = 1_800_000_000;
  return new DevnetChain(
    { mnemonic: DEFAULT_DEVNET_MNEMONIC, keys, now: () => clock++, ...options },
    history,
  );
}

const account = (i: number) => keys.accounts[i]!; // 0-3 Ed25519, 4-7 BLS
let memo = 0;
function signed(c: DevnetChain, key: PrivateKey, payload: Payload, fee = PAC / 100n): Uint8Array {
  const tx = newTransaction({ lockTime: c.height, fee, memo: `m${memo++}`, payload });
  return encodeTransaction(signTransaction(tx, key));
}
const send = (c: DevnetChain, from = 0, to: Address = account(1).address, amount = 1n) =>
  c.submit(
    signed(c, account(from).key, { type: PayloadType.Transfer, from: account(from).address, to, amount }),
  );
const rejection = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    if (error instanceof TxRejected) return error.message;
    throw error;
  }
  return null;
};

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
      const v = keys.validators[i]!;
      return c.submit(
        signed(c, v.key, { type: PayloadType.Unbond, validator: v.address, delegateOwner: null }, 0n),
      ).id;
    };
    const bonds = [bond(fresh[0]!), bond(fresh[1]!)];
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
    const fifth = fresh[8]!;
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
    const leaving = keys.validators[0]!;
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
    expect(c.committee.score(keys.validators[1]!.address)).toBe(1);
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
    for (const v of [...keys.validators.map((k) => k.address), fifthAddress])
      expect(replayed.validator(v)).toEqual(c.validator(v));
    expect(replayed.account(account(4).address)).toEqual(c.account(account(4).address));
    expect(replayed.lastBlock.hash).toBe(c.lastBlock.hash);
  });

  it('generated rounds: seats never exceed the size, only eligible validators join, within a third of the power, and the oldest leaves', () => {
    const addresses = fresh.map((k) => k.validatorAddress());
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

describe('PIP-55 in the subsidy (state/state.go createSubsidyTx, state/param/param.go)', () => {
  it('with era ends moved to 3, 5 and 7 the proposer gets 0.7, 0.35, 0.175, then 0.0875 PAC and the Foundation 30%', () => {
    const c = chain({ rewardEraEnds: [3, 5, 7] });
    for (let i = 0; i < 8; i++) c.produceBlock();
    const parts = c.blocks.map((b) => {
      const p = c.transaction(b.txIds[0]!)!.tx.payload;
      if (p.type !== PayloadType.BatchTransfer) throw new Error('the subsidy is a batch transfer');
      return [p.recipients[0]!.amount, p.recipients[1]!.amount];
    });
    const era = (f: bigint, v: bigint) => [f, v];
    expect(parts).toEqual([
      ...Array(3).fill(era(300_000_000n, 700_000_000n)),
      ...Array(2).fill(era(150_000_000n, 350_000_000n)),
      ...Array(2).fill(era(75_000_000n, 175_000_000n)),
      ...Array(2).fill(era(37_500_000n, 87_500_000n)),
    ]);
    expect(c.totalSupplyCheck()).toBe(42_000_000n * PAC);
  });
});

describe('a delegated proposer (PIP-49) in the subsidy (state/state.go createSubsidyTx)', () => {
  it('pays its owner the share (halved with the reward), and the whole 0.7 PAC share takes the fees too', () => {
    const c = chain({ committeeSize: 6, bondInterval: 1, rewardEraEnds: [20] });
    const delegated = [
      { key: fresh[5]!, share: 500_000_000n, owner: account(2).address },
      { key: fresh[6]!, share: 700_000_000n, owner: account(3).address },
    ];
    for (const d of delegated)
      c.submit(
        signed(c, account(0).key, {
          type: PayloadType.Bond,
          from: account(0).address,
          to: d.key.validatorAddress(),
          publicKey: d.key.bytes,
          stake: 1000n * PAC,
          delegation: { owner: d.owner, share: d.share, expiry: 10_000 },
        }),
      );
    const seen = new Map<string, bigint[][]>();
    for (let i = 0; i < 100 && seen.size < 4; i++) {
      const block = c.produceBlock();
      const d = delegated.find((x) => x.key.validatorAddress().equals(block.proposer));
      if (!d) continue;
      const era = block.height > 20 ? 'late' : 'early';
      const p = c.transaction(block.txIds[0]!)!.tx.payload;
      if (p.type !== PayloadType.BatchTransfer) throw new Error('the subsidy is a batch transfer');
      seen.set(
        `${d.share}:${era}`,
        p.recipients.map((r) => [r.amount]),
      );
      // The owner is paid first, after the Foundation.
      expect(p.recipients[1]!.to.equals(d.owner)).toBe(true);
    }
    // No fees in these blocks: the owner's share, then the rest of the validators' part to the reward address.
    expect(seen.get('500000000:early')).toEqual([[300_000_000n], [500_000_000n], [200_000_000n]]);
    expect(seen.get('700000000:early')).toEqual([[300_000_000n], [700_000_000n]]);
    expect(seen.get('500000000:late')).toEqual([[150_000_000n], [250_000_000n], [100_000_000n]]);
    expect(seen.get('700000000:late')).toEqual([[150_000_000n], [350_000_000n]]);
    // The senders' fees leave their balances and come back out of the treasury with a subsidy: the sum drops by
    // the two bonds' fees, and by nothing else.
    expect(c.totalSupplyCheck()).toBe(42_000_000n * PAC - 2n * (PAC / 100n));
  });
});

describe('secp256k1 at the chain edge', () => {
  const secp = PrivateKey.fromBytes('secp256k1', new Uint8Array(32).fill(7));
  const secpAddress = secp.publicKey().accountAddress();
  const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

  it('protocol version 3 refuses secp256k1 recipients of transfers, batches and withdraws, before anything else (v1.16.0 executor/*.go)', () => {
    const v3 = chain({ protocolVersion: 3 });
    expect(rejection(() => send(v3, 0, secpAddress))).toBe('secp256k1 account is not supported yet');
    expect(
      rejection(() =>
        v3.submit(
          signed(v3, account(0).key, {
            type: PayloadType.BatchTransfer,
            from: account(0).address,
            recipients: [
              { to: account(1).address, amount: 1n },
              { to: secpAddress, amount: 1n },
            ],
          }),
        ),
      ),
    ).toBe('secp256k1 account is not supported yet');
    // Before the sender's own checks: an unknown sender still gets the recipient's refusal (MakeExecutor first).
    const stranger = PrivateKey.fromBytes('ed25519', new Uint8Array(32).fill(9));
    expect(
      rejection(() =>
        v3.submit(
          signed(v3, stranger, {
            type: PayloadType.Transfer,
            from: stranger.publicKey().accountAddress(),
            to: secpAddress,
            amount: 1n,
          }),
        ),
      ),
    ).toBe('secp256k1 account is not supported yet');
    const v = keys.validators[0]!;
    expect(
      rejection(() =>
        v3.submit(
          signed(v3, v.key, { type: PayloadType.Withdraw, from: v.address, to: secpAddress, amount: 1n }),
        ),
      ),
    ).toBe('secp256k1 account is not supported yet');
  });

  it('protocol version 4 commits them, and a high-S signature is accepted as decred ecdsa.Verify accepts it', () => {
    const c = chain();
    const fund = send(c, 0, secpAddress, 10n * PAC);
    c.produceBlock();
    expect(c.transaction(fund.id)).toBeDefined();
    const tx = signTransaction(
      newTransaction({
        lockTime: c.height,
        fee: PAC / 100n,
        memo: 'high-s',
        payload: { type: PayloadType.Transfer, from: secpAddress, to: account(1).address, amount: PAC },
      }),
      secp,
    );
    const s = BigInt(`0x${Buffer.from(tx.signature!.slice(32)).toString('hex')}`);
    expect(s <= N / 2n).toBe(true); // what we sign is low-S
    const high = Uint8Array.from([
      ...tx.signature!.slice(0, 32),
      ...Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'),
    ]);
    const { id } = c.submit(encodeTransaction({ ...tx, signature: high }));
    c.produceBlock();
    expect(c.transaction(id)).toBeDefined();
    expect(c.account(secpAddress)!.balance).toBe(10n * PAC - PAC - PAC / 100n);
  });
});

describe('unbond after delegation expiry and withdraw: the wallet allows exactly what the node executes', () => {
  const owner = () => account(0).address;
  const v = () => keys.validators[0]!.address;
  it('generated heights against the devnet executor (validator.go DelegateExpired, executor/unbond.go, withdraw.go)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 1_000_000 }),
        fc.integer({ min: -5, max: 5 }),
        fc.integer({ min: 1, max: 400 }),
        (base, offset, interval) => {
          const lastHeight = base;
          const ctx = (height: number) => ({
            height,
            strict: true,
            unbondInterval: interval,
            blockVersion: 4,
            inCommittee: () => false,
          });
          // Unbond of a delegated validator, by its owner, at the next height.
          const expiry = lastHeight + 1 + offset;
          const s = new Ledger();
          s.addValidator(v(), {
            publicKey: new Uint8Array(96),
            stake: 1000n * PAC,
            lastBondingHeight: 1,
            lastSortitionHeight: 0,
            unbondingHeight: 0,
            delegation: { owner: owner(), share: 0n, expiry },
          });
          const unbond = newTransaction({
            lockTime: lastHeight,
            fee: 0n,
            payload: { type: PayloadType.Unbond, validator: v(), delegateOwner: owner() },
          });
          const unbondOk = rejection(() => execute(s.clone(), unbond, ctx(lastHeight + 1))) === null;
          expect(unbondOk).toBe(unbondAllowedAfterDelegation(expiry, lastHeight));
          // Withdraw after unbonding at `unbondedAt`.
          const unbondedAt = Math.max(1, lastHeight + 1 + offset - interval);
          const w = new Ledger();
          w.addValidator(v(), {
            publicKey: new Uint8Array(96),
            stake: 1000n * PAC,
            lastBondingHeight: 1,
            lastSortitionHeight: 0,
            unbondingHeight: unbondedAt,
            delegation: null,
          });
          const withdraw = newTransaction({
            lockTime: lastHeight,
            fee: PAC / 100n,
            payload: { type: PayloadType.Withdraw, from: v(), to: owner(), amount: PAC },
          });
          const withdrawOk = rejection(() => execute(w, withdraw, ctx(lastHeight + 1))) === null;
          expect(withdrawOk).toBe(withdrawAllowed(unbondedAt, interval, lastHeight));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
