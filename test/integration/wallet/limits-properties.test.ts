// Generated attacks on the two guarantees of a person's limits (SQLite, the bot's clock driven by the test):
// 1. whatever sequence of drafts, signatures, cancels and waits, the drafts that were or still can be signed never
//    add up to more than the daily limit in any 24 hours;
// 2. whatever sequence of changes from any of a person's chat accounts, a limit never becomes looser before the
//    loosening delay has passed since someone asked for exactly that value, and tightening holds at once;
// 3. whatever sequence of drafts, tightenings and signatures, what is signed fits the limits in force when it is
//    signed (a link made before a limit was lowered is checked again), and limits that did not change since a
//    link was made never refuse its signature.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDatabase, openDatabase, tables, transaction, type Db } from '../../../db/connection.js';
import type { GuardSetting } from '../../../db/schema.js';
import { Address, AddressType } from '../../../pactus/address.js';
import { PayloadType, newTransaction } from '../../../pactus/tx.js';
import { addLinkedAddress, cancelDraft, ensureChatAccount } from '../../../wallet/index.js';
import { issueTransactionDraft } from '../../../wallet/draft-issue.js';
import { LimitError, LimitsGate, limitSettingsOf } from '../../../wallet/limits/gate.js';
import {
  cancelLoosenings,
  changeLimit,
  currentValue,
  isStricter,
  limitsOf,
  type LimitChange,
} from '../../../wallet/limits/settings.js';
import { rows } from '../../support/db.js';
import { testnetWalletConfig } from '../../support/wallet-config.js';

const PAC = 1_000_000_000n;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const LINK_TTL = 15 * 60_000;

