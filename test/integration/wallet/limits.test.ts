// The limits a person sets, enforced before any signing link exists, on SQLite and PostgreSQL, with the bot's
// clock driven by the test (no sleeps): refusals name the limit and when it would allow the payment, loosening
// waits its delay, tightening holds at once, the strictest of a person's chat accounts holds, the allowlist and
// the cooling-off period, and two drafts racing for what is left of a daily limit.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, tables, transaction, type Db } from '../../../db/connection.js';
import { Address, AddressType } from '../../../pactus/address.js';
import { PayloadType, newTransaction, type Payload } from '../../../pactus/tx.js';
import { addLinkedAddress, cancelDraft, ensureChatAccount } from '../../../wallet/index.js';
import { saveContact } from '../../../wallet/contacts.js';
import { issueTransactionDraft } from '../../../wallet/draft-issue.js';
import { LimitError, LimitsGate, limitSettingsOf } from '../../../wallet/limits/gate.js';
import {
  cancelLoosenings,
  changeLimit,
  limitsOf,
  type LimitChange,
} from '../../../wallet/limits/settings.js';
import { personOf } from '../../../wallet/persons.js';
import { countRows, rows } from '../../support/db.js';
import { STORES, newStore, type TestStore } from '../../support/stores.js';
import { testnetWalletConfig } from '../../support/wallet-config.js';

const PAC = 1_000_000_000n;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);

const account = (type = AddressType.Ed25519Account) => Address.fromHash(type, randomBytes(20));
const s = (a: Address) => a.toString('testnet');

