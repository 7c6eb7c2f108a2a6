import { describe, expect, it } from 'vitest';
import {
  Address,
  AddressType,
  MAX_SUPPLY,
  PayloadType,
  PrivateKey,
  decodeTransactionHex,
  encodeTransactionHex,
  parsePublicKey,
  bytesToHex,
  signMessage,
  transactionId,
  tryHexToBytes,
  viewTransaction,
} from '../../../pactus/index.js';
import { NotFound, Rejected } from '../../../chain/errors.js';
import { waitForConfirmation } from '../../../chain/watcher.js';
import {
  BLOCK_REWARD,
  DEVNET_ACCOUNT_FUNDS,
  FOUNDATION_REWARD,
  foundationAddress,
} from '../../../devnet/index.js';
import { useDevnet, waitForHeight } from '../../support/devnet.js';
import { FEE, PAC, devnetAccount, devnetValidator, signedTx, transfer } from '../../support/txs.js';

const env = useDevnet({ unbondInterval: 3 });

async function commit(hex: string): Promise<string> {
  const id = await env.client.broadcastTransaction(hex);
  const result = await waitForConfirmation(env.client, id, {
    lockTime: decodeTransactionHex(hex).lockTime,
    pollMs: 50,
  });
  expect(result.status).toBe('confirmed');
  return id;
}

describe('reads', () => {
  it('GetBlockchainInfo describes the localnet genesis', async () => {
    const info = await env.client.getBlockchainInfo();
    expect(info.chainType).toBe('localnet');
    expect(info.height).toBeGreaterThanOrEqual(1);
    expect(info.totalValidators).toBe(4);
    expect(info.totalPower).toBe(4000n * PAC);
  });

  it('GetAccount reads balances exactly, and an unknown address is a zero balance', async () => {
    const ed0 = devnetAccount(env.devnet, 'ed25519-account', 3);
    const account = await env.client.getAccount(ed0.address.toString('testnet'));
    expect(account).toMatchObject({ exists: true, balance: DEVNET_ACCOUNT_FUNDS });
    // crypto.AddressFromString reads the treasury's 42 zeros (crypto/address.go).
    const treasury = await env.client.getAccount('0'.repeat(42));
    expect(treasury.exists).toBe(true);
    expect(treasury.balance).toBeGreaterThan(40_000_000n * PAC);
    await expect(env.client.getAccount('tpc1zbad')).rejects.toBeInstanceOf(Rejected);
    const fresh = PrivateKey.fromBytes('ed25519', new Uint8Array(32).fill(9)).publicKey().accountAddress();
    expect(await env.client.getAccount(fresh.toString('testnet'))).toMatchObject({
      exists: false,
      balance: 0n,
    });
  });

  it('GetValidator, GetValidatorByNumber and GetPublicKey', async () => {
    const v1 = devnetValidator(env.devnet, 1);
    const byAddress = await env.client.getValidator(v1.address.toString('testnet'));
    expect(byAddress).toMatchObject({ number: 1, stake: 1000n * PAC, unbondingHeight: 0, delegation: null });
    expect(parsePublicKey(byAddress.publicKey).key.validatorAddress().equals(v1.address)).toBe(true);
    expect((await env.client.getValidatorByNumber(1)).address).toBe(v1.address.toString('testnet'));
    await expect(env.client.getValidatorByNumber(99)).rejects.toBeInstanceOf(NotFound);
    const neverBonded = Address.fromHash(
      AddressType.Validator,
      devnetAccount(env.devnet, 'bls-account', 0).address.hash,
    );
    expect(await env.client.findValidator(neverBonded.toString('testnet'))).toBeNull();
    expect(await env.client.getPublicKey(v1.address.toString('testnet'))).toBe(byAddress.publicKey);
    expect(
      await env.client.getPublicKey(
        devnetAccount(env.devnet, 'ed25519-account', 2).address.toString('testnet'),
      ),
    ).toBeNull();
  });

  it('GetBlock reports the header version, proposer and, at INFO verbosity, the transaction IDs', async () => {
    const block = await env.client.getBlock(1);
    expect(block.version).toBe(4);
    expect(block.proposer).toMatch(/^tpc1p/);
    expect(await env.client.getProtocolVersion()).toBe(4);
    await expect(env.client.getBlock(10_000_000)).rejects.toBeInstanceOf(NotFound);
    // Every block starts with its subsidy: a batch transfer from the treasury (state/state.go).
    expect(block.txIds).toHaveLength(1);
    const subsidy = decodeTransactionHex(await env.client.getTransactionData(block.txIds[0]!));
    expect(subsidy.fee).toBe(0n);
    expect(subsidy.signature).toBeNull();
    expect(viewTransaction(subsidy, 'testnet').payload).toMatchObject({
      type: 'batch_transfer',
      from: '0'.repeat(42),
      recipients: [
        { to: foundationAddress(1).toString('testnet'), amount: String(FOUNDATION_REWARD) },
        { amount: String(BLOCK_REWARD - FOUNDATION_REWARD) },
      ],
    });
  });

  it('GetCommitteeInfo lists the genesis validators', async () => {
    const committee = await env.client.getCommitteeAddresses();
    expect([...committee].sort()).toEqual(
      env.devnet.chain.keys.validators.map((v) => v.address.toString('testnet')).sort(),
    );
  });

  it('CalculateFee quotes 0.01 PAC, 0 for unbond, and "send all" (negative when it cannot cover the fee)', async () => {
    expect(await env.client.calculateFee(5n * PAC, PayloadType.Transfer)).toEqual({
      amount: 5n * PAC,
      fee: FEE,
    });
    expect(await env.client.calculateFee(0n, PayloadType.Unbond)).toEqual({ amount: 0n, fee: 0n });
    expect(await env.client.calculateFee(5n * PAC, PayloadType.Transfer, true)).toEqual({
      amount: 5n * PAC - FEE,
      fee: FEE,
    });
    // transaction.go subtracts without a check, and an unknown payload type has no pool: fee 0.
    expect(await env.client.calculateFee(1n, PayloadType.Transfer, true)).toEqual({
      amount: 1n - FEE,
      fee: FEE,
    });
    expect(await env.client.calculateFee(5n, 9 as PayloadType)).toEqual({ amount: 5n, fee: 0n });
  });

  it('DecodeRawTransaction and VerifyMessage agree with pactus/', async () => {
    const from = devnetAccount(env.devnet, 'ed25519-account', 0);
    const { tx, hex } = signedTx(
      env.devnet,
      from.key,
      transfer(from.address, devnetAccount(env.devnet, 'bls-account', 0).address, PAC),
    );
    const decoded = await env.client.decodeRawTransaction(hex);
    expect(decoded.id).toBe(transactionId(tx));
    expect(decoded.value).toBe(PAC);
    const pub = from.key.publicKey().toString('testnet');
    expect(await env.client.verifyMessage('hello', signMessage(from.key, 'hello'), pub)).toBe(true);
    expect(await env.client.verifyMessage('hellO', signMessage(from.key, 'hello'), pub)).toBe(false);
  });
});

