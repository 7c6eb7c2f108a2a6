// Discord sharding: one bot process per shard under discord.js's ShardingManager. The process that runs the
// manager keeps everything else (the signer page, Telegram, the console); each shard process runs the bot with only
// its Discord gateway connection. All of them share the database, so any shard can deliver any notification and
// the leader lease decides which one process runs the tracker and the governance tick.
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager } from 'discord.js';
import type { App } from '../app.js';
import { ConfigError } from '../config.js';
import { holdGatewayLease } from './gateway-lease.js';
import { ShardSupervisor, type SessionBudget } from './shard-supervisor.js';

/** Set by ShardingManager in the processes it starts. */
export const isShardProcess = () => process.env.SHARDING_MANAGER === 'true';

/** discord.com/developers/docs/events/gateway#get-gateway-bot: the recommended shard count and identify limit. */
interface GatewayBot {
  shards: number;
  session_start_limit: { max_concurrency: number; remaining: number; reset_after: number };
}

const gatewayBot = (app: App): Promise<GatewayBot> =>
  new REST(app.config.DISCORD_API_URL ? { api: app.config.DISCORD_API_URL } : {})
    .setToken(app.config.DISCORD_TOKEN!)
    .get(Routes.gatewayBot()) as Promise<GatewayBot>;

/** Identifies left before Discord's session start limit resets (a restart of a shard spends one). */
async function sessionBudget(app: App): Promise<SessionBudget> {
  const { session_start_limit: limit } = await gatewayBot(app);
  return { remaining: limit.remaining, resetAfterMs: limit.reset_after };
}

/**
 * DISCORD_SHARDS: "auto" asks Discord (GET /gateway/bot, through DISCORD_API_URL when set: discord.js's own "auto"
 * always asks discord.com), or a number.
 */
async function plan(app: App): Promise<{ shards: number; maxConcurrency: number }> {
  const gateway = await gatewayBot(app);
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
  // One manager per database: a second start beside a running bot is refused (or takes over from a dead one).
  let supervisor: ShardSupervisor | null = null;
  const lease = await holdGatewayLease(app.db, logger, () => supervisor?.stop());
  try {
    const { shards, maxConcurrency } = await plan(app);
    // The shard processes inherit this environment: their signing links point where this process serves the page.
    process.env.SIGNER_PUBLIC_URL ??= app.signerUrl;
    const manager = new ShardingManager(fileURLToPath(new URL('../main.ts', import.meta.url)), {
      totalShards: shards,
      token: app.config.DISCORD_TOKEN!,
      mode: 'process',
      // Restarts are the supervisor's: spaced by Discord's identify limit, with backoff, and never a crash.
      respawn: false,
      // The same loader (tsx) as this process.
      execArgv: process.execArgv,
    });
    supervisor = new ShardSupervisor(manager, {
      shards,
      maxConcurrency,
      budget: () => sessionBudget(app),
      logger,
    });
    void supervisor.start().then(() => logger.info({ shards }, 'discord shards ready'));
  } catch (error) {
    await lease.release();
    throw error;
  }
  return async () => {
    supervisor?.stop();
    await lease.release();
  };
}
