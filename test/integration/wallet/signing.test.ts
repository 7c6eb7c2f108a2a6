import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PrivateKey,
  decodeTransactionHex,
  encodeTransactionHex,
  newTransaction,
  signMessage,
  signTransaction,
} from '../../../pactus/index.js';
import { SECURITY_HEADERS } from '../../../signer-web/server/server.js';
import {
  addLinkedAddress,
  draftById,
  ensureChatAccount,
  linkedAddressesOf,
  type DraftResult,
} from '../../../wallet/index.js';
import { http, linkApi } from '../../support/http.js';
import { startStack, tokenOf, type Stack } from '../../support/stack.js';
import { PAC, devnetAccount, devnetValidator } from '../../support/txs.js';
import { waitFor } from '../../support/wait.js';
import { conversationFor, dm } from '../../support/app.js';
import { lookAlikeOf, seededRandom } from '../../support/look-alike-forge.js';
import { replyToText, type Reply } from '../../../agents/reply.js';
import { saveContact } from '../../../wallet/contacts.js';
import { sql } from 'drizzle-orm';
import { jsonOf, rows } from '../../support/db.js';
import { STORES } from '../../support/stores.js';

// Every link, draft and outbox rule holds on both stores.
describe.each(STORES)('on %s', (dialect) => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ database: dialect });
  });
  afterAll(() => s.close());

  const t = (key: { address: { toString(n: 'testnet'): string } }) => key.address.toString('testnet');
  const api = linkApi;

  /** Fetches the draft through the API, signs it locally like the page does, posts it. */
  async function signAndSubmit(draft: DraftResult, key: PrivateKey) {
    const link = await http<{ unsignedTx: string; fingerprint: string; kind: string; signer: string }>(
      api(draft.url),
    );
    expect(link.status).toBe(200);
    expect(link.body.kind).toBe('transaction');
    expect(link.body.fingerprint).toBe(draft.fingerprint);
    const signed = signTransaction(decodeTransactionHex(link.body.unsignedTx), key);
    return http<{ txId?: string; error?: { code: string; message: string } }>(api(draft.url), {
      json: { signedTx: encodeTransactionHex(signed) },
    });
  }

  async function outboxFor(draftId: string) {
    return (
      await rows<{ payload: string | object; recipient: string }>(
        s.db,
        sql`SELECT * FROM outbox WHERE dedupe_key = ${`draft:${draftId}:outcome`}`,
      )
    ).map((r) => ({ ...r, payload: jsonOf(r.payload) }));
  }

  describe('each kind of draft: sign with devnet keys, submit, confirmed, outbox row written', () => {
    const newValidator = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(31));
    const cases: [
      string,
      (req: Awaited<ReturnType<Stack['account']>>) => Promise<DraftResult>,
      () => PrivateKey,
    ][] = [
      [
        'transfer',
        (req) =>
          s.wallet.drafting.transfer(req, {
            from: t(devnetAccount(s.devnet, 'ed25519-account', 0)),
            to: t(devnetAccount(s.devnet, 'ed25519-account', 1)),
            amount: 2n * PAC,
            memo: 'signed',
          }),
        () => devnetAccount(s.devnet, 'ed25519-account', 0).key,
      ],
      [
        'batch transfer',
        (req) =>
          s.wallet.drafting.batchTransfer(req, {
            from: t(devnetAccount(s.devnet, 'bls-account', 1)),
            recipients: [
              { to: t(devnetAccount(s.devnet, 'ed25519-account', 2)), amount: PAC },
              { to: t(devnetAccount(s.devnet, 'ed25519-account', 3)), amount: 3n * PAC },
            ],
          }),
        () => devnetAccount(s.devnet, 'bls-account', 1).key,
      ],
      [
        'bond to a new validator',
        (req) =>
          s.wallet.drafting.bond(req, {
            from: t(devnetAccount(s.devnet, 'ed25519-account', 2)),
            validator: PrivateKey.fromBytes('bls', new Uint8Array(32).fill(31))
              .publicKey()
              .validatorAddress()
              .toString('testnet'),
            validatorPublicKey: PrivateKey.fromBytes('bls', new Uint8Array(32).fill(31))
              .publicKey()
              .toString('testnet'),
            amount: 20n * PAC,
          }),
        () => devnetAccount(s.devnet, 'ed25519-account', 2).key,
      ],
      [
        // The validator bonded above: the genesis ones form the committee, whose unbonds wait (see below).
        'unbond',
        (req) =>
          s.wallet.drafting.unbond(req, {
            validator: newValidator.publicKey().validatorAddress().toString('testnet'),
          }),
        () => newValidator,
      ],
    ];

    for (const [name, make, key] of cases)
      it(name, async () => {
        const req = await s.account(`user-${name}`);
        const draft = await make(req);
        const result = await signAndSubmit(draft, key());
        expect(result.status).toBe(200);
        expect(result.body.txId).toBe(draft.view.id);
        const row = await waitFor(async () => {
          const d = (await draftById(s.db, draft.draftId))!;
          return d.status === 'confirmed' && d;
        });
        expect(row.blockHeight).toBeGreaterThan(0);
        expect((await s.client.getTransaction(draft.view.id)).blockHeight).toBe(row.blockHeight);
        const notes = await outboxFor(draft.draftId);
        expect(notes).toHaveLength(1);
        expect(notes[0]!.payload).toMatchObject({
          status: 'confirmed',
          txId: draft.view.id,
          blockHeight: row.blockHeight,
        });
        expect(notes[0]!.recipient).toBe(`user-${name}`);
        const status = await http<{ status: string; blockHeight: number }>(`${api(draft.url)}/status`);
        expect(status.body).toMatchObject({ status: 'confirmed', blockHeight: row.blockHeight });
      });

    it('withdraw after the unbonding interval', async () => {
      const v = { address: newValidator.publicKey().validatorAddress(), key: newValidator };
      const state = await waitFor(() => s.devnet.chain.validator(v.address)?.unbondingHeight);
      while (s.devnet.chain.height < state + s.devnet.chain.unbondInterval)
        await new Promise((r) => setTimeout(r, 100));
      const req = await s.account('withdrawer');
      const draft = await s.wallet.drafting.withdraw(req, {
        validator: t(v),
        to: t(devnetAccount(s.devnet, 'ed25519-account', 3)),
        amount: 10n * PAC,
      });
      expect((await signAndSubmit(draft, v.key)).status).toBe(200);
      await waitFor(async () => (await draftById(s.db, draft.draftId))!.status === 'confirmed');
    });

    it("withdraw to a contact's name or a look-alike: resolved and warned as a send is, in chat and on the page", async () => {
      const v = t({ address: newValidator.publicKey().validatorAddress() });
      const { conversation } = conversationFor(s);
      const who = await ensureChatAccount(s.db, { platform: 'console', userId: 'withdraw-named' });
      const carol = t(devnetAccount(s.devnet, 'ed25519-account', 2));
      await saveContact(s.db, who, 'carol', carol, Date.now());
      const press = (args: Record<string, string>) =>
        conversation.handle({
          ...dm('', 'withdraw-named'),
          text: undefined,
          command: { name: 'withdraw', args: { validator: v, amount: '1', ...args } },
        });
      const notesOf = async (r: Reply) => {
        const link = r.buttons.find((b) => b.type === 'link');
        if (link?.type !== 'link') throw new Error(`no link: ${replyToText(r)}`);
        return (await http<{ notes: unknown[] }>(api(link.url))).body.notes;
      };
      const named = await press({ to: 'carol' });
      expect(replyToText(named)).toContain(`carol is ${carol} (from your contacts)`);
      expect(replyToText(named)).toContain(`To: ${carol}`);
      expect(await notesOf(named)).toEqual([{ address: carol, name: 'carol' }]);
      const attack = lookAlikeOf(carol, 2, 4, seededRandom(3435));
      const poisoned = await press({ to: attack });
      expect(replyToText(poisoned)).toContain(
        `Careful: this address looks like your contact carol (${carol}) but is a different address`,
      );
      expect(await notesOf(poisoned)).toMatchObject([
        { address: attack, warning: 'look_alike', looksLike: { what: 'your contact carol', address: carol } },
      ]);
      // A name the book lacks drafts nothing and offers the nearest; "me" is the default recipient.
      const typo = await press({ to: 'carl' });
      expect(replyToText(typo)).toContain(`carl is not in your contacts. Did you mean carol (${carol})?`);
      expect(typo.buttons).toContainEqual(
        expect.objectContaining({ action: 'withdraw', args: { validator: v, amount: '1', to: 'carol' } }),
      );
      expect(replyToText(await press({ to: 'me' }))).toMatch(/To: tpc1z/);
      // Where the last test's withdrawal went is an address its requester paid: a look-alike of it is called out,
      // and the address itself is no first payment any more.
      const paid = t(devnetAccount(s.devnet, 'ed25519-account', 3));
      const again = await conversation.handle({
        ...dm('', 'withdrawer'),
        text: undefined,
        command: {
          name: 'withdraw',
          args: { validator: v, amount: '1', to: lookAlikeOf(paid, 4, 1, seededRandom(3437)) },
        },
      });
      expect(replyToText(again)).toContain(`looks like an address you paid before (${paid})`);
      const same = await conversation.handle({
        ...dm('', 'withdrawer'),
        text: undefined,
        command: { name: 'withdraw', args: { validator: v, amount: '1', to: paid } },
      });
      expect(replyToText(same)).not.toMatch(/not paid this address before|Careful/);
    });

    it('an unbond of a committee member is drafted with a warning, and waits in the pool (executor/unbond.go)', async () => {
      const v = devnetValidator(s.devnet, 2);
      const draft = await s.wallet.drafting.unbond(await s.account('committee'), { validator: t(v) });
      expect(draft.notes.join(' ')).toMatch(/is in the committee now/);
      expect((await signAndSubmit(draft, v.key)).status).toBe(200);
      const height = s.devnet.chain.height;
      await waitFor(() => s.devnet.chain.height >= height + 3);
      expect((await s.client.transactionState(draft.view.id)).state).toBe('pending');
      expect((await draftById(s.db, draft.draftId))!.status).toBe('submitted');
    });
  });

  describe('rejections', () => {
    const from = () => devnetAccount(s.devnet, 'ed25519-account', 1);
    const draft = async () =>
      s.wallet.drafting.transfer(await s.account('mallory'), {
        from: t(from()),
        to: t(devnetAccount(s.devnet, 'bls-account', 0)),
        amount: PAC,
        memo: `r${Math.random()}`,
      });

    it('second use of a link', async () => {
      const d = await draft();
      expect((await signAndSubmit(d, from().key)).status).toBe(200);
      const again = await signAndSubmit(d, from().key).catch(() => null);
      expect(again).toBeNull(); // the describe call itself is refused now
      const link = await http<{ error: { code: string; message: string } }>(api(d.url));
      expect(link.status).toBe(410);
      expect(link.body.error).toMatchObject({ code: 'used' });
      expect(link.body.error.message).toMatch(/already used/);
    });

    it('each way a link ends has its own words: expired (also once swept), used, cancelled, chain restarted', async () => {
      const ending = async (url: string) =>
        (await http<{ error: { code: string; message: string } }>(api(url))).body.error;
      const set = (id: string, fields: string) =>
        rows(s.db, sql`UPDATE drafts SET ${sql.raw(fields)} WHERE id = ${id}`);
      const expiredByTime = await draft();
      await rows(s.db, sql`UPDATE link_tokens SET expires_at = 1 WHERE draft_id = ${expiredByTime.draftId}`);
      expect(await ending(expiredByTime.url)).toMatchObject({
        code: 'expired',
        message: expect.stringMatching(/has expired/),
      });
      await set(expiredByTime.draftId, "status = 'expired'"); // the sweeper ran: still "expired", not "used"
      expect(await ending(expiredByTime.url)).toMatchObject({
        code: 'expired',
        message: expect.stringMatching(/has expired/),
      });
      const cancelled = await draft();
      await set(cancelled.draftId, "status = 'cancelled'");
      expect(await ending(cancelled.url)).toMatchObject({
        code: 'cancelled',
        message: expect.stringMatching(/cancelled in chat/),
      });
      const restarted = await draft();
      const { CHAIN_RESTARTED } = await import('../../../wallet/chain-identity.js');
      await rows(
        s.db,
        sql`UPDATE drafts SET status = 'failed', failure_reason = ${CHAIN_RESTARTED} WHERE id = ${restarted.draftId}`,
      );
      expect(await ending(restarted.url)).toMatchObject({
        code: 'chain_restarted',
        message: expect.stringMatching(/restarted/),
      });
      const used = await draft();
      expect((await signAndSubmit(used, from().key)).status).toBe(200);
      expect(await ending(used.url)).toMatchObject({
        code: 'used',
        message: expect.stringMatching(/already used/),
      });
    });

    it('concurrent submissions of the same link: exactly one wins', async () => {
      const d = await draft();
      const signed = encodeTransactionHex(signTransaction(d.tx, from().key));
      const results = await Promise.all(
        Array.from({ length: 5 }, () => http(api(d.url), { json: { signedTx: signed } })),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 410)).toHaveLength(4);
    });

    it('expired link', async () => {
      let clock = Date.now();
      const stack = await startStack({ devnetInstance: s.devnet, now: () => clock, database: dialect });
      try {
        const req = await stack.account('late');
        const d = await stack.wallet.drafting.transfer(req, {
          from: t(from()),
          to: t(devnetAccount(s.devnet, 'bls-account', 0)),
          amount: PAC,
        });
        clock += 16 * 60_000;
        const link = await http<{ error: { code: string } }>(api(d.url));
        expect(link.status).toBe(410);
        expect(link.body.error.code).toBe('expired');
        const post = await http<{ error: { code: string } }>(api(d.url), {
          json: { signedTx: encodeTransactionHex(signTransaction(d.tx, from().key)) },
        });
        expect(post.body.error.code).toBe('expired');
      } finally {
        await stack.close();
      }
    });

    it('a transaction signed by another key', async () => {
      const d = await draft();
      const other = devnetAccount(s.devnet, 'ed25519-account', 2).key;
      const forged = {
        ...d.tx,
        flags: 0,
        signature: other.sign(new Uint8Array([1])),
        publicKey: other.publicKey().bytes,
      };
      const post = await http<{ error: { code: string; message: string } }>(api(d.url), {
        json: { signedTx: encodeTransactionHex(forged) },
      });
      expect(post.status).toBe(400);
      expect(post.body.error.code).toBe('wrong_signer');
      expect(post.body.error.message).toContain(t(from()));
      expect((await draftById(s.db, d.draftId))!.status).toBe('pending');
    });

    it('a different transaction signed by the right key', async () => {
      const d = await draft();
      const other = newTransaction({
        lockTime: d.tx.lockTime,
        fee: d.tx.fee,
        memo: d.tx.memo,
        payload: { ...d.tx.payload, amount: 1000n * PAC } as typeof d.tx.payload,
      });
      const post = await http<{ error: { code: string } }>(api(d.url), {
        json: { signedTx: encodeTransactionHex(signTransaction(other, from().key)) },
      });
      expect(post.status).toBe(400);
      expect(post.body.error.code).toBe('tx_mismatch');
    });

    it('bytes appended, and garbage', async () => {
      const d = await draft();
      const signed = encodeTransactionHex(signTransaction(d.tx, from().key));
      const appended = await http<{ error: { code: string; message: string } }>(api(d.url), {
        json: { signedTx: `${signed}00` },
      });
      expect(appended.status).toBe(400);
      expect(appended.body.error).toMatchObject({ code: 'malformed' });
      expect(appended.body.error.message).toMatch(/trailing byte/);
      expect((await http(api(d.url), { json: { signedTx: 'xyz' } })).status).toBe(400);
      expect((await http(api(d.url), { json: { nope: 1 } })).status).toBe(400);
      expect(
        (
          await http(api(d.url), {
            method: 'POST',
            body: '{bad json',
            headers: { 'content-type': 'application/json' },
          })
        ).status,
      ).toBe(400);
      expect((await draftById(s.db, d.draftId))!.status).toBe('pending');
    });

    it('a wrong-network address and a 65-byte memo never become drafts', async () => {
      const req = await s.account('net');
      await expect(
        s.wallet.drafting.transfer(req, {
          from: t(from()),
          to: 'pc1rj65g93q7lpdq0366vst22l7va9d26j3l2vr0em',
          amount: PAC,
        }),
      ).rejects.toThrow(/mainnet/);
      await expect(
        s.wallet.drafting.transfer(req, {
          from: t(from()),
          to: t(devnetAccount(s.devnet, 'bls-account', 0)),
          amount: PAC,
          memo: 'm'.repeat(65),
        }),
      ).rejects.toThrow(/65 bytes/);
    });

    it('unknown and malformed tokens', async () => {
      expect((await http(`${s.url}/api/links/${'A'.repeat(43)}`)).status).toBe(404);
      expect((await http(`${s.url}/api/links/short`)).status).toBe(404);
    });

    it('a node rejection fails the draft and says why', async () => {
      const req = await s.account('poor');
      const f = devnetAccount(s.devnet, 'bls-account', 2);
      const d = await s.wallet.drafting.transfer(req, {
        from: t(f),
        to: t(devnetAccount(s.devnet, 'ed25519-account', 0)),
        amount: 99_999n * PAC,
      });
      // Spend the money elsewhere before signing the draft.
      const other = await s.wallet.drafting.transfer(req, {
        from: t(f),
        to: t(devnetAccount(s.devnet, 'ed25519-account', 1)),
        amount: 99_000n * PAC,
      });
      expect((await signAndSubmit(other, f.key)).status).toBe(200);
      const post = await signAndSubmit(d, f.key);
      expect(post.status).toBe(422);
      expect(post.body.error).toMatchObject({ code: 'rejected' });
      expect(post.body.error!.message).toMatch(/insufficient funds/);
      const row = (await draftById(s.db, d.draftId))!;
      expect(row.status).toBe('failed');
      expect((await outboxFor(d.draftId))[0]!.payload).toMatchObject({ status: 'failed' });
    });
  });

  describe('wallet linking', () => {
    it('signing the challenge links the address; several addresses, one primary; unlink', async () => {
      const req = await s.account('linker');
      const ed = devnetAccount(s.devnet, 'ed25519-account', 3);
      const challenge = await s.wallet.linking.start(req, t(ed), 'linker');
      expect(challenge.message).toContain(`Address: ${t(ed)}`);
      expect(challenge.message).toContain('User ID: linker');
      expect(challenge.message).toContain('Domain: 127.0.0.1');
      const link = await http<{ kind: string; message: string; fingerprint: string }>(api(challenge.url));
      expect(link.body).toMatchObject({
        kind: 'message',
        message: challenge.message,
        fingerprint: challenge.fingerprint,
      });
      const wrong = devnetAccount(s.devnet, 'ed25519-account', 2).key;
      const bad = await http<{ error: { code: string } }>(api(challenge.url), {
        json: {
          signature: signMessage(wrong, challenge.message),
          publicKey: wrong.publicKey().toString('testnet'),
        },
      });
      expect(bad.body.error.code).toBe('wrong_signer');
      const forged = await http<{ error: { code: string } }>(api(challenge.url), {
        json: {
          signature: signMessage(ed.key, 'something else'),
          publicKey: ed.key.publicKey().toString('testnet'),
        },
      });
      expect(forged.body.error.code).toBe('bad_signature');
      const ok = await http(api(challenge.url), {
        json: {
          signature: signMessage(ed.key, challenge.message),
          publicKey: ed.key.publicKey().toString('testnet'),
        },
      });
      expect(ok.status).toBe(200);
      expect(await linkedAddressesOf(s.db, req.chatAccountId)).toEqual([
        expect.objectContaining({ address: t(ed), isPrimary: true }),
      ]);
      await expect(s.wallet.linking.start(req, t(ed), 'linker')).rejects.toThrow(/already linked/);

      const bls = devnetAccount(s.devnet, 'bls-account', 3);
      const second = await s.wallet.linking.start(req, t(bls), 'linker');
      await http(api(second.url), {
        json: {
          signature: signMessage(bls.key, second.message),
          publicKey: bls.key.publicKey().toString('testnet'),
        },
      });
      expect((await linkedAddressesOf(s.db, req.chatAccountId)).map((a) => [a.address, a.isPrimary])).toEqual(
        [
          [t(ed), true],
          [t(bls), false],
        ],
      );
      const { unlinkAddress } = await import('../../../wallet/index.js');
      await unlinkAddress(s.db, req.chatAccountId, t(ed));
      expect(await linkedAddressesOf(s.db, req.chatAccountId)).toEqual([
        expect.objectContaining({ address: t(bls), isPrimary: true }),
      ]);
      await addLinkedAddress(s.db, req.chatAccountId, t(ed));
    });
  });

  describe('the server', () => {
    it('sends the security headers on every response, and never logs a token', async () => {
      const d = await s.wallet.drafting.transfer(await s.account('hdr'), {
        from: t(devnetAccount(s.devnet, 'ed25519-account', 0)),
        to: t(devnetAccount(s.devnet, 'ed25519-account', 1)),
        amount: PAC,
      });
      for (const url of [
        d.url,
        api(d.url),
        `${api(d.url)}/status`,
        `${s.url}/assets/page.js`,
        `${s.url}/assets/page.css`,
        `${s.url}/nope`,
      ]) {
        const r = await http(url);
        for (const [name, value] of Object.entries(SECURITY_HEADERS))
          expect(r.headers.get(name), `${name} on ${url}`).toBe(value);
      }
      const page = await http<string>(d.url);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.body).toContain('/assets/page.js');
      const all = s.logs.join('');
      expect(all).toContain('"route":"/s/:token"');
      expect(all).not.toContain(tokenOf(d.url));
      expect(all).not.toMatch(/\/s\/[A-Za-z0-9_-]{43}/);
    });

    it('rate-limits real attempts per link and address; junk that does not parse is not counted', async () => {
      const d = await s.wallet.drafting.transfer(await s.account('rl'), {
        from: t(devnetAccount(s.devnet, 'ed25519-account', 0)),
        to: t(devnetAccount(s.devnet, 'ed25519-account', 1)),
        amount: PAC,
      });
      // Junk first: it fails before the draft is looked at, and leaves the link's tries alone.
      for (let i = 0; i < 12; i++)
        expect((await http(api(d.url), { json: { signedTx: '00' } })).status).toBe(400);
      const link = await http<{ unsignedTx: string }>(api(d.url));
      const signed = signTransaction(
        decodeTransactionHex(link.body.unsignedTx),
        devnetAccount(s.devnet, 'ed25519-account', 0).key,
      );
      const forged = encodeTransactionHex({ ...signed, signature: signed.signature!.map((b) => b ^ 1) });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push((await http(api(d.url), { json: { signedTx: forged } })).status);
      expect(statuses.slice(0, 10).every((st) => st === 400)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    });
  });
});
