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
  signMessage,
  transactionId,
  viewTransaction,
} from '../../../pactus/index.js';
import { NotFound, Rejected } from '../../../pactus/node/errors.js';
import { waitForConfirmation } from '../../../pactus/node/watcher.js';
import { DEVNET_ACCOUNT_FUNDS } from '../../../pactus/node/devnet/index.js';
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
    const treasury = await env.client.getAccount('0'.repeat(42)).catch((e) => e);
    expect(treasury).toBeInstanceOf(Rejected); // the treasury is not a bech32 address
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

  it('GetBlock reports the header version and proposer', async () => {
    const block = await env.client.getBlock(1);
    expect(block.version).toBe(4);
    expect(block.proposer).toMatch(/^tpc1p/);
    expect(await env.client.getProtocolVersion()).toBe(4);
    await expect(env.client.getBlock(10_000_000)).rejects.toBeInstanceOf(NotFound);
  });

  it('CalculateFee quotes 0.01 PAC, 0 for unbond, and "send all"', async () => {
    expect(await env.client.calculateFee(5n * PAC, PayloadType.Transfer)).toEqual({
      amount: 5n * PAC,
      fee: FEE,
    });
    expect(await env.client.calculateFee(0n, PayloadType.Unbond)).toEqual({ amount: 0n, fee: 0n });
    expect(await env.client.calculateFee(5n * PAC, PayloadType.Transfer, true)).toEqual({
      amount: 5n * PAC - FEE,
      fee: FEE,
    });
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
    expect(record).toMatchObject({ id, confirmed: true, memo: 'hi', fee: FEE });
    expect(record.blockHeight).toBeGreaterThan(0);
    await waitForHeight(env.devnet, record.blockHeight + 2);
    expect((await env.client.getTransaction(id)).confirmations).toBeGreaterThanOrEqual(3);
    expect(await env.client.getPublicKey(from.address.toString('testnet'))).toBe(
      from.key.publicKey().toString('testnet'),
    );
    expect(env.devnet.chain.totalSupplyCheck()).toBe(MAX_SUPPLY);
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
      viewTransaction(decodeTransactionHex((await env.client.getTransaction(id)).raw), 'testnet').payload
        .type,
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
      /public key is required/,
    );
    await commit(bond(10n * PAC, true));
    await expect(env.client.broadcastTransaction(bond(5n * PAC, true))).rejects.toThrow(/must not be set/);
    await expect(env.client.broadcastTransaction(bond(995n * PAC, false))).rejects.toThrow(
      /exceed the maximum/,
    );
    await expect(env.client.broadcastTransaction(bond(PAC / 2n, false))).rejects.toThrow(/below the minimum/);
    await commit(bond(990n * PAC, false)); // tops up to exactly 1000 PAC
    expect((await env.client.getValidator(validator.toString('testnet'))).stake).toBe(1000n * PAC);

    const withdraw = () =>
      signedTx(env.devnet, fresh, {
        type: PayloadType.Withdraw,
        from: validator,
        to: owner.address,
        amount: 100n * PAC,
      }).hex;
    await expect(env.client.broadcastTransaction(withdraw())).rejects.toThrow(/has not unbonded/);
    await commit(
      signedTx(env.devnet, fresh, { type: PayloadType.Unbond, validator, delegateOwner: null }).hex,
    );
    const unbondedAt = (await env.client.getValidator(validator.toString('testnet'))).unbondingHeight;
    expect(unbondedAt).toBeGreaterThan(0);
    if (env.devnet.chain.height + 1 < unbondedAt + 3)
      await expect(env.client.broadcastTransaction(withdraw())).rejects.toThrow(/unbonding period/);
    await waitForHeight(env.devnet, unbondedAt + 3);
    const before = await env.client.getBalance(owner.address.toString('testnet'));
    await commit(withdraw());
    expect(await env.client.getBalance(owner.address.toString('testnet'))).toBe(before + 100n * PAC);
    expect((await env.client.getValidator(validator.toString('testnet'))).stake).toBe(900n * PAC - FEE);
  });

  it('a delegated validator can be unbonded only by its owner after expiry', async () => {
    const funder = devnetAccount(env.devnet, 'bls-account', 3);
    const owner = devnetAccount(env.devnet, 'ed25519-account', 3);
    const op = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(8));
    const validator = op.publicKey().validatorAddress();
    const expiry = env.devnet.chain.height + 8;
    await commit(
      signedTx(env.devnet, funder.key, {
        type: PayloadType.Bond,
        from: funder.address,
        to: validator,
        publicKey: op.publicKey().bytes,
        stake: 50n * PAC,
        delegation: { owner: owner.address, share: 5n * PAC, expiry },
      }).hex,
    );
    const v = await env.client.getValidator(validator.toString('testnet'));
    expect(v.delegation).toEqual({ owner: owner.address.toString('testnet'), share: 5n * PAC, expiry });
    await expect(
      env.client.broadcastTransaction(
        signedTx(env.devnet, op, { type: PayloadType.Unbond, validator, delegateOwner: null }).hex,
      ),
    ).rejects.toThrow(/only its delegate owner/);
    const byOwner = () =>
      signedTx(env.devnet, owner.key, { type: PayloadType.Unbond, validator, delegateOwner: owner.address })
        .hex;
    if (env.devnet.chain.height + 1 < expiry)
      await expect(env.client.broadcastTransaction(byOwner())).rejects.toThrow(/not expired/);
    await waitForHeight(env.devnet, expiry);
    await commit(byOwner());
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
    await expect(env.client.broadcastTransaction(hex)).rejects.toThrow(/invalid signature/);
  });

  it('wrong signer', async () => {
    const other = devnetAccount(env.devnet, 'ed25519-account', 1).key;
    const { tx } = signedTx(env.devnet, other, transfer(to(), from().address, PAC));
    const forged = { ...tx, payload: transfer(from().address, to(), PAC) };
    await expect(env.client.broadcastTransaction(encodeTransactionHex(forged))).rejects.toThrow(
      /does not match the signer/,
    );
  });

  it('expired lock time', async () => {
    await waitForHeight(env.devnet, 3);
    const { hex } = signedTx(env.devnet, from().key, transfer(from().address, to(), PAC), { lockTime: 1 });
    const chain = env.devnet.chain;
    // Move the chain past the window without waiting 8,640 blocks.
    while (chain.height < 8645) chain.produceBlock();
    await expect(env.client.broadcastTransaction(hex)).rejects.toThrow(/lock time 1 has expired/);
  });

  it('duplicate', async () => {
    const { hex } = signedTx(env.devnet, from().key, transfer(from().address, to(), PAC), { memo: 'dup' });
    await env.client.broadcastTransaction(hex);
    await expect(env.client.broadcastTransaction(hex)).rejects.toThrow(/already exists/);
  });

  it('low fee, and a fee on unbond', async () => {
    const { hex } = signedTx(env.devnet, from().key, transfer(from().address, to(), PAC), { fee: FEE - 1n });
    await expect(env.client.broadcastTransaction(hex)).rejects.toThrow(/fee is too low/);
    const v = devnetValidator(env.devnet, 3);
    const unbond = signedTx(
      env.devnet,
      v.key,
      { type: PayloadType.Unbond, validator: v.address, delegateOwner: null },
      { fee: FEE },
    );
    await expect(env.client.broadcastTransaction(unbond.hex)).rejects.toThrow(/fee must be zero/);
  });

  it('insufficient balance, counting what is already in the pool', async () => {
    const f = devnetAccount(env.devnet, 'bls-account', 2);
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
  });

  it('malformed bytes', async () => {
    await expect(env.client.broadcastTransaction('0201')).rejects.toThrow();
    await expect(
      env.client.call('BroadcastTransaction', { signed_raw_transaction: '0201' }, { retry: false }),
    ).rejects.toThrow(/invalid transaction/);
  });
});