describe('broadcast and confirmation', () => {
  it('a transfer commits, balances move exactly, GetTransaction has height and confirmations', async () => {
    const from = devnetAccount(env.devnet, 'ed25519-account', 0);
    const to = devnetAccount(env.devnet, 'ed25519-account', 1);
    const before = await env.client.getBalance(from.address.toString('testnet'));
    const toBefore = await env.client.getBalance(to.address.toString('testnet'));
    const { hex } = signedTx(env.devnet, from.key, transfer(from.address, to.address, 123_456_789n), {
      memo: 'hi',
    });
    const id = await commit(hex);
    expect(await env.client.getBalance(from.address.toString('testnet'))).toBe(before - 123_456_789n - FEE);
    expect(await env.client.getBalance(to.address.toString('testnet'))).toBe(toBefore + 123_456_789n);
    const record = await env.client.getTransaction(id);
    expect(record).toMatchObject({ id, memo: 'hi', fee: FEE, raw: null });
    expect(record.blockHeight).toBeGreaterThan(0);
    // The node counts confirmations as last height - block height; "confirmed" only from the next block on.
    await waitForHeight(env.devnet, record.blockHeight + 2);
    const later = await env.client.getTransaction(id);
    expect(later.confirmations).toBe(env.devnet.chain.height - record.blockHeight);
    expect(later.confirmed).toBe(later.confirmations > 0);
    expect(await env.client.getPublicKey(from.address.toString('testnet'))).toBe(
      from.key.publicKey().toString('testnet'),
    );
    // Fees leave the senders and the treasury pays them again in each block's subsidy (state.go).
    expect(env.devnet.chain.totalSupplyCheck()).toBeLessThanOrEqual(MAX_SUPPLY);
  });

  it('a batch transfer commits', async () => {
    const from = devnetAccount(env.devnet, 'bls-account', 1);
    const a = devnetAccount(env.devnet, 'ed25519-account', 2).address;
    const b = devnetAccount(env.devnet, 'ed25519-account', 3).address;
    const { hex } = signedTx(env.devnet, from.key, {
      type: PayloadType.BatchTransfer,
      from: from.address,
      recipients: [
        { to: a, amount: PAC },
        { to: b, amount: 2n * PAC },
      ],
    });
    const id = await commit(hex);
    expect(
      viewTransaction(decodeTransactionHex(await env.client.getTransactionData(id)), 'testnet').payload.type,
    ).toBe('batch_transfer');
  });

  it('the pool shows a transaction until its block', async () => {
    const from = devnetAccount(env.devnet, 'ed25519-account', 1);
    const { hex, tx } = signedTx(
      env.devnet,
      from.key,
      transfer(from.address, devnetAccount(env.devnet, 'bls-account', 2).address, PAC),
      {
        memo: 'pool',
      },
    );
    const id = await env.client.broadcastTransaction(hex);
    expect(id).toBe(transactionId(tx));
    const pool = await env.client.getTxPoolContent();
    const committed = await env.client.findTransaction(id);
    expect(pool.some((t) => t.id === id) || committed !== null).toBe(true);
  });

  it('bond to a new validator, unbond, then withdraw after the interval', async () => {
    const owner = devnetAccount(env.devnet, 'ed25519-account', 2);
    const fresh = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(7));
    const validator = fresh.publicKey().validatorAddress();
    const bond = (stake: bigint, withKey: boolean) =>
      signedTx(env.devnet, owner.key, {
        type: PayloadType.Bond,
        from: owner.address,
        to: validator,
        publicKey: withKey ? fresh.publicKey().bytes : null,
        stake,
        delegation: null,
      }).hex;
    await expect(env.client.broadcastTransaction(bond(10n * PAC, false))).rejects.toThrow(
      /^The node rejected it: public key is not set$/,
    );
    await commit(bond(10n * PAC, true));
    await expect(env.client.broadcastTransaction(bond(5n * PAC, true))).rejects.toThrow(
      /public key is already set/,
    );
    await expect(env.client.broadcastTransaction(bond(995n * PAC, false))).rejects.toThrow(
      /validator's stake amount can't be more than 1,000 PAC/,
    );
    await expect(env.client.broadcastTransaction(bond(PAC / 2n, false))).rejects.toThrow(
      /stake amount can't be less than 1 PAC/,
    );
    await commit(bond(990n * PAC, false)); // tops up to exactly 1000 PAC
    expect((await env.client.getValidator(validator.toString('testnet'))).stake).toBe(1000n * PAC);
    // A 0 stake would park a full validator for the bonding period: refused (executor/bond.go).
    await expect(env.client.broadcastTransaction(bond(0n, false))).rejects.toThrow(
      /can't be less than 1 PAC/,
    );

    const withdraw = () =>
      signedTx(env.devnet, fresh, {
        type: PayloadType.Withdraw,
        from: validator,
        to: owner.address,
        amount: 100n * PAC,
      }).hex;
    await expect(env.client.broadcastTransaction(withdraw())).rejects.toThrow(/validator is bonded/);
    await commit(
      signedTx(env.devnet, fresh, { type: PayloadType.Unbond, validator, delegateOwner: null }).hex,
    );
    const unbondedAt = (await env.client.getValidator(validator.toString('testnet'))).unbondingHeight;
    expect(unbondedAt).toBeGreaterThan(0);
    if (env.devnet.chain.height + 1 < unbondedAt + 3)
      await expect(env.client.broadcastTransaction(withdraw())).rejects.toThrow(
        /validator in unbonding period/,
      );
    await waitForHeight(env.devnet, unbondedAt + 3);
    const before = await env.client.getBalance(owner.address.toString('testnet'));
    await commit(withdraw());
    expect(await env.client.getBalance(owner.address.toString('testnet'))).toBe(before + 100n * PAC);
    expect((await env.client.getValidator(validator.toString('testnet'))).stake).toBe(900n * PAC - FEE);
  });

  it('PIP-49: a delegated bond is the full stake, its owner alone unbonds after expiry and receives the withdrawal', async () => {
    const funder = devnetAccount(env.devnet, 'bls-account', 3);
    const owner = devnetAccount(env.devnet, 'ed25519-account', 3);
    const op = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(8));
    const validator = op.publicKey().validatorAddress();
    const delegatedBond = (stake: bigint, share: bigint, expiry: number) =>
      signedTx(env.devnet, funder.key, {
        type: PayloadType.Bond,
        from: funder.address,
        to: validator,
        publicKey: op.publicKey().bytes,
        stake,
        delegation: { owner: owner.address, share, expiry },
      }).hex;
    const soon = env.devnet.chain.height + 8;
    await expect(env.client.broadcastTransaction(delegatedBond(50n * PAC, 0n, soon))).rejects.toThrow(
      /invalid delegation/,
    );
    await expect(
      env.client.broadcastTransaction(delegatedBond(1000n * PAC, 0n, env.devnet.chain.height + 1)),
    ).rejects.toThrow(/delegate expiry must be in the future/);
    // Share above 0.7 PAC or not a multiple of 32 NanoPAC fails the basic check (payload/bond.go).
    expect(() => delegatedBond(1000n * PAC, PAC, soon)).toThrow(/between 0 and 0.7 PAC/);
    const expiry = env.devnet.chain.height + 8;
    await commit(delegatedBond(1000n * PAC, 500_000_000n, expiry));
    const v = await env.client.getValidator(validator.toString('testnet'));
    expect(v.delegation).toEqual({ owner: owner.address.toString('testnet'), share: 500_000_000n, expiry });
    await expect(
      env.client.broadcastTransaction(
        signedTx(env.devnet, op, { type: PayloadType.Unbond, validator, delegateOwner: null }).hex,
      ),
    ).rejects.toThrow(/invalid delegate owner/);
    const byOwner = () =>
      signedTx(env.devnet, owner.key, { type: PayloadType.Unbond, validator, delegateOwner: owner.address })
        .hex;
    if (env.devnet.chain.height + 1 < expiry)
      await expect(env.client.broadcastTransaction(byOwner())).rejects.toThrow(/delegation has not expired/);
    await waitForHeight(env.devnet, expiry);
    await commit(byOwner());
    const unbondedAt = (await env.client.getValidator(validator.toString('testnet'))).unbondingHeight;
    await waitForHeight(env.devnet, unbondedAt + 3);
    const withdrawTo = (to: Address) =>
      signedTx(env.devnet, op, { type: PayloadType.Withdraw, from: validator, to, amount: PAC }).hex;
    await expect(env.client.broadcastTransaction(withdrawTo(funder.address))).rejects.toThrow(
      /delegated validator withdraw must go to stake owner/,
    );
    await commit(withdrawTo(owner.address));
  });

  it('a future lock time waits in the pool and is mined when its block comes (execution.go)', async () => {
    const from = devnetAccount(env.devnet, 'ed25519-account', 1);
    const lockTime = env.devnet.chain.height + 4;
    const { hex } = signedTx(
      env.devnet,
      from.key,
      transfer(from.address, devnetAccount(env.devnet, 'bls-account', 0).address, PAC),
      { lockTime, memo: 'later' },
    );
    const id = await env.client.broadcastTransaction(hex);
    expect((await env.client.transactionState(id)).state).toBe('pending');
    const result = await waitForConfirmation(env.client, id, { lockTime, pollMs: 50 });
    expect(result.status).toBe('confirmed');
    if (result.status === 'confirmed') expect(result.tx.blockHeight).toBeGreaterThanOrEqual(lockTime);
  });
});

