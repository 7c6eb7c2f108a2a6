// Reward settlement when the database drops the connection in the middle of granting (PostgreSQL terminating the
// session, as a restart or failover does, inside the granting transaction) or the node stops answering: the event
// is left unsettled and granted on the next try, never recorded as an error (which would lose the reward for good).
// The database fault is PostgreSQL's own: a trigger on the ledger ends its session once, mid-transaction.
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NodeUnavailable } from '../../../chain/errors.js';
import { PactusNodeClient } from '../../../chain/client.js';
import { closeDatabase, openDatabase, type Db } from '../../../db/connection.js';
import { startDevnet, type Devnet } from '../../../devnet/index.js';
import { DEFAULT_REWARDS } from '../../../rewards/config.js';
import { recordRewardEvent } from '../../../rewards/events.js';
import { RewardsService } from '../../../rewards/service.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/accounts.js';
import { rows } from '../../support/db.js';
import { newStore, type TestStore } from '../../support/stores.js';
import { devnetAccount } from '../../support/txs.js';
import { waitFor } from '../../support/wait.js';

let devnet: Devnet;
let node: PactusNodeClient;
let store: TestStore;
let db: Db;
beforeAll(async () => {
  [devnet, store] = await Promise.all([startDevnet({ blockMs: 1000 }), newStore('postgres')]);
  node = new PactusNodeClient({ endpoints: [devnet.endpoint], deadlineMs: 2000 });
  db = await openDatabase(store.url);
});
afterAll(async () => {
  node.close();
  await closeDatabase(db);
  await store.drop();
  await devnet.stop();
});

it('a session terminated inside the granting transaction, then the node away: the rewards wait and are granted, never lost', async () => {
  // The first insert into the ledger ends its own session (57P01, "terminating connection due to administrator
  // command"); a sequence counts, since it is not rolled back with the transaction it ends.
  await rows(db, 'CREATE SEQUENCE ledger_faults');
  await rows(
    db,
    `CREATE FUNCTION end_session_once() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF nextval('ledger_faults') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
       RETURN NEW;
     END $$`,
  );
  await rows(
    db,
    'CREATE TRIGGER end_session_once BEFORE INSERT ON rewards FOR EACH ROW EXECUTE FUNCTION end_session_once()',
  );
  const account = await ensureChatAccount(db, { platform: 'console', userId: 'earner' });
  await addLinkedAddress(
    db,
    account,
    devnetAccount(devnet, 'ed25519-account', 1).address.toString('testnet'),
  );
  let asked = 0;
  const chain = {
    // The node is real; it stops answering once, on the second pass.
    getAccount: async (address: string) => {
      if (++asked === 2) throw new NodeUnavailable('the node stopped answering');
      return node.getAccount(address);
    },
    findValidator: (address: string) => node.findValidator(address),
  };
  const logs: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(line) });
  const rewards = new RewardsService(db, { ...DEFAULT_REWARDS, cooldownMs: 0 }, chain, logger);
  try {
    for (let i = 0; i < 3; i++)
      await recordRewardEvent(db, {
        kind: 'question',
        chatAccountId: account,
        addresses: [],
        dedupeKey: `q:fault:${i}`,
        subject: null,
        createdAt: Date.now(),
      });
    rewards.poke();
    await waitFor(
      async () => (await rows(db, 'SELECT id FROM reward_events WHERE processed_at IS NULL')).length === 0,
      30_000,
    );
    const outcomes = await rows<{ outcome: string }>(db, 'SELECT outcome FROM reward_events ORDER BY id');
    expect(outcomes.map((o) => o.outcome)).toEqual(['granted', 'granted', 'granted']);
    expect(
      Number((await rows<{ n: string }>(db, 'SELECT last_value AS n FROM ledger_faults'))[0]!.n),
    ).toBeGreaterThan(1);
    expect(asked).toBeGreaterThan(2); // both faults struck, and the pass came back after each
    expect(logs.join('')).not.toMatch(/reward event failed/);
    expect(logs.filter((l) => /reward settlement failed; retrying/.test(l))).toHaveLength(1);
  } finally {
    await rewards.stop();
  }
});