let dir: string;
let db: Db;
let clock = Date.UTC(2026, 0, 1);
const config = testnetWalletConfig({
  linkTtlMs: LINK_TTL,
  now: () => clock,
  loosenDelayMs: DAY,
  undoDefaultSeconds: 10,
});
const settings = limitSettingsOf(config);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'limits-props-'));
  db = await openDatabase(join(dir, 'bot.db'));
});
afterAll(async () => {
  await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

const address = () => Address.fromHash(AddressType.Ed25519Account, randomBytes(20));

type DraftOp =
  | { kind: 'advance'; ms: number }
  | { kind: 'draft'; amount: bigint }
  | { kind: 'sign'; pick: number }
  | { kind: 'cancel'; pick: number };

const draftOp: fc.Arbitrary<DraftOp> = fc.oneof(
  {
    arbitrary: fc.integer({ min: 1, max: 30 * HOUR }).map((ms) => ({ kind: 'advance' as const, ms })),
    weight: 2,
  },
  {
    arbitrary: fc.integer({ min: 1, max: 20 * 60_000 }).map((ms) => ({ kind: 'advance' as const, ms })),
    weight: 2,
  },
  // Close to a day: where an off-by-an-hour window would let a payment in early.
  {
    arbitrary: fc
      .integer({ min: DAY - 2 * HOUR, max: DAY + HOUR })
      .map((ms) => ({ kind: 'advance' as const, ms })),
    weight: 2,
  },
  {
    arbitrary: fc.bigInt({ min: 1n, max: 150n * PAC }).map((amount) => ({ kind: 'draft' as const, amount })),
    weight: 5,
  },
  { arbitrary: fc.nat().map((pick) => ({ kind: 'sign' as const, pick })), weight: 4 },
  { arbitrary: fc.nat().map((pick) => ({ kind: 'cancel' as const, pick })), weight: 1 },
);

it('generated sequences never get links for more than the daily limit in any 24 hours', async () => {
  let runs = 0;
  let reachedLimit = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.bigInt({ min: 1n, max: 300n * PAC }),
      fc.array(draftOp, { minLength: 4, maxLength: 20 }),
      async (limit, ops) => {
        clock += 100 * DAY;
        const id = await ensureChatAccount(db, {
          platform: 'console',
          userId: randomBytes(6).toString('hex'),
        });
        const wallet = address();
        await addLinkedAddress(db, id, wallet.toString('testnet'));
        await changeLimit(db, id, [id], { setting: 'daily_limit', value: limit }, clock, settings);
        const req = { chatAccountId: id, platform: 'console', chatId: null };
        const made: { id: string; amount: bigint; at: number; signed: boolean; cancelled: boolean }[] = [];
        let refused = 0;
        runs++;
        for (const op of ops) {
          if (op.kind === 'advance') clock += op.ms;
          else if (op.kind === 'draft') {
            const tx = newTransaction({
              lockTime: 1,
              fee: PAC / 100n,
              memo: '',
              payload: { type: PayloadType.Transfer, from: wallet, to: address(), amount: op.amount },
            });
            try {
              const result = await new LimitsGate(db, config).admit(req, 'transfer', tx, () =>
                issueTransactionDraft(db, config, req, {
                  kind: 'transfer',
                  tx,
                  signer: wallet.toString('testnet'),
                  signerUnlinked: false,
                  notes: [],
                }),
              );
              made.push({
                id: result.draftId,
                amount: op.amount,
                at: clock,
                signed: false,
                cancelled: false,
              });
            } catch (error) {
              if (!(error instanceof LimitError)) throw error;
              refused++;
            }
          } else {
            // Only a live link can be signed or cancelled.
            const live = made.filter((d) => !d.signed && !d.cancelled && d.at + LINK_TTL > clock);
            const target = live[op.pick % Math.max(1, live.length)];
            if (!target) continue;
            if (op.kind === 'sign') {
              await rows(db, `UPDATE drafts SET status = 'submitted' WHERE id = '${target.id}'`);
              target.signed = true;
            } else {
              expect(await cancelDraft(db, target.id, id, clock)).toBe(true);
              target.cancelled = true;
            }
          }
        }
        // What moved or still can move money: signed drafts, and unsigned links still alive.
        const spendable = made.filter((d) => d.signed || (!d.cancelled && d.at + LINK_TTL > clock));
        for (const start of spendable) {
          const inWindow = spendable.filter((d) => d.at >= start.at && d.at < start.at + DAY);
          expect(inWindow.reduce((sum, d) => sum + d.amount, 0n)).toBeLessThanOrEqual(limit);
        }
        // The runs must reach the limit, or the property says nothing: most of them do.
        if (refused) reachedLimit++;
      },
    ),
    {
      numRuns: 60,
      // The attack on the window's edge, always tried: a signed payment, then another just under a day later.
      examples: [
        [
          100n * PAC,
          [
            { kind: 'draft', amount: 80n * PAC },
            { kind: 'sign', pick: 0 },
            { kind: 'advance', ms: DAY - 30 * 60_000 },
            { kind: 'draft', amount: 80n * PAC },
          ],
        ],
      ],
    },
  );
  expect(reachedLimit).toBeGreaterThan(runs / 3);
});

const SETTING_VALUES: Record<GuardSetting, fc.Arbitrary<LimitChange['value']>> = {
  daily_limit: fc.option(
    fc.bigInt({ min: 0n, max: 50n }).map((n) => n * 10n * PAC),
    { nil: null },
  ),
  tx_limit: fc.option(
    fc.bigInt({ min: 0n, max: 50n }).map((n) => n * PAC),
    { nil: null },
  ),
  allowlist: fc.boolean(),
  cooling_off: fc.constantFrom(0, HOUR, DAY, 3 * DAY),
  undo: fc.integer({ min: 0, max: 300 }),
};

type SettingOp =
  | { kind: 'change'; who: 0 | 1; change: LimitChange }
  | { kind: 'cancel'; who: 0 | 1 }
  | { kind: 'advance'; ms: number };

const settingOp: fc.Arbitrary<SettingOp> = fc.oneof(
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom<0 | 1>(0, 1),
        fc.constantFrom<GuardSetting>('daily_limit', 'tx_limit', 'allowlist', 'cooling_off', 'undo'),
      )
      .chain(([who, setting]) =>
        SETTING_VALUES[setting].map((value) => ({
          kind: 'change' as const,
          who,
          change: { setting, value } as LimitChange,
        })),
      ),
    weight: 5,
  },
  { arbitrary: fc.constantFrom<0 | 1>(0, 1).map((who) => ({ kind: 'cancel' as const, who })), weight: 1 },
  {
    arbitrary: fc
      .oneof(fc.integer({ min: 1, max: 2 * HOUR }), fc.integer({ min: DAY - HOUR, max: DAY + HOUR }))
      .map((ms) => ({ kind: 'advance' as const, ms })),
    weight: 3,
  },
);

