// The delegation log and the snapshot's frozen set on SQLite and PostgreSQL: generated logs of accepted rows give
// the same current choices, delegators and snapshot state on both stores as the pure rules do in memory, and a
// frozen set reads back as it was written.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tables, type Db } from '../../../db/connection.js';
import { delegateMap, latestAt } from '../../../governance/delegation.js';
import { delegationMessage } from '../../../governance/delegation-messages.js';
import {
  currentChoices,
  currentDelegators,
  delegationsAt,
  freezeDelegations,
  snapshotDelegates,
  snapshotDelegationsOf,
  snapshotDelegatorsTo,
} from '../../../governance/delegation-store.js';
import { ensureChatAccount } from '../../../wallet/index.js';
import { STORES, openTestDatabase } from '../../support/stores.js';

const HOLDERS = ['tpc1holdera', 'tpc1holderb', 'tpc1holderc', 'tpc1holderd'].map((h) => h.padEnd(42, 'q'));
const event = fc.record({
  holder: fc.constantFrom(...HOLDERS),
  delegate: fc.option(fc.constantFrom(...HOLDERS), { nil: null }),
  height: fc.integer({ min: 1, max: 12 }),
});

describe.each(STORES)('delegations on %s', (dialect) => {
  let db: Db;
  let close: () => Promise<void>;
  let run = 0;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(dialect));
  });
  afterAll(() => close?.());

  async function write(log: { holder: string; delegate: string | null; height: number }[]) {
    const { delegations } = tables(db);
    run++;
    // Each generated log is a fresh set of holders (suffixed by run), so runs do not see each other's rows.
    const rows = log.map((e, i) => ({
      delegator: `${e.holder}${run}`,
      delegate: e.delegate && `${e.delegate}${run}`,
      height: e.height,
      nonce: `${String(run).padStart(8, '0')}${String(i).padStart(8, '0')}`,
    }));
    for (const r of rows) {
      const message = delegationMessage({
        kind: r.delegate ? 'delegate' : 'revoke',
        domain: 'bot.example',
        from: [r.delegator],
        delegate: r.delegate,
        height: r.height,
        issued: new Date(1_700_000_000_000 + run * 1000).toISOString(),
        nonce: r.nonce,
      });
      await db.insert(delegations).values({
        ...r,
        message,
        publicKey: 'k',
        signature: `s${r.nonce}`,
        issuedAt: 1,
        acceptedAt: 1,
        chatAccountId: null,
      });
    }
    return rows;
  }

  it('current choices, delegators and the state at a snapshot match the rules in memory', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { maxLength: 12 }),
        fc.integer({ min: 0, max: 12 }),
        async (log, h) => {
          const rows = await write(log);
          const events = rows.map((r) => ({
            delegator: r.delegator,
            delegate: r.delegate,
            height: r.height,
          }));
          const holders = [...new Set(HOLDERS.map((x) => `${x}${run}`))];
          const current = await currentChoices(db, holders);
          const expected = latestAt(events, Infinity);
          expect([...current.values()].map((r) => r.delegator).sort()).toEqual(
            expected.map((e) => e.delegator),
          );
          for (const e of expected) expect(current.get(e.delegator)!.delegate).toBe(e.delegate);
          const target = holders[0]!;
          expect((await currentDelegators(db, [target])).map((r) => r.delegator).sort()).toEqual(
            expected.filter((e) => e.delegate === target).map((e) => e.delegator),
          );
          const powered = new Set(holders.slice(0, 3));
          const at = await delegationsAt(db, h, powered);
          expect(at.map((d) => d.signature.address)).toEqual(
            latestAt(events, h, powered).map((e) => e.delegator),
          );
        },
      ),
      { numRuns: dialect === 'postgres' ? 12 : 25 },
    );
  });

  it('a frozen snapshot reads back by holder, with its delegates and who delegated to whom', async () => {
    const { proposals } = tables(db);
    const chatAccountId = await ensureChatAccount(db, { platform: 'console', userId: 'proposer' });
    const [p] = await db
      .insert(proposals)
      .values({
        title: 't',
        body: 'b',
        chatAccountId,
        platform: 'console',
        network: 'testnet',
        durationMs: 1000,
        message: '',
        hash: '',
        rules: {},
        snapshotHeight: 12,
        snapshotHash: '',
        totalPower: 0n,
      })
      .returning({ id: proposals.id });
    const rows = await write([
      { holder: HOLDERS[2]!, delegate: HOLDERS[0]!, height: 3 },
      { holder: HOLDERS[1]!, delegate: HOLDERS[0]!, height: 4 },
      { holder: HOLDERS[3]!, delegate: null, height: 5 },
    ]);
    const held = await delegationsAt(db, 12, new Set(rows.map((r) => r.delegator)));
    await freezeDelegations(db, p!.id, held);
    expect(await snapshotDelegationsOf(db, p!.id)).toEqual(held);
    expect(await snapshotDelegates(db, p!.id)).toEqual(
      delegateMap(rows.map((r) => ({ delegator: r.delegator, delegate: r.delegate }))),
    );
    expect(
      (await snapshotDelegatorsTo(db, p!.id, [`${HOLDERS[0]}${run}`])).map((r) => r.delegator).sort(),
    ).toEqual([rows[1]!.delegator, rows[0]!.delegator].sort());
  });
});
