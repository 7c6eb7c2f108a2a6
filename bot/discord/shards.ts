// Discord sharding: one bot process per shard under discord.js's ShardingManager. The process that runs the
// manager keeps everything else (the signer page, Telegram, the console); each shard process runs the bot with only
// its Discord gateway connection. All of them share the database, so any shard can deliver any notification and
// the leader lease decides which one process runs the tracker and the governance tick.
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager } from 'discord.js';
import type { App } from '../app.js';
import { ConfigError } from '../config.js';

/** Set by ShardingManager in the processes it starts. */
export const isShardProcess = () => process.env.SHARDING_MANAGER === 'true';

/** discord.com/developers/docs/events/gateway#get-gateway-bot: the recommended shard count and identify limit. */
interface GatewayBot {
  shards: number;
  session_start_limit: { max_concurrency: number };
}

/**
 * DISCORD_SHARDS: "auto" asks Discord (GET /gateway/bot, through DISCORD_API_URL when set: discord.js's own "auto"
 * always asks discord.com), or a number.
 */
async function plan(app: App): Promise<{ shards: number; maxConcurrency: number }> {
  const rest = new REST(app.config.DISCORD_API_URL ? { api: app.config.DISCORD_API_URL } : {}).setToken(
    app.config.DISCORD_TOKEN!,
  );
  const gateway = (await rest.get(Routes.gatewayBot())) as GatewayBot;
  const setting = app.config.DISCORD_SHARDS!;
  return {
    shards: setting === 'auto' ? gateway.shards : Number(setting),
    maxConcurrency: gateway.session_start_limit.max_concurrency,
  };
}

export async function startShards(app: App): Promise<() => Promise<void>> {
  if (app.devnet)
    throw new ConfigError(
      'DISCORD_SHARDS runs one bot process per shard, and the embedded devnet lives inside one process. Set PACTUS_GRPC to one node for all of them.',
    );
  const logger = app.logger.child({ component: 'discord-shards' });
  const { shards, maxConcurrency } = await plan(app);
  // The shard processes inherit this environment: their signing links point where this process serves the page.
  process.env.SIGNER_PUBLIC_URL ??= app.signerUrl;
  const manager = new ShardingManager(fileURLToPath(new URL('../main.ts', import.meta.url)), {
    totalShards: shards,
    token: app.config.DISCORD_TOKEN!,
    mode: 'process',
    respawn: true,
    // The same loader (tsx) as this process.
    execArgv: process.execArgv,
  });
  manager.on('shardCreate', (shard) => {
    logger.info({ shard: shard.id, of: shards }, 'discord shard started');
    shard.on('death', () =>
      logger.warn({ shard: shard.id }, 'discord shard process exited; starting it again'),
    );
  });
  // Discord allows max_concurrency identifies per 5 seconds; shards in different buckets may start together.
  await manager.spawn({ amount: shards, delay: maxConcurrency >= shards ? 500 : 5500, timeout: 120_000 });
  logger.info({ shards }, 'discord shards ready');
  return async () => {
    manager.respawn = false;
    for (const shard of manager.shards.values()) shard.kill();
  };
}
