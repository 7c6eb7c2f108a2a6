// The bot's entry point (`npm start`): builds the app from the environment and starts the configured platforms.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_DATABASE_URL, databasePath } from '../db/connection.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { EnvFileError, loadEnvFile } from './env-file.js';
import { runConsole } from './console/console.js';
import { watchLaunchers } from './lifetime.js';
import { createLogger } from './logger.js';
import {
  explainStartupError,
  modelFileProblem,
  platformStartFailure,
  type PlatformName,
} from './startup-errors.js';

/**
 * A Discord shard process started by DISCORD_SHARDS' ShardingManager: it runs only its gateway connection. The page,
 * Telegram and the console stay with the process that started it (this one serves no one, so it listens on a
 * loopback port of its own choosing).
 */
const shardProcess = process.env.SHARDING_MANAGER === 'true';

async function main(): Promise<number> {
  if (shardProcess) Object.assign(process.env, { SIGNER_PORT: '0', SIGNER_HOST: '127.0.0.1' });
  let config;
  try {
    if (!shardProcess) loadEnvFile();
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof EnvFileError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // A person chatting in a terminal sees only the conversation: logs go to a file beside the database (the
  // banner says where) unless LOG_LEVEL is set. Piped mode and servers keep logging to stderr.
  // The terminal chat runs when asked (CONSOLE), or when no platform is configured.
  const consoleWanted =
    !shardProcess &&
    (config.CONSOLE ? config.CONSOLE !== 'false' : !config.DISCORD_TOKEN && !config.TELEGRAM_TOKEN);
  const logFile =
    consoleWanted && process.stdin.isTTY && process.stdout.isTTY && !process.env.LOG_LEVEL
      ? join(dirname(databasePath(config.DATABASE_URL ?? DEFAULT_DATABASE_URL)), 'bot.log')
      : undefined;
  const logger = createLogger(config.LOG_LEVEL, logFile);
  // A safety net, not the design: every background pass catches its own failures (db/background-pass.ts), and
  // ESLint refuses timers started outside it. A rejection that still slips through is a bug, logged loudly, but not
  // worth every chat this process serves.
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection (a bug): the process goes on'),
  );
  // `npm start` killed with -9 (or tsx's CLI): this process, and the shards with it, stop instead of running on
  // under PID 1 beside the next start. Before anything runs that needs stopping, it simply exits.
  let onLauncherGone = (): void => process.exit(0);
  const launcherWatch = shardProcess
    ? null
    : watchLaunchers(logger, (launcher) => {
        logger.warn({ launcher: launcher.pid }, 'the process that started the bot is gone; stopping');
        onLauncherGone();
      });
  const missingModel = modelFileProblem(config, existsSync);
  if (missingModel) {
    process.stderr.write(`${missingModel}\n`);
    return 1;
  }
  let app;
  try {
    app = await createApp(config, logger);
  } catch (error) {
    const explained = explainStartupError(error, config);
    if (!explained) throw error;
    process.stderr.write(`${explained}\n`);
    return 1;
  }
  const stopping: Promise<void>[] = [];
  const platforms: { name: string; stop: () => Promise<void> }[] = [];

  let starting: PlatformName = 'discord';
  try {
    if (config.DISCORD_TOKEN && config.DISCORD_SHARDS && !shardProcess) {
      const { startShards } = await import('./discord/shards.js');
      platforms.push({ name: 'discord-shards', stop: await startShards(app) });
    } else if (config.DISCORD_TOKEN) {
      const { startDiscord } = await import('./discord/index.js');
      platforms.push({ name: 'discord', stop: await startDiscord(app) });
    }
    starting = 'telegram';
    if (config.TELEGRAM_TOKEN && !shardProcess) {
      const { startTelegram } = await import('./telegram/index.js');
      platforms.push({ name: 'telegram', stop: await startTelegram(app) });
    }
  } catch (error) {
    const sentence = error instanceof ConfigError ? error.message : platformStartFailure(starting, error);
    if (sentence === null) throw error;
    process.stderr.write(`${sentence}\n`);
    for (const p of platforms) await p.stop().catch(() => undefined);
    await app.stop();
    return 1;
  }

  // Once, however many ways it is asked for (SIGTERM, SIGINT, the end of stdin, a launcher gone).
  let stopped: Promise<void> | null = null;
  const shutdown = () =>
    (stopped ??= (async () => {
      await launcherWatch?.stop();
      for (const p of platforms)
        await p.stop().catch((error) => logger.warn({ err: error, platform: p.name }, 'stop failed'));
      await app.stop();
    })());
  process.once('SIGTERM', () => stopping.push(shutdown().then(() => process.exit(0))));
  onLauncherGone = () => stopping.push(shutdown().then(() => process.exit(0)));
  // A shard whose manager died (even by kill -9) stops too: a new manager starts its own shards, and an orphan
  // still holding the gateway session would answer everything twice.
  if (shardProcess)
    process.once('disconnect', () => {
      logger.warn('the shard manager is gone; stopping this shard');
      stopping.push(shutdown().then(() => process.exit(0)));
    });

  if (consoleWanted) {
    process.once('SIGINT', () => stopping.push(shutdown().then(() => process.exit(0))));
    await runConsole(app, {
      input: process.stdin,
      output: process.stdout,
      info: process.stderr,
      interactive: Boolean(process.stdin.isTTY),
      logFile,
    });
    await shutdown();
    return 0;
  }
  logger.info({ platforms: platforms.map((p) => p.name), signer: app.signerUrl }, 'bot running');
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  await shutdown();
  return 0;
}

process.exitCode = await main();
