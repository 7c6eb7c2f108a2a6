// The faults a deployment meets every week, on the real parts: three bot processes (one started by `npm start`, as
// people do) on a PostgreSQL server of their own, one node, Telegram through the strict Bot API emulator.
// 1. PostgreSQL stops for a while under load (a restart, a failover): every process lives on, a request
//    meanwhile is told to try again shortly, an update Telegram keeps posting is answered once, and every
//    notification written around the outage goes out exactly once.
// 2. The process holding the claims freezes (SIGSTOP) mid-batch for longer than its claim: another sends the rest;
//    thawed, the frozen one sends none of them. Only what it had on the wire when it froze can go out twice.
// 3. The leader is killed with SIGKILL: another leads within seconds, and nothing is lost or sent twice.
// 4. kill -9 of the `npm start` PID: the bot it started (and tsx's CLI) go with it.
// 5. SIGTERM and the end of stdin at once: one shutdown, exit 0.
// 6. Reward settlement meets PostgreSQL ending its session inside the granting transaction (a trigger on the
//    ledger does it once, as a restart or failover would), then a node outage: the rewards wait and are granted,
//    never recorded as an error (which would lose them for good).
// 7. PostgreSQL without PACTUS_GRPC is refused at start-up.
// Exactly-once counts are asserted, not timings (only the leader takeover keeps its bound of the lease, 15 s).
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NodeUnavailable } from '../../../chain/errors.js';
import { PactusNodeClient } from '../../../chain/client.js';
import { DEFAULT_REWARDS } from '../../../rewards/config.js';
import { recordRewardEvent } from '../../../rewards/events.js';
import { RewardsService } from '../../../rewards/service.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/accounts.js';
import { devnetAccount } from '../../support/txs.js';
import { CHATS_AT_ONCE } from '../../../bot/core/delivery.js';
import { closeDatabase, openDatabase, type Db } from '../../../db/connection.js';
import { leaseHolder } from '../../../db/leases.js';
import { startDevnet, type Devnet } from '../../../devnet/index.js';
import { writeOutbox } from '../../../wallet/outbox.js';
import { spawnBot, type BotProcess } from '../../support/bot-process.js';
import { rows } from '../../support/db.js';
import { TelegramEmulator } from '../../support/emulators/telegram.js';
import { freePort } from '../../support/ports.js';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server.js';
import { alive, descendants } from '../../support/processes.js';
import { newStore, type TestStore } from '../../support/stores.js';
import { waitFor } from '../../support/wait.js';

let pg: PostgresServer;
let store: TestStore;
let devnet: Devnet;
let tg: TelegramEmulator;
let db: Db;
beforeAll(async () => {
  // A server of its own: the suite's shared one must never stop under the other files.
  tg = new TelegramEmulator();
  [pg, devnet] = await Promise.all([startPostgresServer(), startDevnet({ blockMs: 500 }), tg.start()]);
  store = await newStore('postgres', pg.url);
  db = await openDatabase(store.url);
});
afterAll(async () => {
  await closeDatabase(db);
  await store?.drop();
  await pg?.stop();
  await tg?.stop();
  await devnet?.stop();
});

