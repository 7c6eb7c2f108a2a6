import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Update } from 'telegraf/types';
import { dialectOf, tables, type Sql } from '../../db/connection.js';
import { scrub } from '../logger.js';

export interface InboxOptions {
  /** How long a claim lasts without renewal: how soon another process takes over from one that died. */
  leaseMs?: number;
  /** How often unfinished updates of dead processes are looked for. */
  sweepMs?: number;
  /** Claims of one update before it is given up (an update that kills every process that handles it). */
  maxAttempts?: number;
  now?: () => number;
}

/**
 * Every Telegram update passes through here, by webhook or polling, on one process or several:
 * - `accept` stores it claimed by this process before Telegram is answered, and says whether it is new: a
 *   redelivered update (Telegram retries until a 2xx, and a retry may reach another worker) is one row;
 * - `run` handles it and marks it done, renewing the claim while it works;
 * - the sweep claims updates whose process stopped renewing (killed mid-answer) and handles them here.
 * So no update is lost and none is answered twice, except one that a killed process had answered but not yet
 * marked done.
 */
export class TelegramInbox {
  private readonly inFlight = new Set<number>();
  private readonly leaseMs: number;
  private readonly now: () => number;
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void>[] = [];

  constructor(
    private readonly db: Sql,
    private readonly owner: string,
    private readonly handle: (update: Update) => Promise<void>,
    private readonly logger: Logger,
    private readonly options: InboxOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 15_000;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    const renew = setInterval(() => void this.renew(), Math.max(500, this.leaseMs / 3));
    const sweep = setInterval(() => void this.sweep(), this.options.sweepMs ?? 2_000);
    this.timers = [renew, sweep];
  }

  /** Stops taking work and gives back the claims of updates still being answered, for another process. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    const unfinished = [...this.inFlight];
    if (unfinished.length) {
      const { telegramUpdates: u } = tables(this.db);
      await this.db
        .update(u)
        .set({ claimedBy: null, claimedUntil: 0 })
        .where(and(inArray(u.updateId, unfinished), isNull(u.doneAt), eq(u.claimedBy, this.owner)));
    }
  }

  /** Stores the update claimed by this process; false when it was already received (by any process). */
  async accept(update: Update): Promise<boolean> {
    const { telegramUpdates: u } = tables(this.db);
    const now = this.now();
    const stored = await this.db
      .insert(u)
      .values({
        updateId: update.update_id,
        // Kept only for another process to answer it should this one die; never with a secret in it. Answered from
        // this copy, a cut-out secret still gets the refusal (bot/core/conversation.ts, eventContainsSecret).
        payload: scrub(update, 0) as Record<string, unknown>,
        receivedAt: now,
        claimedBy: this.owner,
        claimedUntil: now + this.leaseMs,
        attempts: 1,
      })
      .onConflictDoNothing()
      .returning({ id: u.updateId });
    return stored.length === 1;
  }

  /** Handles an update this process claimed, then marks it done and forgets its content. */
  run(update: Update): Promise<void> {
    const id = update.update_id;
    this.inFlight.add(id);
    const done = (async () => {
      try {
        await this.handle(update);
      } catch (error) {
        // Handled means answered or failed for good: a failing handler would fail again elsewhere.
        this.logger.error({ err: error, update: id }, 'telegram update failed');
      }
      try {
        const { telegramUpdates: u } = tables(this.db);
        await this.db.update(u).set({ doneAt: this.now(), payload: null }).where(eq(u.updateId, id));
      } catch (error) {
        this.logger.error({ err: error, update: id }, 'could not mark a telegram update done');
      } finally {
        this.inFlight.delete(id);
      }
    })();
    this.running.push(done);
    void done.then(() => (this.running = this.running.filter((p) => p !== done)));
    return done;
  }

  /** Waits for the updates being answered now (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.length) await Promise.all(this.running);
  }

  private async renew(): Promise<void> {
    if (!this.inFlight.size) return;
    const { telegramUpdates: u } = tables(this.db);
    await this.db
      .update(u)
      .set({ claimedUntil: this.now() + this.leaseMs })
      .where(and(eq(u.claimedBy, this.owner), isNull(u.doneAt), inArray(u.updateId, [...this.inFlight])))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not renew telegram update claims'));
  }

  /** Claims updates left unfinished by a process that stopped renewing, and answers them here. */
  private async sweep(): Promise<void> {
    try {
      const { telegramUpdates: u } = tables(this.db);
      const now = this.now();
      const lapsed = and(isNull(u.doneAt), lt(u.claimedUntil, now));
      const candidates = this.db
        .select({ id: u.updateId })
        .from(u)
        .where(lapsed)
        .orderBy(u.updateId)
        .limit(20);
      // As for the outbox: PostgreSQL skips rows another process is claiming right now instead of waiting.
      const picked =
        dialectOf(this.db) === 'postgres'
          ? (
              candidates as unknown as {
                for(strength: 'update', config: { skipLocked: boolean }): typeof candidates;
              }
            ).for('update', { skipLocked: true })
          : candidates;
      const cte = this.db.$with('picked').as(picked);
      const claimed = await this.db
        .with(cte)
        .update(u)
        .set({ claimedBy: this.owner, claimedUntil: now + this.leaseMs, attempts: sql`${u.attempts} + 1` })
        .where(and(inArray(u.updateId, this.db.select({ id: cte.id }).from(cte)), lapsed))
        .returning();
      for (const row of claimed.sort((a, b) => a.updateId - b.updateId)) {
        if (row.attempts > (this.options.maxAttempts ?? 3) || !row.payload) {
          this.logger.error({ update: row.updateId, attempts: row.attempts }, 'telegram update given up');
          await this.db.update(u).set({ doneAt: now, payload: null }).where(eq(u.updateId, row.updateId));
          continue;
        }
        this.logger.warn(
          { update: row.updateId },
          'answering a telegram update another process left unfinished',
        );
        void this.run(row.payload as unknown as Update);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'telegram inbox sweep failed');
    }
  }
}
