// Rewards per chain identity: one validator relinked to fresh chat accounts (on any platform, in any order, with the
// links overlapping or not, settled as it goes or all at the end, with an honest person's interactions in between)
// earns one vote reward per proposal and one question reward per cooldown, and one person moving addresses between
// chat accounts stays inside the day's person cap. Generated with fast-check against the real RewardsService, a
// SQLite file and the devnet's stakes; each run is its own UTC day and proposal, so runs share nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../db/connection.js';
import { DEFAULT_DEVNET_MNEMONIC, devnetKeys } from '../../../devnet/genesis.js';
import { DEFAULT_REWARDS, type RewardsConfig } from '../../../rewards/config.js';
import { identityOf, recordLinks, sameKey, voteClaims } from '../../../rewards/persons.js';
import { accrue } from '../../../rewards/ledger.js';
import { PrivateKey } from '../../../pactus/keys.js';
import { RewardsService } from '../../../rewards/service.js';
import { addLinkedAddress, ensureChatAccount, unlinkAddress } from '../../../wallet/index.js';
import { rows } from '../../support/db.js';
import { useDevnet } from '../../support/devnet.js';
import { STORES, openTestDatabase } from '../../support/stores.js';

const chain = useDevnet();
const validators = devnetKeys(DEFAULT_DEVNET_MNEMONIC).validators.map((v) => v.address.toString('testnet'));
const MILLI = 1_000_000n; // 0.001 PAC
const config: RewardsConfig = {
  ...DEFAULT_REWARDS,
  amounts: { question: MILLI, transaction: MILLI, vote: MILLI },
  dailyCap: 4n * MILLI, // per address
  personDailyCap: 6n * MILLI, // less than two addresses' caps: moving one address away must not lift it
  dailyBudget: 1000n * MILLI,
  cooldownMs: 60_000,
};
const PLATFORMS = ['console', 'discord', 'telegram'] as const;

let dir: string;
let db: Db;
let clock = 0;
let rewards: RewardsService;
let run = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'relink-'));
  db = await openDatabase(join(dir, 'bot.db'));
  rewards = new RewardsService(db, config, chain.client, pino({ level: 'silent' }), () => clock);
});
afterAll(async () => {
  await rewards?.stop();
  if (db) await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh UTC day (noon) and proposal for each run. */
function nextRun(): { day: number; proposal: number; tag: string } {
  run++;
  clock = Date.UTC(2030, 0, 1, 12) + run * 86_400_000;
  return { day: clock, proposal: 10_000 + run, tag: `r${run}` };
}

const account = (tag: string, name: string, platform: string) =>
  ensureChatAccount(db, { platform, userId: `${tag}-${name}` });

/** Rewards of a kind earned today on these addresses or by these chat accounts. */
async function earned(kind: string, day: number, addresses: string[], accounts: number[]) {
  const list = await rows<{ amount: string; address: string; chat_account_id: number }>(
    db,
    `SELECT amount, address, chat_account_id FROM rewards WHERE kind = '${kind}' AND day = '${new Date(day).toISOString().slice(0, 10)}'`,
  );
  return list.filter((r) => addresses.includes(r.address) || accounts.includes(r.chat_account_id));
}

async function unlinkAll(accounts: number[]) {
  for (const id of accounts)
    for (const { address } of await rows<{ address: string }>(
      db,
      `SELECT address FROM linked_addresses WHERE chat_account_id = ${id}`,
    ))
      await unlinkAddress(db, id, address);
}

it('one validator relinked to fresh chat accounts earns one vote per proposal and one question per cooldown', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom(...PLATFORMS), { minLength: 2, maxLength: 5 }),
      fc.constantFrom('move', 'overlap', 'keep'),
      // Where the honest person's interactions and the settling passes fall among the attacker's steps.
      fc.array(fc.nat(), { minLength: 4, maxLength: 12 }),
      fc.boolean(),
      async (platforms, mode, noise, settleAsWeGo) => {
        const { day, proposal, tag } = nextRun();
        const [V, W] = [validators[0]!, validators[1]!];
        const honest = await account(tag, 'honest', 'discord');
        await addLinkedAddress(db, honest, W);
        const attackers = await Promise.all(platforms.map((p, i) => account(tag, `a${i}`, p)));
        const steps: (() => Promise<void>)[] = [];
        attackers.forEach((id, i) => {
          const previous = attackers[i - 1];
          steps.push(async () => {
            if (previous !== undefined && mode === 'move') await unlinkAddress(db, previous, V);
            await addLinkedAddress(db, id, V);
            if (previous !== undefined && mode === 'overlap') await unlinkAddress(db, previous, V);
          });
          steps.push(() => rewards.onBallot(db, { proposalId: proposal, chatAccountId: id, addresses: [V] }));
          steps.push(() => rewards.question(id, 'balance', true));
          if (settleAsWeGo) steps.push(async () => void (await rewards.settle()));
        });
        // The honest person votes and asks once each, somewhere in between; settling passes land anywhere too.
        const extra = [
          () => rewards.onBallot(db, { proposalId: proposal, chatAccountId: honest, addresses: [W] }),
          () => rewards.question(honest, 'balance', true),
          async () => void (await rewards.settle()),
        ];
        noise.forEach((n, k) => steps.splice(n % (steps.length + 1), 0, extra[k % extra.length]!));
        for (const step of steps) {
          clock += 1_000; // all within one cooldown: at most 12 + 3 x 5 steps of a second
          await step();
        }
        await rewards.settle();

        const votes = await earned('vote', day, [V], attackers);
        const questions = await earned('question', day, [V], attackers);
        expect(votes, `votes ${mode} ${platforms}`).toHaveLength(1);
        expect(questions, `questions ${mode} ${platforms}`).toHaveLength(1);
        expect(await earned('vote', day, [W], [honest])).toHaveLength(1);
        expect(await earned('question', day, [W], [honest])).toHaveLength(1);
        await unlinkAll([...attackers, honest]);
      },
    ),
    { numRuns: 16 },
  );
}, 60_000);

