// Starts the shard processes of a discord.js ShardingManager and starts them again when they die, within
// Discord's identify limits. discord.js's own respawn (respawn: true) spawns a dead shard again at once, and when
// that one dies before it is ready too, its rejection is emitted as the shard's 'error' event, which nothing
// listens to: the manager process crashes (Shard.js, _handleExit: `this.spawn(timeout).catch(err =>
// this.emit(ShardEvents.Error, err))`), and with it the signer page, Telegram and every other shard.
import type { Logger } from 'pino';
import type { Shard, ShardingManager } from 'discord.js';

/**
 * discord.com/developers/docs/events/gateway#session-start-limit-object: identifies left in the current window
 * and when it resets (each start or restart of a shard costs one).
 */
export interface SessionBudget {
  remaining: number;
  resetAfterMs: number;
}

export interface SupervisorOptions {
  shards: number;
  /** session_start_limit.max_concurrency: shards identify in buckets of shard_id % max_concurrency. */
  maxConcurrency: number;
  /** Asks Discord for the identifies left (GET /gateway/bot) before a restart. */
  budget: () => Promise<SessionBudget>;
  logger: Logger;
  /** How long a shard may take to become ready. */
  readyTimeoutMs?: number;
  /** The least time between two identifies of one bucket (Discord: one per 5 seconds). */
  identifyGapMs?: number;
  /** The first restart's delay after a death; it doubles per death in a row, up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The delay before restarting a shard that died `deaths` times in a row. */
export function restartDelayMs(deaths: number, backoffMs: number, maxBackoffMs: number): number {
  return deaths <= 0 ? 0 : Math.min(maxBackoffMs, backoffMs * 2 ** Math.min(deaths - 1, 20));
}

/**
 * One queue per identify bucket: a shard of the bucket starts only `identifyGapMs` after the previous one of the
 * bucket became ready (its identify happened before that), and only while Discord's session budget has identifies
 * left. A shard that dies is queued again after a backoff that doubles while it keeps dying before it has been up a
 * minute. Every shard event is listened to, so nothing a shard does can crash the manager.
 */
export class ShardSupervisor {
  private stopped = false;
  private readonly buckets = new Map<number, Promise<void>>();
  private readonly lastReadyAt = new Map<number, number>();
  private readonly deaths = new Map<number, number>();
  private readonly upSince = new Map<number, number>();
  /** Shard ids in the order they identified (tests and logs). */
  readonly identified: number[] = [];

  constructor(
    private readonly manager: ShardingManager,
    private readonly options: SupervisorOptions,
  ) {}

  /** Creates every shard and queues its first start; resolves once each has been ready once (or was stopped). */
  start(): Promise<void> {
    const firstReady: Promise<void>[] = [];
    for (let id = 0; id < this.options.shards; id++) {
      const shard = this.manager.createShard(id);
      firstReady.push(new Promise((resolve) => shard.once('ready', () => resolve())));
      shard.on('error', (error) =>
        this.options.logger.warn({ shard: id, err: (error as Error).message }, 'discord shard error'),
      );
      shard.on('ready', () => {
        this.upSince.set(id, Date.now());
        this.options.logger.info({ shard: id }, 'discord shard ready');
      });
      shard.on('death', () => this.died(shard));
      this.queue(shard, false);
    }
    return Promise.all(firstReady).then(() => undefined);
  }

  /** Stops every shard for good. */
  stop(): void {
    this.stopped = true;
    for (const shard of this.manager.shards.values()) if (shard.process) shard.kill();
  }

  private died(shard: Shard): void {
    if (this.stopped) return;
    const up = this.upSince.get(shard.id);
    this.upSince.delete(shard.id);
    // A shard that ran a minute before dying starts its count again; one that keeps dying waits longer each time.
    const deaths = up !== undefined && Date.now() - up > 60_000 ? 1 : (this.deaths.get(shard.id) ?? 0) + 1;
    this.deaths.set(shard.id, deaths);
    this.options.logger.warn({ shard: shard.id, deaths }, 'discord shard process exited; starting it again');
    this.queue(shard, true);
  }

  private queue(shard: Shard, restart: boolean): void {
    const bucket = shard.id % Math.max(1, this.options.maxConcurrency);
    const next = (this.buckets.get(bucket) ?? Promise.resolve())
      .then(() => this.spawn(shard, bucket, restart))
      .catch((error: unknown) =>
        this.options.logger.warn(
          { shard: shard.id, err: (error as Error).message },
          'discord shard start failed',
        ),
      );
    this.buckets.set(bucket, next);
  }

  private async spawn(shard: Shard, bucket: number, restart: boolean): Promise<void> {
    const { backoffMs = 1_000, maxBackoffMs = 60_000, identifyGapMs = 5_500 } = this.options;
    await sleep(restartDelayMs(this.deaths.get(shard.id) ?? 0, backoffMs, maxBackoffMs));
    await sleep((this.lastReadyAt.get(bucket) ?? 0) + identifyGapMs - Date.now());
    if (restart) {
      const budget = await this.options.budget().catch(() => null);
      if (budget && budget.remaining <= 0) {
        this.options.logger.warn(
          { shard: shard.id, waitMs: budget.resetAfterMs },
          'Discord allows no more identifies until its session limit resets; waiting',
        );
        await sleep(budget.resetAfterMs);
      }
    }
    if (this.stopped || shard.process) return;
    try {
      await shard.spawn(this.options.readyTimeoutMs ?? 120_000);
      this.identified.push(shard.id);
    } catch (error) {
      // Died before it was ready (its death queues it again), or too slow: then it is killed, which does the same.
      this.options.logger.warn(
        { shard: shard.id, err: (error as Error).message },
        'discord shard did not start',
      );
      if (shard.process) shard.kill();
    } finally {
      this.lastReadyAt.set(bucket, Date.now());
    }
  }
}
