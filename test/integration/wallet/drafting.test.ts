import {} from '../../../db/connection.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateKey, PayloadType, decodeTransactionHex, signerOf } from '../../../pactus/index.js';
import { addLinkedAddress, draftById, WalletError } from '../../../wallet/index.js';
import { startStack, type Stack } from '../../support/stack.js';
import { FEE, PAC, devnetAccount, devnetValidator } from '../../support/txs.js';
import { countRows, rows } from '../../support/db.js';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.close());

const t = (key: { address: { toString(n: 'testnet'): string } }) => key.address.toString('testnet');

describe('drafting checks the chain and explains refusals', () => {
  it('a transfer from the primary linked address: unsigned, fee from the node, lock time = height', async () => {
    const req = await s.account('alice');
    const ed0 = devnetAccount(s.devnet, 'ed25519-account', 0);
    await addLinkedAddress(s.db, req.chatAccountId, t(ed0));
    const height = s.devnet.chain.height;
    const draft = await s.wallet.drafting.transfer(req, {
      to: t(devnetAccount(s.devnet, 'ed25519-account', 1)),
      amount: 5n * PAC,
      memo: 'rent',
    });
    expect(draft.view.payload).toMatchObject({
      type: 'transfer',
      from: t(ed0),
      amount: (5n * PAC).toString(),
    });
    expect(draft.tx.fee).toBe(FEE);
    expect(draft.tx.lockTime).toBeGreaterThanOrEqual(height);
    expect(draft.tx.signature).toBeNull();
    expect(draft.fingerprint).toMatch(/^[a-z]+-[a-z]+-[a-z]+$/);
    expect(draft.signerUnlinked).toBe(false);
    const row = (await draftById(s.db, draft.draftId))!;
    expect(row).toMatchObject({ kind: 'transfer', status: 'pending', signer: t(ed0), txId: draft.view.id });
    expect(decodeTransactionHex(row.unsignedTx!).memo).toBe('rent');
    expect(row.expiresAt).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    expect(draft.url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    // The token itself is nowhere in the database.
    const dump = JSON.stringify(await rows(s.db, 'SELECT * FROM link_tokens'));
    expect(dump).not.toContain(draft.url.split('/s/')[1]);
  });

  it('"all" sends the balance minus the fee', async () => {
    const req = await s.account('all');
    const from = devnetAccount(s.devnet, 'bls-account', 3);
    // BLS account 3 earns validator 3's block rewards: hold blocks so both reads see one balance.
    s.devnet.pauseBlocks();
    try {
      const draft = await s.wallet.drafting.transfer(req, {
        from: t(from),
        to: t(devnetAccount(s.devnet, 'ed25519-account', 1)),
        amount: 'all',
      });
      const balance = await s.client.getBalance(t(from));
      expect(BigInt((draft.view.payload as { amount: string }).amount) + FEE).toBe(balance);
      expect(draft.signerUnlinked).toBe(true);
    } finally {
      s.devnet.resumeBlocks();
    }
  });

  it('refuses with specific messages and writes nothing', async () => {
    const req = await s.account('bob');
    const from = t(devnetAccount(s.devnet, 'ed25519-account', 2));
    const to = t(devnetAccount(s.devnet, 'ed25519-account', 3));
    const count = () => countRows(s.db, 'drafts');
    const before = await count();
    const refuse = async (p: Promise<unknown>, pattern: RegExp) => {
      const error = (await p.catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(WalletError);
      expect(error.message).toMatch(pattern);
    };
    await refuse(s.wallet.drafting.transfer(req, { to, amount: PAC }), /no linked wallet/);
    await refuse(
      s.wallet.drafting.transfer(req, {
        from,
        to: 'pc1rj65g93q7lpdq0366vst22l7va9d26j3l2vr0em',
        amount: PAC,
      }),
      /mainnet address.*testnet/,
    );
    await refuse(
      s.wallet.drafting.transfer(req, { from, to: 'tpc1zzzz', amount: PAC }),
      /Recipient: .*not a valid/,
    );
    await refuse(
      s.wallet.drafting.transfer(req, { from, to: t(devnetValidator(s.devnet, 0)), amount: PAC }),
      /validator address/,
    );
    await refuse(
      s.wallet.drafting.transfer(req, { from, to, amount: 1_000_000n * PAC }),
      /has 100,000 PAC; sending 1,000,000 PAC plus the 0\.01 PAC fee needs 1,000,000\.01 PAC/,
    );
    await refuse(
      s.wallet.drafting.transfer(req, { from, to, amount: PAC, memo: 'x'.repeat(65) }),
      /65 bytes.*at most 64/,
    );
    await refuse(
      s.wallet.drafting.transfer(req, { from, to, amount: PAC, memo: 'é'.repeat(33) }),
      /66 bytes/,
    );
    // A right-to-left override would make "send 1000 ABC" show on the page and in chat.
    for (const memo of ['pay \u202Ecba 0001\u202C', 'a\u2066b', 'line\nbreak', 'nul\u0000'])
      await refuse(
        s.wallet.drafting.transfer(req, { from, to, amount: PAC, memo }),
        /control or direction-changing characters/,
      );
    await refuse(s.wallet.drafting.transfer(req, { from, to: from, amount: PAC }), /same address/);
    await refuse(s.wallet.drafting.transfer(req, { from, to, amount: 0n }), /more than zero/);
    await refuse(
      s.wallet.drafting.batchTransfer(req, { from, recipients: [{ to, amount: PAC }] }),
      /2 to 8 recipients; you listed 1/,
    );
    await refuse(
      s.wallet.drafting.batchTransfer(req, {
        from,
        recipients: [
          { to, amount: PAC },
          { to, amount: PAC },
        ],
      }),
      /listed twice/,
    );
    expect(await count()).toBe(before);
  });

  it('batch transfer', async () => {
    const req = await s.account('carol');
    const from = t(devnetAccount(s.devnet, 'bls-account', 1));
    const draft = await s.wallet.drafting.batchTransfer(req, {
      from,
      recipients: [
        { to: t(devnetAccount(s.devnet, 'ed25519-account', 1)), amount: PAC },
        { to: t(devnetAccount(s.devnet, 'ed25519-account', 2)), amount: 2n * PAC },
      ],
    });
    expect(draft.tx.payload.type).toBe(PayloadType.BatchTransfer);
    expect(signerOf(draft.tx.payload).toString('testnet')).toBe(from);
  });

  it('bond: existing validator, new validator with its key, and the stake limits', async () => {
    const req = await s.account('dave');
    const from = t(devnetAccount(s.devnet, 'ed25519-account', 3));
    const full = t(devnetValidator(s.devnet, 0));
    await expect(s.wallet.drafting.bond(req, { from, validator: full, amount: PAC })).rejects.toThrow(
      /already holds the maximum stake of 1,000 PAC/,
    );
    const fresh = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(21)).publicKey();
    const validator = fresh.validatorAddress().toString('testnet');
    await expect(s.wallet.drafting.bond(req, { from, validator, amount: 10n * PAC })).rejects.toThrow(
      /not a validator yet.*public key/,
    );
    const other = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(22)).publicKey().toString('testnet');
    await expect(
      s.wallet.drafting.bond(req, { from, validator, amount: 10n * PAC, validatorPublicKey: other }),
    ).rejects.toThrow(/does not belong/);
    await expect(
      s.wallet.drafting.bond(req, {
        from,
        validator,
        amount: 1001n * PAC,
        validatorPublicKey: fresh.toString('testnet'),
      }),
    ).rejects.toThrow(/at most 1,000 PAC more/);
    await expect(
      s.wallet.drafting.bond(req, {
        from,
        validator,
        amount: PAC / 2n,
        validatorPublicKey: fresh.toString('testnet'),
      }),
    ).rejects.toThrow(/smallest stake is 1 PAC/);
    const draft = await s.wallet.drafting.bond(req, {
      from,
      validator,
      amount: 10n * PAC,
      validatorPublicKey: fresh.toString('testnet'),
    });
    expect(draft.view.payload).toMatchObject({
      type: 'bond',
      to: validator,
      publicKey: fresh.toString('testnet'),
      stake: (10n * PAC).toString(),
    });
    await expect(s.wallet.drafting.bond(req, { from, validator: from, amount: PAC })).rejects.toThrow(
      /account address; a validator address is needed/,
    );
  });

  it('unbond and withdraw preconditions', async () => {
    const req = await s.account('erin');
    const v = t(devnetValidator(s.devnet, 2));
    const unbond = await s.wallet.drafting.unbond(req, { validator: v });
    expect(unbond.tx.fee).toBe(0n);
    expect(unbond.signer).toBe(v);
    expect(unbond.signerUnlinked).toBe(true);
    await expect(s.wallet.drafting.withdraw(req, { validator: v, amount: PAC })).rejects.toThrow(
      /still bonded: unstake it first/,
    );
    const unknown = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(23))
      .publicKey()
      .validatorAddress()
      .toString('testnet');
    await expect(s.wallet.drafting.unbond(req, { validator: unknown })).rejects.toThrow(
      /not a validator on this network/,
    );
  });
});