describe('rejections carry the node reason', () => {
  const from = () => devnetAccount(env.devnet, 'ed25519-account', 0);
  const to = () => devnetAccount(env.devnet, 'ed25519-account', 1).address;

  it('bad signature', async () => {
    const { tx } = signedTx(env.devnet, from().key, transfer(from().address, to(), PAC), { memo: 'badsig' });
    const sig = Uint8Array.from(tx.signature!);
    sig[10] = sig[10]! ^ 1;
    const hex = encodeTransactionHex({ ...tx, signature: sig });
    await expect(env.client.broadcastTransaction(hex)).rejects.toThrow(
      /^The node rejected it: invalid signature$/,
    );
  });

  it('wrong signer', async () => {
    const other = devnetAccount(env.devnet, 'ed25519-account', 1).key;
    const { tx } = signedTx(env.devnet, other, transfer(to(), from().address, PAC));
    const forged = { ...tx, payload: transfer(from().address, to(), PAC) };
    await expect(env.client.broadcastTransaction(encodeTransactionHex(forged))).rejects.toThrow(
      /address mismatch: expected tpc1r/,
    );
  });

  it('expired lock time', async () => {
    await waitForHeight(env.devnet, 3);
    const { hex } = signedTx(env.devnet, from().key, transfer(from().address, to(), PAC), { lockTime: 1 });
    const chain = env.devnet.chain;
    // Move the chain past the window without waiting 8,640 blocks.
    while (chain.height < 8645) chain.produceBlock();
    await expect(env.client.broadcastTransaction(hex)).rejects.toThrow(/lock time expired: 1$/);
  });

  it('a duplicate is "submitted before", which the client takes as success (it is known)', async () => {
    const { hex, tx } = signedTx(env.devnet, from().key, transfer(from().address, to(), PAC), {
      memo: 'dup',
    });
    await env.client.broadcastTransaction(hex);
    await expect(
      env.client.call('BroadcastTransaction', { signed_raw_transaction: hex }, { retry: false }),
    ).rejects.toThrow(/the transaction submitted before: /);
    expect(await env.client.broadcastTransaction(hex)).toBe(transactionId(tx));
  });

  it('a low fee is answered with success but never pooled nor mined (txpool.go)', async () => {
    const { hex } = signedTx(env.devnet, from().key, transfer(from().address, to(), PAC), { fee: FEE - 1n });
    const id = await env.client.broadcastTransaction(hex);
    expect((await env.client.transactionState(id)).state).toBe('unknown');
    const height = env.devnet.chain.height;
    await waitForHeight(env.devnet, height + 3);
    expect((await env.client.transactionState(id)).state).toBe('unknown');
    expect(await env.client.broadcastTransaction(hex)).toBe(id); // relayed again: still success
  });

  it('a fee on unbond fails the basic check', async () => {
    const v = devnetValidator(env.devnet, 3);
    const unbond = signedTx(env.devnet, v.key, {
      type: PayloadType.Unbond,
      validator: v.address,
      delegateOwner: null,
    });
    // The bytes of the same unbond with a fee of 0.01 PAC (newTransaction refuses to build them).
    const bytes = tryHexToBytes(unbond.hex)!;
    // Byte 6 is the fee varint (0x00); 10,000,000 NanoPAC is 80 ad e2 04.
    const patched = [...bytes.slice(0, 6), 0x80, 0xad, 0xe2, 0x04, ...bytes.slice(7)];
    await expect(env.client.broadcastTransaction(bytesToHex(Uint8Array.from(patched)))).rejects.toThrow(
      /invalid fee: 0.01 PAC/,
    );
  });

  it('insufficient balance, counting what is already in the pool', async () => {
    const f = devnetAccount(env.devnet, 'bls-account', 2);
    // BLS account 2 earns validator 2's block rewards: hold blocks so the balance read is the one checked.
    env.devnet.pauseBlocks();
    try {
      const balance = await env.client.getBalance(f.address.toString('testnet'));
      const all = signedTx(env.devnet, f.key, transfer(f.address, to(), balance - FEE), { memo: 'all' });
      await expect(
        env.client.broadcastTransaction(signedTx(env.devnet, f.key, transfer(f.address, to(), balance)).hex),
      ).rejects.toThrow(/insufficient funds/);
      await env.client.broadcastTransaction(all.hex);
      await expect(
        env.client.broadcastTransaction(
          signedTx(env.devnet, f.key, transfer(f.address, to(), PAC), { memo: 'more' }).hex,
        ),
      ).rejects.toThrow(/insufficient funds/);
    } finally {
      env.devnet.resumeBlocks();
    }
  });

  it('malformed bytes', async () => {
    await expect(env.client.broadcastTransaction('0201')).rejects.toThrow();
    await expect(
      env.client.call('BroadcastTransaction', { signed_raw_transaction: '0201' }, { retry: false }),
    ).rejects.toThrow(/couldn't decode transaction/);
  });

  it('a pending or unknown transaction is INVALID_ARGUMENT "transaction not found", which is NotFound to us', async () => {
    const unknown = 'ab'.repeat(32);
    await expect(
      env.client.call('GetTransaction', { id: unknown, verbosity: 1 }, { retry: false }),
    ).rejects.toThrow(NotFound);
    await expect(
      env.client.call('GetTransaction', { id: 'abcd', verbosity: 1 }, { retry: false }),
    ).rejects.toThrow(/invalid transaction ID: Hash should be 32 bytes/);
    expect(await env.client.transactionState(unknown)).toEqual({ state: 'unknown' });
  });
});