describe.each(STORES)('limits on %s', (dialect) => {
  let store: TestStore;
  let db: Db;
  let clock = T0;
  const config = testnetWalletConfig({ now: () => clock, loosenDelayMs: DAY, undoDefaultSeconds: 10 });
  const settings = limitSettingsOf(config);

  beforeAll(async () => {
    store = await newStore(dialect);
    db = await openDatabase(store.url);
  });
  afterAll(async () => {
    await closeDatabase(db);
    await store.drop();
  });

  /** A chat account with one linked wallet. */
  async function person(platform = 'console') {
    const id = await ensureChatAccount(db, { platform, userId: randomBytes(6).toString('hex') });
    const wallet = account();
    await addLinkedAddress(db, id, s(wallet));
    return { id, wallet, req: { chatAccountId: id, platform, chatId: null } };
  }

  async function set(id: number, change: LimitChange) {
    return changeLimit(db, id, (await personOf(db, id)).chatAccountIds, change, clock, settings);
  }

  async function draft(
    who: { req: { chatAccountId: number; platform: string; chatId: null } },
    payload: Payload,
    kind: 'transfer' | 'bond' | 'batch_transfer' = 'transfer',
  ) {
    const tx = newTransaction({ lockTime: 1, fee: PAC / 100n, memo: '', payload });
    const signer = 'from' in payload ? s(payload.from) : s((payload as { validator: Address }).validator);
    return new LimitsGate(db, config).admit(who.req, kind, tx, () =>
      issueTransactionDraft(db, config, who.req, { kind, tx, signer, signerUnlinked: false, notes: [] }),
    );
  }
  const pay = (
    who: { wallet: Address; req: { chatAccountId: number; platform: string; chatId: null } },
    to: Address,
    amount: bigint,
  ) => draft(who, { type: PayloadType.Transfer, from: who.wallet, to, amount });

  async function refusal(promise: Promise<unknown>): Promise<LimitError> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LimitError);
    return error as LimitError;
  }

  it('a limit per transaction refuses before any link exists, in words that name it', async () => {
    clock = T0;
    const p = await person();
    await set(p.id, { setting: 'tx_limit', value: 50n * PAC });
    const before = await countRows(db, 'link_tokens');
    const error = await refusal(pay(p, account(), 80n * PAC));
    expect(error.code).toBe('limit_per_transaction');
    expect(error.message).toContain('Your limit per transaction is 50 PAC');
    expect(error.message).toContain('80 PAC');
    expect(await countRows(db, 'link_tokens')).toBe(before);
    expect(await countRows(db, 'drafts', `chat_account_id = ${p.id}`)).toBe(0);
    const ok = await pay(p, account(), 50n * PAC);
    expect(ok.url).toContain('/s/');
  });

  it('the daily limit counts any 24 hours and says when it would allow the payment; a cancelled draft frees its amount', async () => {
    clock = T0;
    const p = await person();
    await set(p.id, { setting: 'daily_limit', value: 100n * PAC });
    const first = await pay(p, account(), 60n * PAC);
    // Signed: it counts whatever happens to its link afterwards.
    await rows(db, sql`UPDATE drafts SET status = 'submitted' WHERE id = ${first.draftId}`);
    clock = T0 + HOUR;
    const error = await refusal(pay(p, account(), 50n * PAC));
    expect(error.code).toBe('limit_daily');
    expect(error.message).toContain('Your daily limit is 100 PAC');
    expect(error.message).toContain('60 PAC is already drafted or sent');
    expect(error.message).toContain('40 PAC is left');
    expect(error.message).toContain('2026-12-07 12:00 UTC');
    // An unsigned draft counts while its link lives; cancelling it frees the amount at once.
    const pending = await pay(p, account(), 40n * PAC);
    await refusal(pay(p, account(), 1n * PAC));
    expect(await cancelDraft(db, pending.draftId, p.id, clock)).toBe(true);
    await pay(p, account(), 40n * PAC);
    // An expired link frees it too: it can no longer be signed.
    clock += 16 * 60_000;
    await pay(p, account(), 40n * PAC);
    // The first 60 PAC leave the window 24 hours after they were drafted, not at midnight.
    clock = T0 + DAY - 1;
    await refusal(pay(p, account(), 50n * PAC));
    clock = T0 + DAY;
    await pay(p, account(), 50n * PAC);
    // More than the whole limit is refused with no time to wait for.
    const whole = await refusal(pay(p, account(), 101n * PAC));
    expect(whole.message).toContain('more than the whole daily limit');
  });

  it('stakes and batches count against the daily limit like transfers', async () => {
    clock = T0;
    const p = await person();
    await set(p.id, { setting: 'daily_limit', value: 10n * PAC });
    await draft(
      p,
      {
        type: PayloadType.BatchTransfer,
        from: p.wallet,
        recipients: [
          { to: account(), amount: 3n * PAC },
          { to: account(), amount: 3n * PAC },
        ],
      },
      'batch_transfer',
    );
    const validator = account(AddressType.Validator);
    const bond = {
      type: PayloadType.Bond,
      from: p.wallet,
      to: validator,
      publicKey: null,
      stake: 5n * PAC,
      delegation: null,
    } as Payload;
    expect((await refusal(draft(p, bond, 'bond'))).message).toContain('this stake is 5 PAC');
    await draft(p, { ...bond, stake: 4n * PAC } as Payload, 'bond');
    await refusal(pay(p, account(), 1n));
  });

  it('a limit is raised only after its delay; tightening holds at once; a waiting loosening can be cancelled', async () => {
    clock = T0;
    const p = await person();
    expect((await set(p.id, { setting: 'daily_limit', value: 100n * PAC })).kind).toBe('tightened');
    const raised = await set(p.id, { setting: 'daily_limit', value: 500n * PAC });
    expect(raised).toMatchObject({ kind: 'scheduled', effectiveAt: T0 + DAY });
    await refusal(pay(p, account(), 300n * PAC));
    clock = T0 + DAY - 1;
    await refusal(pay(p, account(), 300n * PAC));
    expect((await limitsOf(db, [p.id], clock, settings)).pending).toHaveLength(1);
    clock = T0 + DAY;
    await pay(p, account(), 300n * PAC);
    expect((await limitsOf(db, [p.id], clock, settings)).limits.dailyLimit).toBe(500n * PAC);
    // Cancelled in time: the limit stays.
    await set(p.id, { setting: 'daily_limit', value: null });
    expect(await cancelLoosenings(db, [p.id], clock, settings)).toHaveLength(1);
    clock += 2 * DAY;
    expect((await limitsOf(db, [p.id], clock, settings)).limits.dailyLimit).toBe(500n * PAC);
    // Tightening during a wait ends the wait: the newer word holds.
    await set(p.id, { setting: 'daily_limit', value: 1000n * PAC });
    expect((await set(p.id, { setting: 'daily_limit', value: 10n * PAC })).kind).toBe('tightened');
    clock += 2 * DAY;
    expect((await limitsOf(db, [p.id], clock, settings)).limits.dailyLimit).toBe(10n * PAC);
    // Every loosening waits: the allowlist off, a shorter cooling-off, a shorter undo window.
    for (const [tight, loose] of [
      [
        { setting: 'allowlist', value: true },
        { setting: 'allowlist', value: false },
      ],
      [
        { setting: 'cooling_off', value: DAY },
        { setting: 'cooling_off', value: HOUR },
      ],
      [
        { setting: 'undo', value: 60 },
        { setting: 'undo', value: 0 },
      ],
      [
        { setting: 'tx_limit', value: PAC },
        { setting: 'tx_limit', value: null },
      ],
    ] as [LimitChange, LimitChange][]) {
      expect((await set(p.id, tight)).kind).toBe('tightened');
      expect((await set(p.id, loose)).kind).toBe('scheduled');
    }
    const { limits } = await limitsOf(db, [p.id], clock, settings);
    expect(limits).toMatchObject({ allowlist: true, coolingOffMs: DAY, undoSeconds: 60, txLimit: PAC });
    clock += DAY;
    expect((await limitsOf(db, [p.id], clock, settings)).limits).toMatchObject({
      allowlist: false,
      coolingOffMs: HOUR,
      undoSeconds: 0,
      txLimit: null,
    });
  });

  it("a person is held to the strictest of their chat accounts, and a wallet's limits hold whoever drafts from it", async () => {
    clock = T0;
    const discord = await person('discord');
    const telegram = { ...(await person('telegram')), wallet: discord.wallet };
    await addLinkedAddress(db, telegram.id, s(discord.wallet));
    await set(discord.id, { setting: 'daily_limit', value: 100n * PAC });
    await refusal(pay(telegram, account(), 200n * PAC));
    // Raising it from the other account waits the same delay, then lifts it for both.
    expect((await set(telegram.id, { setting: 'daily_limit', value: 1000n * PAC })).kind).toBe('scheduled');
    await refusal(pay(telegram, account(), 200n * PAC));
    clock += DAY;
    await pay(telegram, account(), 200n * PAC);
    await pay(discord, account(), 200n * PAC);
    // A chat account that never linked the wallet, asking to spend from it, is held by the wallet's people.
    await set(discord.id, { setting: 'tx_limit', value: 5n * PAC });
    const stranger = await person('discord');
    await refusal(pay({ ...stranger, wallet: discord.wallet }, account(), 6n * PAC));
  });

  it('allowlist: only contacts saved long enough ago and the person’s own wallets may receive', async () => {
    clock = T0;
    const p = await person();
    const own = account(AddressType.BlsAccount);
    await addLinkedAddress(db, p.id, s(own));
    await set(p.id, { setting: 'allowlist', value: true });
    const stranger = account();
    const error = await refusal(pay(p, stranger, PAC));
    expect(error.code).toBe('limit_allowlist');
    expect(error.message).toContain(`${s(stranger)} is neither`);
    await pay(p, own, PAC);
    // A stake to the validator of one's own BLS key is to oneself.
    await draft(
      p,
      {
        type: PayloadType.Bond,
        from: p.wallet,
        to: Address.fromHash(AddressType.Validator, own.hash),
        publicKey: null,
        stake: PAC,
        delegation: null,
      } as Payload,
      'bond',
    );
    // Saving a contact is how the allowlist would be lifted at once: a new contact waits the loosening delay.
    await saveContact(db, p.id, 'alice', s(stranger), clock);
    const young = await refusal(pay(p, stranger, PAC));
    expect(young.message).toContain('alice');
    expect(young.message).toContain('2026-12-07 12:00 UTC');
    clock += DAY;
    await pay(p, stranger, PAC);
    // Re-pointing a name at another address starts the wait again.
    const other = account();
    await saveContact(db, p.id, 'alice', s(other), clock);
    await refusal(pay(p, other, PAC));
    // Every recipient of a batch is checked.
    await refusal(
      draft(
        p,
        {
          type: PayloadType.BatchTransfer,
          from: p.wallet,
          recipients: [
            { to: own, amount: PAC },
            { to: account(), amount: PAC },
          ],
        },
        'batch_transfer',
      ),
    );
  });

  it('cooling-off: a first payment to a new address waits from when it was first asked for', async () => {
    clock = T0;
    const p = await person();
    await set(p.id, { setting: 'cooling_off', value: DAY });
    const fresh = account();
    const first = await refusal(pay(p, fresh, PAC));
    expect(first.code).toBe('limit_cooling_off');
    expect(first.message).toContain('2026-12-07 12:00 UTC');
    clock += HOUR;
    // Asking again does not restart the wait.
    expect((await refusal(pay(p, fresh, PAC))).message).toContain('2026-12-07 12:00 UTC');
    clock = T0 + DAY;
    const paid = await pay(p, fresh, PAC);
    // Once paid (confirmed), the address is known for good, even to a longer cooling-off.
    await rows(db, sql`UPDATE drafts SET status = 'confirmed' WHERE id = ${paid.draftId}`);
    await set(p.id, { setting: 'cooling_off', value: 7 * DAY });
    await pay(p, fresh, PAC);
    // A contact saved long enough ago is no new address; the person's own wallets never wait.
    const friend = account();
    await saveContact(db, p.id, 'friend', s(friend), clock - 8 * DAY);
    await pay(p, friend, PAC);
    const own = account();
    await addLinkedAddress(db, p.id, s(own));
    await pay(p, own, PAC);
  });

  it('two drafts at once (two connections on PostgreSQL) cannot both fit into what is left of the daily limit', async () => {
    clock = T0;
    const p = await person();
    await set(p.id, { setting: 'daily_limit', value: 100n * PAC });
    // Two pools on PostgreSQL, as two processes would have. SQLite's driver is synchronous, so a second handle in
    // this process would wait on the first one's lock with the event loop blocked: one handle races itself.
    const second = dialect === 'postgres' ? await openDatabase(store.url) : db;
    try {
      const gateOn = (handle: Db) => (to: Address) => {
        const tx = newTransaction({
          lockTime: 1,
          fee: PAC / 100n,
          memo: '',
          payload: { type: PayloadType.Transfer, from: p.wallet, to, amount: 60n * PAC },
        });
        return new LimitsGate(handle, config).admit(p.req, 'transfer', tx, () =>
          issueTransactionDraft(handle, config, p.req, {
            kind: 'transfer',
            tx,
            signer: s(p.wallet),
            signerUnlinked: false,
            notes: [],
          }),
        );
      };
      for (let round = 0; round < 4; round++) {
        clock += 2 * DAY;
        const results = await Promise.allSettled([gateOn(db)(account()), gateOn(second)(account())]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(failed.reason).toBeInstanceOf(LimitError);
      }
    } finally {
      if (second !== db) await closeDatabase(second);
    }
  });

  it('two links signed at once after the daily limit was lowered (two connections on PostgreSQL): one fits, the other is refused', async () => {
    clock = T0;
    const p = await person();
    const second = dialect === 'postgres' ? await openDatabase(store.url) : db;
    const { drafts } = tables(db);
    try {
      for (let round = 0; round < 4; round++) {
        clock += 2 * DAY;
        await set(p.id, { setting: 'daily_limit', value: 100n * PAC });
        const links = [await pay(p, account(), 40n * PAC), await pay(p, account(), 40n * PAC)];
        await set(p.id, { setting: 'daily_limit', value: 60n * PAC });
        // As the signer does, in the transaction that consumes the link, each on its own connection.
        const sign = (handle: Db, link: (typeof links)[number]) =>
          transaction(handle, async (t) => {
            await new LimitsGate(handle, config).recheck(
              t,
              { id: link.draftId, chatAccountId: p.id, kind: 'transfer', signer: s(p.wallet) },
              link.tx,
            );
            await t.update(drafts).set({ status: 'submitted' }).where(eq(drafts.id, link.draftId));
          });
        const results = await Promise.allSettled([sign(db, links[0]!), sign(second, links[1]!)]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(failed.reason).toBeInstanceOf(LimitError);
        expect((failed.reason as LimitError).message).toContain('cannot be signed any more');
        // Loosening waits a day, as always: back to 100 for the next round.
        await set(p.id, { setting: 'daily_limit', value: 100n * PAC });
        clock += DAY;
      }
    } finally {
      if (second !== db) await closeDatabase(second);
    }
  });
});
