// Telegram in webhook mode at scale: three bot processes (`npm start`) on one PostgreSQL database behind a real
// nginx, the Telegram emulator posting updates 40 at a time (one per chat at a time, as the Bot API does). 1,000
// people send bursts; some flood, some earn rewards; notifications go out through the outbox; the leader is killed
// with SIGKILL mid-run. Every update is answered, each person's in the order they wrote whichever workers received
// them, a flood is cut at exactly the burst, reward caps are exact, every notification goes out, and the only
// possible repeats are what the killed process had answered or sent without recording it yet (platforms have no
// idempotency key, so that window exists; the test checks repeats never come from anywhere else and stay within
// what one process answers at once).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../db/connection.js';
import { leaseHolder } from '../../../db/leases.js';
import { startDevnet, devnetAccountKey, type Devnet } from '../../../devnet/index.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/accounts.js';
import { writeOutbox } from '../../../wallet/outbox.js';
import { UPDATES_AT_ONCE } from '../../../bot/telegram/inbox.js';
import { spawnBot, type BotProcess } from '../../support/bot-process.js';
import { TelegramEmulator, type BotApiCall } from '../../support/emulators/telegram.js';
import { startNginx, type Nginx } from '../../support/nginx.js';
import { freePort } from '../../support/ports.js';
import { jsonOf, rows } from '../../support/db.js';
import { newStore, type TestStore } from '../../support/stores.js';
import { waitFor } from '../../support/wait.js';

const PEOPLE = 1000;
const FLOODERS = 20;
const HOOK = 'https://bot.example.org/telegram/hook';

let devnet: Devnet;
let store: TestStore;
let db: Db;
let tg: TelegramEmulator;
let nginx: Nginx;
let ports: number[];
beforeAll(async () => {
  devnet = await startDevnet({ blockMs: 500 });
  store = await newStore('postgres');
  db = await openDatabase(store.url);
  tg = new TelegramEmulator();
  await tg.start();
  ports = [await freePort(), await freePort(), await freePort()];
  nginx = await startNginx('/telegram/', ports);
  // Telegram posts to the public URL; here nginx serves it (TLS would end there in production).
  tg.webhookRoute = (url) => `http://127.0.0.1:${nginx.port}${new URL(url).pathname}`;
});
afterAll(async () => {
  await nginx?.stop();
  await tg?.stop();
  await closeDatabase(db);
  await store.drop();
  await devnet.stop();
});

const isHelp = (c: BotApiCall) => /balance/i.test(String(c.params.text));
const isThrottled = (c: BotApiCall) => /sending requests quickly/.test(String(c.params.text));
/** The answer to the n-th message "/n<n>" of a person (an unknown command, answered with its name). */
const numbered = (c: BotApiCall) => Number(/Unknown command \/n(\d)/.exec(String(c.params.text))?.[1] ?? NaN);
interface Received {
  help: number;
  throttled: number;
  notes: string[];
  /** The numbered answers in the order Telegram received them. */
  answers: number[];
}
/** What each chat received, by kind. */
function received(): Map<number, Received> {
  const by = new Map<number, Received>();
  for (const call of tg.sent()) {
    const chat = Number(call.params.chat_id);
    const entry = by.get(chat) ?? { help: 0, throttled: 0, notes: [], answers: [] };
    if (isThrottled(call)) entry.throttled++;
    else if (isHelp(call)) entry.help++;
    else if (!Number.isNaN(numbered(call))) entry.answers.push(numbered(call));
    const note = /note-\d+/.exec(String(call.params.text))?.[0];
    if (note) entry.notes.push(note);
    by.set(chat, entry);
  }
  return by;
}