/** Writes a notification, waiting out the database's absence as the code that writes them in production does. */
async function note(key: string, chat: number): Promise<void> {
  for (;;) {
    try {
      await writeOutbox(db, {
        dedupeKey: key,
        platform: 'telegram',
        recipient: String(chat),
        kind: 'proposal_notice',
        payload: { text: key },
      });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** How many times each notification matching `prefix` reached Telegram, and when each was first received. */
function deliveries(prefix: string): Map<string, { count: number; first: number }> {
  const seen = new Map<string, { count: number; first: number }>();
  for (const call of tg.sent()) {
    const key = new RegExp(`${prefix}-\\d+`).exec(String(call.params.text))?.[0];
    if (!key) continue;
    const entry = seen.get(key) ?? { count: 0, first: call.at };
    entry.count++;
    seen.set(key, entry);
  }
  return seen;
}

it('a PostgreSQL restart under load, a frozen claim holder, the leader killed, a killed `npm start`: nothing lost, nothing doubled', async () => {
  const ports = [await freePort(), await freePort(), await freePort()];
  const env = (port: number, extra: Record<string, string> = {}) => ({
    DATABASE_URL: store.url,
    PACTUS_GRPC: devnet.endpoint,
    TELEGRAM_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram/hook',
    TELEGRAM_WEBHOOK_PORT: String(port),
    SIGNER_PUBLIC_URL: 'https://sign.example.org',
    OUTBOX_CLAIM_SECONDS: '2',
    LOG_LEVEL: 'warn',
    ...extra,
  });
  tg.webhookRoute = () => `http://127.0.0.1:${ports[0]}/telegram/hook`;
  // A: `npm start`; B and C: the bot program itself; each with the console on its stdin (a person at a terminal).
  const a = spawnBot(env(ports[0]!, { CONSOLE: 'true' }), { npm: true });
  const b = spawnBot(env(ports[1]!, { CONSOLE: 'true' }));
  const c = spawnBot(env(ports[2]!, { CONSOLE: 'true' }));
  const bots: BotProcess[] = [a, b, c];
  const people = Array.from({ length: 90 }, (_, i) => 600_001 + i);
  const launched: { pid: number; command: string }[] = [];
  people.forEach((id) => tg.started.add(id));
  try {
    await waitFor(() => tg.sent('setWebhook').length >= 3, 90_000);
    a.child.stdin.write('help\n');
    expect(JSON.stringify(await a.line(30_000))).toMatch(/balance/i);
    // Below npm: its shell, tsx's CLI, and the bot (node with tsx's loader).
    launched.push(...descendants(a.child.pid!).filter((p) => /tsx|main\.ts/.test(p.command)));
    const pids = [
      launched.find((p) => /--import \S*tsx\S*loader/.test(p.command))!.pid,
      b.child.pid!,
      c.child.pid!,
    ];

    // ---- 1. PostgreSQL stops for ~1.5 s while 40 notifications are being written and delivered.
    for (let i = 0; i < 40; i++) {
      if (i === 15) {
        await pg.halt();
        a.child.stdin.write('help\n');
        expect(JSON.stringify(await a.line(30_000))).toMatch(
          /cannot reach my database for a moment.*try again shortly/,
        );
        tg.dm('/help', people[80]!); // Telegram posts it, gets 500s while the database is away, and posts again
        await new Promise((r) => setTimeout(r, 1_500));
        await pg.resume();
      }
      await note(`outage-${i}`, people[i]!);
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor(() => deliveries('outage').size === 40, 60_000);
    await waitFor(
      () =>
        tg
          .sent()
          .some((c) => Number(c.params.chat_id) === people[80] && /balance/i.test(String(c.params.text))),
      30_000,
    );
    await new Promise((r) => setTimeout(r, 1_000)); // a repeat would show by now
    expect([...deliveries('outage').values()].every((d) => d.count === 1)).toBe(true);
    // One answer (the help fits one Telegram message), sent once although Telegram posted the update twice.
    const toHelper = tg.sent().filter((c) => Number(c.params.chat_id) === people[80]);
    expect(toHelper.map((c) => String(c.params.text).slice(0, 80))).toEqual([
      expect.stringMatching(/^I draft Pactus transactions/),
    ]);
    for (const bot of bots) {
      expect(bot.child.exitCode).toBeNull();
      expect(bot.stderr()).not.toMatch(/unhandled rejection/);
      // Each pass said once that it failed (not once per retry), and that it works again.
      const failed = [...bot.stderr().matchAll(/"msg":"([^"]+) failed; retrying with backoff/g)].map(
        (m) => m[1],
      );
      expect(failed.length).toBeGreaterThan(0);
      expect(new Set(failed).size).toBe(failed.length);
      expect(bot.stderr()).toMatch(/working again/);
    }
    for (const pid of pids) expect(alive(pid)).toBe(true);

    // ---- 2. The claim holder freezes mid-batch, past its 2 s claim; the other takes over.
    tg.latencyMs = 150;
    for (let i = 0; i < 40; i++) await note(`stall-${i}`, people[40 + i]!);
    const holder = await waitFor(async () => {
      const claims = await rows<{ claimed_by: string }>(
        db,
        `SELECT claimed_by FROM outbox WHERE dedupe_key LIKE 'stall-%' AND sent_at IS NULL AND claimed_by IS NOT NULL`,
      );
      return claims.length >= 8 && deliveries('stall').size >= 2 ? claims[0]!.claimed_by : null;
    }, 30_000);
    const frozen = pids.find((pid) => holder.startsWith(`${pid}:`))!;
    expect(frozen).toBeDefined();
    process.kill(frozen, 'SIGSTOP');
    const frozenAt = Date.now();
    try {
      await waitFor(() => deliveries('stall').size === 40, 60_000);
    } finally {
      process.kill(frozen, 'SIGCONT');
    }
    await new Promise((r) => setTimeout(r, 1_500)); // thawed: anything it still sent would show by now
    const stalled = deliveries('stall');
    const twice = [...stalled].filter(([, d]) => d.count > 1);
    // Only what was on the wire when it froze (first received just before the freeze) went twice, a few at most.
    expect(twice.length).toBeLessThanOrEqual(CHATS_AT_ONCE);
    for (const [key, d] of twice) expect(d.first, key).toBeGreaterThan(frozenAt - 1_000);
    expect(stalled.size).toBe(40);
    for (const bot of bots) expect(bot.child.exitCode).toBeNull();
    const unsent = await rows(db, `SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL`);
    expect(unsent).toEqual([]);

    // ---- 3. The leader is killed with SIGKILL (through `npm start` if it is A's bot: the bot must go with npm):
    // another process leads within seconds, and what is written after is sent once.
    tg.latencyMs = 0;
    const leader = await waitFor(() => leaseHolder(db, 'leader', Date.now()), 15_000);
    const leaderAt = pids.findIndex((pid) => leader.startsWith(`${pid}:`));
    expect(leaderAt).toBeGreaterThanOrEqual(0);
    const killedAt = Date.now();
    if (leaderAt === 0) a.child.kill('SIGKILL');
    else await bots[leaderAt]!.kill();
    const next = await waitFor(async () => {
      const now = await leaseHolder(db, 'leader', Date.now());
      return now && now !== leader ? now : null;
    }, 30_000);
    expect(Date.now() - killedAt).toBeLessThan(15_000); // the lease lasts 10 s without renewal
    expect(pids.some((pid, i) => i !== leaderAt && next.startsWith(`${pid}:`))).toBe(true);
    for (let i = 0; i < 40; i++) await note(`after-${i}`, people[i]!);
    await waitFor(() => deliveries('after').size === 40, 30_000);
    await new Promise((r) => setTimeout(r, 1_000)); // a repeat would show by now
    expect([...deliveries('after').values()].every((d) => d.count === 1)).toBe(true);

    // ---- 4. kill -9 of `npm start` (done above if A led): the bot it started and tsx's CLI do not live on.
    expect(launched.length).toBeGreaterThanOrEqual(2);
    a.child.kill('SIGKILL');
    await waitFor(() => launched.every((p) => !alive(p.pid)), 20_000);

    // ---- 5. SIGTERM and the end of stdin at once (a terminal closing): one shutdown, a clean exit.
    const survivor = [b, c].find((bot) => bot.child.exitCode === null && bot.child.signalCode === null)!;
    survivor.child.kill('SIGTERM');
    survivor.child.stdin.end();
    expect(await survivor.exited(30_000)).toBe(0);
    expect(survivor.stderr()).not.toMatch(/more than once|error during shutdown|unhandled rejection/);
    console.log(
      `chaos: outage ${deliveries('outage').size} notes once each; stall: ${twice.length} of 40 sent twice (on the wire at the freeze)`,
    );
  } finally {
    for (const p of launched) if (alive(p.pid)) process.kill(p.pid, 'SIGKILL');
    for (const bot of bots) await bot.kill();
  }
}, 240_000);

it('reward settlement through a session PostgreSQL ends inside the granting transaction, then a node outage: the rewards wait and are granted, never lost', async () => {
  const node = new PactusNodeClient({ endpoints: [devnet.endpoint], deadlineMs: 2000 });
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
      async () =>
        (
          await rows(
            db,
            "SELECT id FROM reward_events WHERE processed_at IS NULL AND dedupe_key LIKE 'q:fault:%'",
          )
        ).length === 0,
      30_000,
    );
    const outcomes = await rows<{ outcome: string }>(
      db,
      "SELECT outcome FROM reward_events WHERE dedupe_key LIKE 'q:fault:%' ORDER BY id",
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['granted', 'granted', 'granted']);
    expect(
      Number((await rows<{ n: string }>(db, 'SELECT last_value AS n FROM ledger_faults'))[0]!.n),
    ).toBeGreaterThan(1);
    expect(asked).toBeGreaterThan(2); // both faults struck, and the pass came back after each
    expect(logs.join('')).not.toMatch(/reward event failed/);
    expect(logs.filter((l) => /reward settlement failed; retrying/.test(l))).toHaveLength(1);
  } finally {
    await rewards.stop();
    node.close();
  }
});

it('PostgreSQL without PACTUS_GRPC is refused at start-up: the embedded devnet is one process', async () => {
  const bot = spawnBot({ DATABASE_URL: store.url });
  expect(await bot.exited()).not.toBe(0);
  expect(bot.stderr()).toMatch(/Set PACTUS_GRPC to one node for all of them/);
});