it("one person moving two addresses between chat accounts earns at most the day's person cap", async () => {
  await fc.assert(
    fc.asyncProperty(
      // Each ask: which fresh-or-reused account (index), on which platform, asking on which address.
      fc.array(fc.record({ who: fc.nat(3), address: fc.nat(1), platform: fc.constantFrom(...PLATFORMS) }), {
        minLength: 6,
        maxLength: 14,
      }),
      async (asks) => {
        const { day, tag } = nextRun();
        const addresses = [validators[2]!, validators[3]!];
        // The person shows both addresses at once first (one chat account, one question): from then on they are
        // one person for the day, wherever the addresses move.
        const first = await account(tag, 'first', 'console');
        for (const a of addresses) await addLinkedAddress(db, first, a);
        await rewards.question(first, 'balance', true);
        await rewards.settle();
        await unlinkAll([first]);
        const used = [first];
        // Reference model: each ask earns min(amount, the address's cap left, the person's cap left).
        const left = new Map(addresses.map((a) => [a, config.dailyCap]));
        let personLeft = config.personDailyCap;
        const grant = (address: string) => {
          const g = [config.amounts.question, left.get(address)!, personLeft].reduce((a, b) =>
            a < b ? a : b,
          );
          left.set(address, left.get(address)! - g);
          personLeft -= g;
        };
        grant(addresses[0]!); // the first question earned on the first heavy address
        for (const ask of asks) {
          clock += config.cooldownMs + 1_000;
          const id = await account(tag, `p${ask.who}-${ask.platform}`, ask.platform);
          if (!used.includes(id)) used.push(id);
          // The address moves to this account alone: it is unlinked wherever it was.
          const address = addresses[ask.address]!;
          await unlinkAll(used);
          await addLinkedAddress(db, id, address);
          await rewards.question(id, 'balance', true);
          await rewards.settle(); // before the next move, so the address is still linked to be paid to
          grant(address);
        }
        const total = (await earned('question', day, addresses, used)).reduce(
          (sum, r) => sum + BigInt(r.amount),
          0n,
        );
        expect(total).toBe(config.personDailyCap - personLeft);
        expect(total).toBeLessThanOrEqual(config.personDailyCap);
        await unlinkAll(used);
      },
    ),
    { numRuns: 8 },
  );
}, 60_000);

