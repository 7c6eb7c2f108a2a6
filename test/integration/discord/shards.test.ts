// DISCORD_SHARDS: `npm start` runs discord.js's ShardingManager, one bot process per shard, against the strict
// gateway emulator (shard routing by guild id, DMs on shard 0, identify limits). Each shard identifies once with
// its own [id, count]; a command in each server and a DM are answered once, by the shard Discord sends them to;
// notifications go out once across the shard processes, which share the (SQLite) database; a shard killed twice
// before it is ready is started a third time within the identify limit while the manager lives on; a second manager
// is refused; and the shards stop when their manager is killed.
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../db/connection.js';
import { startDevnet, type Devnet } from '../../../devnet/index.js';
import { writeOutbox } from '../../../wallet/outbox.js';
import { spawnBot } from '../../support/bot-process.js';
import { DiscordEmulator } from '../../support/emulators/discord.js';
import { shardOf } from '../../support/emulators/discord-gateway.js';
import { alive } from '../../support/processes.js';
import { waitFor } from '../../support/wait.js';

let devnet: Devnet;
let emulator: DiscordEmulator;
let dir: string;
let db: Db;
beforeAll(async () => {
  devnet = await startDevnet({ blockMs: 500 });
  emulator = new DiscordEmulator();
  emulator.recommendedShards = 2;
  emulator.gateway.maxConcurrency = 2;
  await emulator.start();
  dir = mkdtempSync(join(tmpdir(), 'pactus-shards-'));
  db = await openDatabase(join(dir, 'bot.db'));
});
afterAll(async () => {
  await closeDatabase(db);
  await emulator.stop();
  await devnet.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The process of shard `id` among the manager's children (ShardingManager passes SHARDS in its environment). */
function shardPid(manager: number, id: number): number | null {
  const children = execSync(`ps -o pid= --ppid ${manager}`, { encoding: 'utf8' })
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter(Boolean);
  for (const pid of children) {
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (environ.includes(`SHARDS=${id}`)) return pid;
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

const env = () => ({
  DATABASE_URL: join(dir, 'bot.db'),
  PACTUS_GRPC: devnet.endpoint,
  DISCORD_TOKEN: 'test-token',
  DISCORD_API_URL: emulator.apiUrl,
  DISCORD_GUILD_ID: emulator.guildId,
  DISCORD_SHARDS: 'auto',
  CONSOLE: 'false',
  LOG_LEVEL: 'warn',
});

it('DISCORD_SHARDS=auto: two shard processes, each event answered once by its shard, notifications once', async () => {
  expect(shardOf(emulator.guildId, 2)).not.toBe(shardOf(emulator.otherGuildId, 2));
  const bot = spawnBot(env());
  try {
    await waitFor(() => emulator.gateway.shards.length === 2, 120_000);
    expect(emulator.gateway.shards.sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(emulator.identifies).toBe(2);
    // One shard registered the commands.
    await waitFor(() => emulator.callsTo('PUT', /\/commands$/).length === 1, 30_000);

    const asked = [
      emulator.slashCommand('help', {}, '5001'),
      emulator.slashCommand('help', {}, '5002', true, emulator.otherChannelId),
      emulator.slashCommand('help', {}, '5003', false),
    ];
    for (const i of asked)
      await emulator.waitForCall(
        'PATCH',
        new RegExp(`/webhooks/\\d+/${i.token}/messages/@original`),
        1,
        30_000,
      );
    const dm = emulator.userMessage('help', '5004', 'dm');
    await emulator.waitForCall('POST', new RegExp(`/channels/${dm.channelId}/messages`), 1, 30_000);

    for (let i = 0; i < 60; i++)
      await writeOutbox(db, {
        dedupeKey: `shard-note-${i}`,
        platform: 'discord',
        recipient: String(6000 + (i % 6)),
        kind: 'proposal_notice',
        payload: { text: `shard-note-${i}` },
      });
    const notes = () =>
      emulator
        .callsTo('POST', /\/channels\/\d+\/messages$/)
        .map((c) => /shard-note-\d+/.exec(JSON.stringify(c.body))?.[0])
        .filter(Boolean);
    await waitFor(() => new Set(notes()).size === 60, 30_000);
    await new Promise((r) => setTimeout(r, 1500)); // a second delivery would show by now
    expect(notes()).toHaveLength(60);
    for (const i of asked) {
      expect(emulator.callsTo('POST', new RegExp(`/interactions/${i.id}/${i.token}/callback`))).toHaveLength(
        1,
      );
      expect(
        emulator.callsTo('PATCH', new RegExp(`/webhooks/\\d+/${i.token}/messages/@original`)),
      ).toHaveLength(1);
    }
    expect(emulator.callsTo('POST', new RegExp(`/channels/${dm.channelId}/messages`))).toHaveLength(1);
    expect(emulator.refused()).toEqual([]);

    // A second `npm start` beside the running one is refused: two managers would answer everything twice.
    const second = spawnBot(env());
    // Shard 1 is killed, and its replacement killed again before it is ready: the manager lives on (it used to
    // crash on the unhandled 'error' of the second death) and starts it a third time, within the identify limit.
    const identifiesBefore = emulator.identifies;
    const first = shardPid(bot.child.pid!, 1)!;
    process.kill(first, 'SIGKILL');
    const replacement = await waitFor(() => {
      const pid = shardPid(bot.child.pid!, 1);
      return pid && pid !== first ? pid : null;
    }, 20_000);
    process.kill(replacement, 'SIGKILL');
    await waitFor(() => emulator.identifies > identifiesBefore, 60_000);
    expect(emulator.identifies).toBe(identifiesBefore + 1); // both killed shards died before identifying
    expect(emulator.gateway.tooSoon).toBe(0); // no identify came within 5 s of another in its bucket
    expect(bot.child.exitCode).toBeNull();
    const guildOfShard1 = shardOf(emulator.guildId, 2) === 1 ? emulator.channelId : emulator.otherChannelId;
    const again = emulator.slashCommand('help', {}, '5005', true, guildOfShard1);
    await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${again.token}/messages/@original`),
      1,
      30_000,
    );
    expect(await second.exited(60_000)).not.toBe(0);
    expect(second.stderr()).toMatch(
      /Another bot process \(.*pid \d+.*\) is connected to Discord with this database/,
    );
    expect(bot.stderr()).not.toMatch(/unhandled|ShardingReadyDied/);
    await new Promise((r) => setTimeout(r, 1000)); // a second answer would show by now
    expect(
      emulator.callsTo('POST', new RegExp(`/interactions/${again.id}/${again.token}/callback`)),
    ).toHaveLength(1);

    // kill -9 of the manager: its shard processes stop by themselves (an orphan would answer twice later).
    const shardPids = execSync(`ps -o pid=,args= --ppid ${bot.child.pid}`, { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('main.ts'))
      .map((line) => Number(line.trim().split(' ')[0]));
    expect(shardPids).toHaveLength(2);
    await bot.kill();
    await waitFor(() => shardPids.every((pid) => !alive(pid)), 20_000);
  } finally {
    await bot.kill();
  }
}, 180_000);

it('DISCORD_SHARDS without PACTUS_GRPC is refused at start-up: the embedded devnet is one process', async () => {
  const { PACTUS_GRPC: _, ...withoutNode } = env();
  const bot = spawnBot({ ...withoutNode, DATABASE_URL: join(dir, 'other.db') });
  expect(await bot.exited(60_000)).not.toBe(0);
  expect(bot.stderr()).toMatch(/DISCORD_SHARDS runs one bot process per shard/);
});