it('generated changes from two chat accounts of one person never loosen a limit before its delay', async () => {
  const SETTINGS: GuardSetting[] = ['daily_limit', 'tx_limit', 'allowlist', 'cooling_off', 'undo'];
  await fc.assert(
    fc.asyncProperty(fc.array(settingOp, { minLength: 3, maxLength: 20 }), async (ops) => {
      clock += 100 * DAY;
      const wallet = address().toString('testnet');
      const accounts: number[] = [];
      for (const platform of ['discord', 'telegram']) {
        const id = await ensureChatAccount(db, { platform, userId: randomBytes(6).toString('hex') });
        await addLinkedAddress(db, id, wallet);
        accounts.push(id);
      }
      const asked: { change: LimitChange; at: number }[] = [];
      let before = (await limitsOf(db, accounts, clock, settings)).limits;
      for (const op of ops) {
        if (op.kind === 'advance') clock += op.ms;
        else if (op.kind === 'cancel') await cancelLoosenings(db, accounts, clock, settings);
        else {
          asked.push({ change: op.change, at: clock });
          const tighter = !isStricter(
            op.change.setting,
            currentValue(before, op.change.setting),
            op.change.value,
          );
          await changeLimit(db, accounts[op.who]!, accounts, op.change, clock, settings);
          // As strict or stricter than what held: it holds at once.
          if (tighter)
            expect(
              currentValue((await limitsOf(db, accounts, clock, settings)).limits, op.change.setting),
            ).toEqual(op.change.value);
        }
        const after = (await limitsOf(db, accounts, clock, settings)).limits;
        for (const setting of SETTINGS) {
          const was = currentValue(before, setting);
          const now = currentValue(after, setting);
          if (!isStricter(setting, was, now)) continue;
          // Looser now: someone asked for exactly this value at least the delay ago.
          expect(
            asked.some(
              (a) =>
                a.change.setting === setting &&
                a.change.value === now &&
                a.at + settings.loosenDelayMs <= clock,
            ),
            `${setting} loosened from ${String(was)} to ${String(now)} at ${clock}`,
          ).toBe(true);
        }
        before = after;
      }
    }),
    {
      numRuns: 40,
      // The hijacker's move, always tried: lift the limit from the other chat account, then wait almost a day.
      examples: [
        [
          [
            { kind: 'change', who: 0, change: { setting: 'daily_limit', value: 100n * PAC } },
            { kind: 'change', who: 1, change: { setting: 'daily_limit', value: null } },
            { kind: 'advance', ms: DAY - 10_000 },
            { kind: 'advance', ms: 10_000 },
          ],
        ],
      ],
    },
  );
});

type SignOp =
  | { kind: 'advance'; ms: number }
  | { kind: 'draft'; amount: bigint }
  | { kind: 'sign'; pick: number }
  | { kind: 'tighten'; setting: 'daily_limit' | 'tx_limit'; part: number };

const signOp: fc.Arbitrary<SignOp> = fc.oneof(
  {
    arbitrary: fc
      .oneof(fc.integer({ min: 1, max: 10 * 60_000 }), fc.integer({ min: DAY - HOUR, max: DAY + HOUR }))
      .map((ms) => ({ kind: 'advance' as const, ms })),
    weight: 2,
  },
  {
    arbitrary: fc.bigInt({ min: 1n, max: 120n * PAC }).map((amount) => ({ kind: 'draft' as const, amount })),
    weight: 4,
  },
  { arbitrary: fc.nat().map((pick) => ({ kind: 'sign' as const, pick })), weight: 4 },
  {
    // A tightening to a share (in %) of what holds: the owner's reaction to a taken-over chat account.
    arbitrary: fc
      .record({
        setting: fc.constantFrom<'daily_limit' | 'tx_limit'>('daily_limit', 'tx_limit'),
        part: fc.integer({ min: 0, max: 100 }),
      })
      .map((t) => ({ kind: 'tighten' as const, ...t })),
    weight: 1,
  },
);