describe.each(STORES)('links as seen, on %s', (dialect) => {
  it('tie a chat account to those an address was linked to earlier that day, both ways, and forget older ones', async () => {
    const opened = await openTestDatabase(dialect);
    const store = opened.db;
    try {
      const [a, b, c, d] = await Promise.all(
        ['a', 'b', 'c', 'd'].map((u) => ensureChatAccount(store, { platform: 'telegram', userId: u })),
      );
      await addLinkedAddress(store, a!, 'V');
      await addLinkedAddress(store, a!, 'X');
      await recordLinks(store, a!, 1_000);
      await recordLinks(store, a!, 500); // an older sighting never moves the last one back
      await unlinkAddress(store, a!, 'V');
      await unlinkAddress(store, a!, 'X');
      await addLinkedAddress(store, b!, 'V');
      await recordLinks(store, b!, 2_000);
      await unlinkAddress(store, b!, 'V');
      await addLinkedAddress(store, c!, 'X');
      await addLinkedAddress(store, d!, 'Y');
      // c holds X now; X was a's, a held V, V was b's: all one identity since 1,000.
      expect(await identityOf(store, c!, 1_000)).toEqual({
        chatAccountIds: [a!, b!, c!].sort((x, y) => x - y),
        addresses: ['V', 'X'],
      });
      // Since 1,500 only b's sighting of V counts: c is alone with X.
      expect(await identityOf(store, c!, 1_500)).toEqual({ chatAccountIds: [c], addresses: ['X'] });
      expect(await identityOf(store, b!, 1_500)).toEqual({ chatAccountIds: [b], addresses: ['V'] });
      expect(await identityOf(store, d!, 0)).toEqual({ chatAccountIds: [d], addresses: ['Y'] });
    } finally {
      await opened.close();
    }
  });

  it('tie a validator to the account of the same key: one chain identity, one vote reward per proposal between them', async () => {
    const opened = await openTestDatabase(dialect);
    const store = opened.db;
    try {
      const key = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(77));
      const validator = key.publicKey().validatorAddress().toString('testnet');
      const account = key.publicKey().accountAddress().toString('testnet');
      const [onDiscord, onTelegram] = await Promise.all(
        ['discord', 'telegram'].map((platform) => ensureChatAccount(store, { platform, userId: 'twin' })),
      );
      await addLinkedAddress(store, onDiscord!, validator);
      await addLinkedAddress(store, onTelegram!, account);
      const both = [onDiscord!, onTelegram!].sort((x, y) => x - y);
      expect((await identityOf(store, onDiscord!, 0)).chatAccountIds).toEqual(both);
      expect((await identityOf(store, onTelegram!, 0)).chatAccountIds).toEqual(both);
      // A ballot signed by the validator, then one by its account from the other platform: the second is a duplicate.
      const vote = (chatAccountId: number, signer: string) =>
        accrue(
          store,
          { ...DEFAULT_REWARDS, ...config },
          {
            address: signer,
            chatAccountId,
            kind: 'vote',
            dedupeKey: `vote:7:${chatAccountId}`,
            claims: voteClaims('vote:7', [signer]),
            now: Date.UTC(2031, 0, 1),
          },
        );
      expect((await vote(onDiscord!, validator)).status).toBe('granted');
      expect((await vote(onTelegram!, account)).status).toBe('duplicate');
    } finally {
      await opened.close();
    }
  });
});

it('sameKey pairs exactly the validator and account addresses of one BLS key, and leaves others alone', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
      let bls: PrivateKey, ed: PrivateKey;
      try {
        bls = PrivateKey.fromBytes('bls', bytes);
        ed = PrivateKey.fromBytes('ed25519', bytes);
      } catch {
        return; // not a scalar of the curve
      }
      for (const network of ['mainnet', 'testnet'] as const) {
        const v = bls.publicKey().validatorAddress().toString(network);
        const a = bls.publicKey().accountAddress().toString(network);
        expect(sameKey(v)).toEqual([v, a]);
        expect(sameKey(a)).toEqual([a, v]);
        const e = ed.publicKey().accountAddress().toString(network);
        expect(sameKey(e)).toEqual([e]);
      }
    }),
    { numRuns: 12 },
  );
  expect(sameKey('not an address')).toEqual(['not an address']);
});
