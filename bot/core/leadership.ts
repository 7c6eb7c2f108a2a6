import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { BackgroundPass } from '../../db/background-pass.js';
import type { Db } from '../../db/connection.js';
import { holdLease, releaseLease } from '../../db/leases.js';

/** Work that must run in one process at a time: started when this process becomes the leader, stopped after. */
export interface LeaderTask {
  start(): void;
  stop(): Promise<void>;
}

export interface LeadershipOptions {
  /** How long a lease lasts without renewal: another process takes over at most this long after a leader dies. */
  ttlMs?: number;
  /** How often the lease is renewed (well under the TTL). */
  renewMs?: number;
}

/**
 * Runs the leader's work (the tracker, the governance tick, reward reconciliation) in one bot process of those
 * sharing a database, through a lease row (db/leases.ts): renewed every `renewMs`, taken over by another process
 * when it has not been renewed for `ttlMs`. A process that loses the lease (it stalled past the TTL) stops the
 * work before it could run twice.
 */
export class Leadership {
  readonly id = `${process.pid}:${randomUUID().slice(0, 8)}`;
  private leading = false;
  private readonly ttlMs: number;
  private readonly pass: BackgroundPass;

  constructor(
    private readonly db: Db,
    private readonly tasks: LeaderTask[],
    private readonly logger: Logger,
    options: LeadershipOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.pass = new BackgroundPass({
      name: 'leader lease',
      run: () => this.step(),
      everyMs: options.renewMs ?? Math.max(100, Math.floor(this.ttlMs / 3)),
      runAtStart: false,
      logger,
    });
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Tries at once (so a lone process leads from its first second), then on every renewal. */
  async start(): Promise<void> {
    await this.pass.runNow();
    this.pass.start();
  }

  async stop(): Promise<void> {
    await this.pass.stop();
    if (this.leading) {
      await this.follow();
      await releaseLease(this.db, 'leader', this.id).catch(() => undefined);
    }
  }

  private async step(): Promise<void> {
    let held: boolean;
    try {
      held = await holdLease(this.db, 'leader', this.id, Date.now(), this.ttlMs);
    } catch (error) {
      // Without the database nobody can prove leadership: stop leading rather than risk two leaders.
      if (this.leading) {
        this.logger.warn({ leader: this.id }, 'leadership lost (no database): stopping the leader tasks');
        await this.follow();
      }
      throw error;
    }
    if (held && !this.leading) {
      this.leading = true;
      this.logger.info({ leader: this.id }, 'this process is the leader: tracker and governance run here');
      for (const task of this.tasks) task.start();
    } else if (!held && this.leading) {
      this.logger.warn({ leader: this.id }, 'leadership lost: stopping the leader tasks');
      await this.follow();
    }
  }

  private async follow(): Promise<void> {
    this.leading = false;
    for (const task of [...this.tasks].reverse()) await task.stop();
  }
}