it('generated links signed after limits tightened: never more than the limits in force at signing, and unchanged limits never refuse a signature', async () => {
  const { drafts } = tables(db);
  let refusedAtSigning = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.bigInt({ min: 50n * PAC, max: 300n * PAC }),
      fc.array(signOp, { minLength: 4, maxLength: 24 }),
      async (start, ops) => {
        clock += 100 * DAY;
        const id = await ensureChatAccount(db, {
          platform: 'console',
          userId: randomBytes(6).toString('hex'),
        });
        const wallet = address();
        const signer = wallet.toString('testnet');
        await addLinkedAddress(db, id, signer);
        const req = { chatAccountId: id, platform: 'console', chatId: null };
        const gate = new LimitsGate(db, config);
        let limits = { daily_limit: start, tx_limit: start };
        await changeLimit(db, id, [id], { setting: 'daily_limit', value: start }, clock, settings);
        await changeLimit(db, id, [id], { setting: 'tx_limit', value: start }, clock, settings);
        let tightenings = 0;
        const made: {
          id: string;
          tx: ReturnType<typeof newTransaction>;
          amount: bigint;
          at: number;
          signed: boolean;
          tightenings: number;
        }[] = [];
        for (const op of ops) {
          if (op.kind === 'advance') clock += op.ms;
          else if (op.kind === 'tighten') {
            const value = (limits[op.setting] * BigInt(op.part)) / 100n;
            await changeLimit(db, id, [id], { setting: op.setting, value }, clock, settings);
            limits = { ...limits, [op.setting]: value };
            tightenings++;
          } else if (op.kind === 'draft') {
            const tx = newTransaction({
              lockTime: 1,
              fee: PAC / 100n,
              memo: '',
              payload: { type: PayloadType.Transfer, from: wallet, to: address(), amount: op.amount },
            });
            const result = await gate
              .admit(req, 'transfer', tx, () =>
                issueTransactionDraft(db, config, req, {
                  kind: 'transfer',
                  tx,
                  signer,
                  signerUnlinked: false,
                  notes: [],
                }),
              )
              .catch((error: unknown) => {
                if (error instanceof LimitError) return null;
                throw error;
              });
            if (result)
              made.push({ id: result.draftId, tx, amount: op.amount, at: clock, signed: false, tightenings });
          } else {
            const live = made.filter((d) => !d.signed && d.at + LINK_TTL > clock);
            const target = live[op.pick % Math.max(1, live.length)];
            if (!target) continue;
            // As the signer does, in the transaction that consumes the link.
            const outcome = await transaction(db, async (t) => {
              await gate.recheck(
                t,
                { id: target.id, chatAccountId: id, kind: 'transfer', signer },
                target.tx,
              );
              await t.update(drafts).set({ status: 'submitted' }).where(eq(drafts.id, target.id));
              return 'signed' as const;
            }).catch((error: unknown) => {
              if (error instanceof LimitError) return error;
              throw error;
            });
            if (outcome !== 'signed') {
              // Limits that did not change since the link was made let it through at drafting: never refused now.
              expect(target.tightenings, outcome.message).toBeLessThan(tightenings);
              refusedAtSigning++;
              continue;
            }
            target.signed = true;
            // What is signed in the 24 hours up to this signature fits the limits in force now.
            const signed = made.filter((d) => d.signed && d.at > clock - DAY);
            expect(signed.reduce((sum, d) => sum + d.amount, 0n)).toBeLessThanOrEqual(limits.daily_limit);
            expect(target.amount).toBeLessThanOrEqual(limits.tx_limit);
          }
        }
      },
    ),
    {
      numRuns: 40,
      // The owner's move, always tried: two links made, the limit lowered, both signed: only one fits.
      examples: [
        [
          100n * PAC,
          [
            { kind: 'draft', amount: 40n * PAC },
            { kind: 'draft', amount: 40n * PAC },
            { kind: 'tighten', setting: 'daily_limit', part: 60 },
            { kind: 'sign', pick: 0 },
            { kind: 'sign', pick: 0 },
          ],
        ],
      ],
    },
  );
  // The property must meet refusals at signing, or it says nothing about them.
  expect(refusedAtSigning).toBeGreaterThan(0);
});
