// The devnet at the chain's edges (in process, no sockets): PIP-55 and PIP-49 in the subsidy, secp256k1 at
// protocol versions 3 and 4, and the wallet's unbond/withdraw heights against the executor, each citing the Go.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PayloadType,
  PrivateKey,
  encodeTransaction,
  newTransaction,
  signTransaction,
} from '../../../pactus/index.js';
import { Ledger, execute } from '../../../devnet/state.js';
import { unbondAllowedAfterDelegation, withdrawAllowed } from '../../../wallet/draft-rules.js';
import { PAC, rejection, useRuleChains } from '../../support/devnet-rules.js';

const r = useRuleChains();
const { chain, account, signed, send } = r;

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
      { key: r.fresh[5]!, share: 500_000_000n, owner: account(2).address },
      { key: r.fresh[6]!, share: 700_000_000n, owner: account(3).address },
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
    const v = r.keys.validators[0]!;
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
  const v = () => r.keys.validators[0]!.address;
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