it('three webhook workers behind nginx: 1,000 people, floods cut exactly, caps exact, every notification out, a kill -9 of the leader loses nothing', async () => {
  const env = (port: number) => ({
    DATABASE_URL: store.url,
    PACTUS_GRPC: devnet.endpoint,
    TELEGRAM_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_WEBHOOK_URL: HOOK,
    TELEGRAM_WEBHOOK_PORT: String(port),
    SIGNER_PUBLIC_URL: 'https://sign.example.org',
    CONSOLE: 'false',
    LOG_LEVEL: 'warn',
    // A flood of 12 is cut at 8, and the allowance does not come back within the test.
    RATE_LIMIT_BURST: '8',
    RATE_LIMIT_PER_MINUTE: '1',
    // Every question earns 0.01 PAC up to 0.05 PAC a day: 8 questions reach the cap.
    REWARDS_COOLDOWN_SECONDS: '0',
    REWARDS_QUESTION_PAC: '0.01',
    REWARDS_DAILY_CAP_PAC: '0.05',
    REWARDS_PERSON_DAILY_CAP_PAC: '0.05',
  });
  const bots: BotProcess[] = ports.map((port) => spawnBot(env(port)));
  try {
    await waitFor(() => tg.sent('setWebhook').length >= 3, 90_000);
    expect(tg.webhookUrl).toBe(HOOK);

    // Earners: six people whose linked addresses hold PAC on the devnet.
    const funded = [0, 1, 2, 3].map((i) => devnetAccountKey(devnet.chain.keys, 'ed25519-account', i));
    funded.push(...[0, 1].map((i) => devnetAccountKey(devnet.chain.keys, 'bls-account', i)));
    const earners = funded.map((_, i) => 900_001 + i);
    for (const [i, key] of funded.entries())
      await addLinkedAddress(
        db,
        await ensureChatAccount(db, { platform: 'telegram', userId: String(earners[i]) }),
        key.address.toString('testnet'),
      );

    // Phase 1: floods and earners, answered before anyone is killed.
    const flooders = Array.from({ length: FLOODERS }, (_, i) => 800_001 + i);
    for (let n = 0; n < 12; n++) for (const id of flooders) tg.dm('/help', id);
    for (let n = 0; n < 8; n++) for (const id of earners) tg.dm('/help', id);
    await waitFor(() => {
      const got = received();
      return (
        flooders.every((id) => (got.get(id)?.help ?? 0) + (got.get(id)?.throttled ?? 0) === 12) &&
        earners.every((id) => got.get(id)?.help === 8)
      );
    }, 60_000);
    const afterFloods = received();
    for (const id of flooders) expect(afterFloods.get(id)).toMatchObject({ help: 8, throttled: 4 });
    const cap = 50_000_000n; // 0.05 PAC in NanoPAC
    const earned = async () =>
      (
        await rows<{ id: string; total: string }>(
          db,
          `SELECT c.platform_user_id AS id, CAST(SUM(CAST(r.amount AS BIGINT)) AS TEXT) AS total
           FROM rewards r JOIN chat_accounts c ON c.id = r.chat_account_id GROUP BY c.platform_user_id`,
        )
      ).filter((r) => earners.includes(Number(r.id)));
    await waitFor(
      async () => (await earned()).every((r) => BigInt(r.total) === cap) && (await earned()).length === 6,
      30_000,
    );

    // Phase 2: 1,000 people send three numbered messages each, and 300 notifications go out, while the leader is
    // killed. Each person's answers must come in the order they wrote.
    const holder = await waitFor(() => leaseHolder(db, 'leader', Date.now()), 15_000);
    const leader = bots.find((b) => holder.startsWith(`${b.child.pid}:`))!;
    expect(leader).toBeDefined();
    const people = Array.from({ length: PEOPLE }, (_, i) => 100_001 + i);
    // People arrive in waves of 100 every 100 ms, each sending three messages at once; a notification for each
    // of the first 300 goes out as they come.
    const arrivals = (async () => {
      for (let wave = 0; wave < PEOPLE / 100; wave++) {
        const group = people.slice(wave * 100, wave * 100 + 100);
        for (let n = 1; n <= 3; n++) for (const id of group) tg.dm(`/n${n}`, id);
        for (const [i, id] of group.entries())
          if (wave * 100 + i < 300)
            await writeOutbox(db, {
              dedupeKey: `note-${wave * 100 + i}`,
              platform: 'telegram',
              recipient: String(id),
              kind: 'proposal_notice',
              payload: { text: `note-${wave * 100 + i}` },
            });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const answered = () => {
      const got = received();
      return people.reduce((n, id) => n + new Set(got.get(id)?.answers).size, 0);
    };
    await waitFor(() => answered() >= 300, 60_000);
    const killedAt = Date.now();
    await leader.kill();
    const answeredAtKill = answered();
    // What the dead process held: updates stored but not marked answered, notifications claimed but not marked
    // sent. Only these may be answered or sent twice (if it had answered or sent them before recording it).
    const dead = `${leader.child.pid}:%`;
    const heldUpdates = await rows<{ payload: { message: { chat: { id: number } } } }>(
      db,
      `SELECT payload FROM telegram_updates WHERE done_at IS NULL AND claimed_by LIKE '${dead}'`,
    );
    const heldNotes = (
      await rows<{ dedupe_key: string }>(
        db,
        `SELECT dedupe_key FROM outbox WHERE sent_at IS NULL AND claimed_by LIKE '${dead}'`,
      )
    ).map((r) => r.dedupe_key);
    const next = await waitFor(async () => {
      const now = await leaseHolder(db, 'leader', Date.now());
      return now && now !== holder ? now : null;
    }, 30_000);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    expect(bots.some((b) => b !== leader && next.startsWith(`${b.child.pid}:`))).toBe(true);

    await arrivals;
    // Everything is answered: what the dead worker had stored is swept up by the others.
    await waitFor(() => {
      const got = received();
      return people.every(
        (id, i) => new Set(got.get(id)?.answers).size === 3 && (i >= 300 || got.get(id)?.notes.length),
      );
    }, 90_000);
    // And every update is recorded as answered: one the killed worker answered but never marked is claimed again
    // once its lease runs out (after the person already has the answer), answered again and marked then.
    await waitFor(
      async () =>
        (await rows(db, 'SELECT update_id FROM telegram_updates WHERE done_at IS NULL')).length === 0,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 2000)); // a repeat would show by now
    const got = received();
    // Repeats only for what the dead process held.
    const heldChats = heldUpdates.map((u) => jsonOf(u.payload) as { message: { chat: { id: number } } });
    let extra = 0;
    for (const id of people) {
      const { answers } = got.get(id)!;
      const more = answers.length - 3;
      extra += more;
      expect(more, `chat ${id}`).toBeLessThanOrEqual(
        heldChats.filter((u) => u.message.chat.id === id).length,
      );
      // In order, whichever workers the three were posted to; a repeat comes right after the answer it repeats.
      expect(answers, `chat ${id}`).toEqual([...answers].sort());
      expect(got.get(id)!.throttled).toBe(0);
    }
    // A killed worker repeats at most the answers it was giving at that moment (sent, not yet recorded).
    expect(extra).toBeLessThanOrEqual(UPDATES_AT_ONCE);
    const notes = people.flatMap((id) => got.get(id)!.notes);
    expect(new Set(notes).size).toBe(300);
    const repeatedNotes = notes.filter((n, i) => notes.indexOf(n) !== i);
    for (const note of repeatedNotes) expect(heldNotes).toContain(note);
    const unanswered = await rows(db, 'SELECT update_id FROM telegram_updates WHERE done_at IS NULL');
    expect(unanswered).toEqual([]);
    // The kill was mid-run, and nginx saw the worker go.
    expect(answeredAtKill).toBeLessThan(PEOPLE * 3 - 300);
    expect(nginx.errors()).toMatch(/connect\(\) failed|upstream prematurely closed|no live upstreams/);
    // Caps held through it all.
    expect((await earned()).map((r) => BigInt(r.total))).toEqual(Array(6).fill(cap));
    console.log(
      `webhook workers: ${tg.webhookPosts.length} posts (${tg.webhookPosts.filter((p) => p.status !== 200).length} not 2xx, sent again); at the kill ${answeredAtKill} of ${PEOPLE * 3} bursts answered, the dead process held ${heldUpdates.length} updates and ${heldNotes.length} notifications; ${extra} answers and ${repeatedNotes.length} notifications repeated`,
    );
  } finally {
    for (const bot of bots) await bot.kill();
  }
}, 300_000);
