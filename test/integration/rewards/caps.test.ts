// Caps hold under concurrency: 1,000 interactions at once, in one process and across four processes sharing
// the database, never exceed a cap by a single NanoPAC, on SQLite and on PostgreSQL.
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/connection.js';
import { accrue } from '../../../rewards/ledger.js';
import type { RewardsConfig } from '../../../rewards/config.js';
import { row, rows } from '../../support/db.js';
import { STORES, openTestDatabase } from '../../support/stores.js';

const NANO = 1_000_000_000n;
const config: RewardsConfig = {
  amounts: { question: NANO / 1000n, transaction: (3n * NANO) / 1000n, vote: NANO / 100n },
  dailyCap: NANO / 20n, // 0.05 PAC: 16 full rewards of 0.003 and one partial of 0.002
  personDailyCap: (8n * NANO) / 100n, // 0.08 PAC per person, whatever their number of addresses
  minWeight: NANO,
  minPayout: NANO / 20n,
  dailyBudget: (3n * NANO) / 10n, // 0.3 PAC for everyone
  cooldownMs: 60_000,
  poolAddress: null,
};
const now = Date.UTC(2026, 10, 25, 12);

describe.each(STORES)('on %s', (dialect) => {
  let db: Db;
  let url: string;
  let close: () => Promise<void>;
  beforeEach(async () => {
    const opened = await openTestDatabase(dialect);
    ({ db, close } = opened);
    url = opened.store.url;
  });
  afterEach(() => close());

  const total = async (where = '1=1') =>
    BigInt(
      (
        await row<{ t: string }>(
          db,
          `SELECT CAST(COALESCE(SUM(CAST(amount AS BIGINT)), 0) AS TEXT) AS t FROM rewards WHERE ${where}`,
        )
      ).t,
    );

  describe('daily caps under concurrency', () => {
    it('1,000 parallel interactions for one address stop at its cap exactly', async () => {
      const results = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          Promise.resolve().then(() =>
            accrue(db, config, {
              address: 'one',
              chatAccountId: null,
              kind: 'transaction',
              dedupeKey: `k${i}`,
              now,
            }),
          ),
        ),
      );
      expect(await total()).toBe(config.dailyCap);
      expect(results.filter((r) => r.status === 'granted')).toHaveLength(16);
      expect(results.filter((r) => r.status === 'partial')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'address_cap')).toHaveLength(983);
    });

    it('one person spreading 1,000 parallel interactions over 30 addresses and 3 chat accounts stops at the person cap exactly', async () => {
      const person = { id: 1, chatAccountIds: [1, 2, 3] };
      await rows(
        db,
        "INSERT INTO chat_accounts (id, platform, platform_user_id) VALUES (1, 'console', 'a'), (2, 'discord', 'b'), (3, 'telegram', 'c')",
      );
      const results = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          Promise.resolve().then(() =>
            accrue(db, config, {
              address: `fresh-${i % 30}`,
              chatAccountId: person.chatAccountIds[i % 3]!,
              person,
              kind: 'transaction',
              dedupeKey: `p${i}`,
              now,
            }),
          ),
        ),
      );
      expect(await total()).toBe(config.personDailyCap);
      expect(results.filter((r) => r.status === 'person_cap').length).toBeGreaterThan(900);
      const perAddress = await row<{ m: number }>(
        db,
        'SELECT MAX(s) AS m FROM (SELECT SUM(CAST(amount AS BIGINT)) AS s FROM rewards GROUP BY address)',
      );
      expect(BigInt(perAddress.m)).toBeLessThanOrEqual(config.dailyCap);
    });

    it("the same vote by another of the person's chat accounts is a duplicate", async () => {
      await rows(
        db,
        "INSERT INTO chat_accounts (id, platform, platform_user_id) VALUES (1, 'console', 'a'), (2, 'discord', 'b')",
      );
      const person = { id: 1, chatAccountIds: [1, 2] };
      const vote = (chatAccountId: number) =>
        accrue(db, config, {
          address: 'x',
          chatAccountId,
          person,
          kind: 'vote',
          dedupeKey: `vote:7:${chatAccountId}`,
          sameAs: person.chatAccountIds.map((id) => `vote:7:${id}`),
          now,
        });
      expect((await vote(1)).status).toBe('granted');
      expect((await vote(2)).status).toBe('duplicate');
    });

    it('1,000 parallel interactions for many addresses stop at the global budget exactly', async () => {
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          Promise.resolve().then(() =>
            accrue(db, config, {
              address: `a${i % 250}`,
              chatAccountId: null,
              kind: 'transaction',
              dedupeKey: `k${i}`,
              now,
            }),
          ),
        ),
      );
      expect(await total()).toBe(config.dailyBudget);
      const perAddress = await rows<{ s: number }>(
        db,
        'SELECT address, SUM(CAST(amount AS BIGINT)) AS s FROM rewards GROUP BY address',
      );
      expect(Math.max(...perAddress.map((r) => r.s))).toBeLessThanOrEqual(Number(config.dailyCap));
    });

    it('four processes writing the same database at once: the caps still hold exactly', async () => {
      const env = {
        ...process.env,
        REWARDS_CONFIG: JSON.stringify(config, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)),
      };
      const run = (worker: number, addresses: number) =>
        new Promise<bigint>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [
              '--import',
              'tsx',
              'test/support/accrue-process.ts',
              url,
              String(worker),
              '250',
              String(addresses),
              String(now),
            ],
            { env },
          );
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => process.stderr.write(d));
          child.on('exit', (code) =>
            code === 0 ? resolve(BigInt(out.trim())) : reject(new Error(`worker exited ${code}`)),
          );
        });
      // One shared address: the per-address cap.
      const granted = await Promise.all([1, 2, 3, 4].map((w) => run(w, 1)));
      expect(granted.reduce((a, b) => a + b, 0n)).toBe(config.dailyCap);
      expect(await total("address = 'addr-0'")).toBe(config.dailyCap);
      // Many addresses: the global budget (0.3 PAC, of which 0.05 is already spent above).
      await Promise.all([5, 6, 7, 8].map((w) => run(w, 97)));
      expect(await total()).toBe(config.dailyBudget);
    }, 60_000);

    it('the caps are per UTC day', async () => {
      for (let i = 0; i < 30; i++)
        await accrue(db, config, {
          address: 'one',
          chatAccountId: null,
          kind: 'transaction',
          dedupeKey: `d1-${i}`,
          now,
        });
      const tomorrow = now + 24 * 3_600_000;
      const r = await accrue(db, config, {
        address: 'one',
        chatAccountId: null,
        kind: 'transaction',
        dedupeKey: 'd2',
        now: tomorrow,
      });
      expect(r).toEqual({ granted: config.amounts.transaction, status: 'granted' });
    });
  });
});
