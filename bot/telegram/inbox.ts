import { AsyncLocalStorage } from 'node:async_hooks';
import { and, eq, inArray, isNull, lt, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Logger } from 'pino';
import type { Update } from 'telegraf/types';
import { BackgroundPass } from '../../db/background-pass.js';
import { dialectOf, isDatabaseUnavailable, tables, type Sql } from '../../db/connection.js';
import { scrub } from '../logger.js';

/**
 * The update being answered was taken over by another process (this one froze, or lost the database, past its
 * lease): its answer is not sent, since the other process answers it, in the chat's order.
 */
export class AnswerTakenOver extends Error {
  constructor(readonly updateId: number) {
    super(`telegram update ${updateId} is another process's now`);
  }
}

export interface InboxOptions {
  /** How long a claim lasts without renewal: how soon another process takes over from one that died. */
  leaseMs?: number;
  /** How often updates nobody is answering (stored by a dead process, or waiting for a free slot) are looked for. */
  sweepMs?: number;
  /** Claims of one update before it is given up (an update that kills every process that handles it). */
  maxAttempts?: number;
  /** Updates this process answers at once (each of another chat). */
  atOnce?: number;
  now?: () => number;
}

/** Updates a process answers at once: also what a kill -9 of it can leave answered but not recorded. */
export const UPDATES_AT_ONCE = 16;

/**
 * The chat whose updates must be answered in order: a message's chat, or the chat of the message whose button was
 * pressed (a "Cancel" then runs after the request it cancels), else the user who pressed it.
 */
export function chatKeyOf(update: Update): string {
  if ('message' in update && update.message) return `c${update.message.chat.id}`;
  if ('callback_query' in update && update.callback_query) {
    const chat = update.callback_query.message?.chat.id;
    return chat === undefined ? `u${update.callback_query.from.id}` : `c${chat}`;
  }
  return `x${update.update_id}`;
}

/**
 * Every Telegram update passes through here, by webhook or polling, on one process or several:
 * - `accept` stores it before Telegram is answered, and says whether it is new: a redelivered update (Telegram
 *   retries until a 2xx, and a retry may reach another worker) is one row;
 * - a process claims the first unanswered update of a chat (never a later one while an earlier is open), answers
 *   it, marks it done, then looks again, so one chat's updates are answered one at a time in update_id order
 *   whichever workers received them, while different chats are answered at once (up to `atOnce` per process);
 * - updates whose process stopped renewing its claim (killed mid-answer) are claimed again by another.
 * Telegram posts a chat's next update only after the previous one was answered 2xx (see the emulator's
 * telegram-webhook.ts for the Bot API source), i.e. after it was stored here, so no earlier update of a chat can
 * arrive after a later one has been answered. No update is lost and none is answered twice, except the ones a
 * killed process had answered but not yet marked done (at most `atOnce`).
 */
export class TelegramInbox {
  private readonly inFlight = new Set<number>();
  /** Answered updates whose done mark failed (the database went away): marked before anything else is claimed. */
  private readonly unrecorded = new Set<number>();
  private readonly leaseMs: number;
  private readonly atOnce: number;
  private readonly now: () => number;
  private readonly pump: BackgroundPass;
  private readonly renewal: BackgroundPass;
  private running: Promise<void>[] = [];
  /** The update whose answer the current async context is making (see `held`). */
  private readonly current = new AsyncLocalStorage<number>();

  constructor(
    private readonly db: Sql,
    private readonly owner: string,
    private readonly handle: (update: Update) => Promise<void>,
    private readonly logger: Logger,
    private readonly options: InboxOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 15_000;
    this.atOnce = options.atOnce ?? UPDATES_AT_ONCE;
    this.now = options.now ?? Date.now;
    this.pump = new BackgroundPass({
      name: 'telegram inbox',
      run: () => this.claimAndAnswer(),
      everyMs: options.sweepMs ?? 2_000,
      logger,
    });
    this.renewal = new BackgroundPass({
      name: 'telegram inbox claim renewal',
      run: () => this.renew(),
      everyMs: Math.max(500, Math.floor(this.leaseMs / 3)),
      runAtStart: false,
      logger,
    });
  }

  start(): void {
    this.pump.start();
    this.renewal.start();
  }

  /** Looks for updates to answer now (a new one was stored, or a slot is free). */
  wake(): void {
    this.pump.wake();
  }

  /** Stops taking work and gives back the claims of updates still being answered, for another process. */
  async stop(): Promise<void> {
    await this.pump.stop();
    await this.renewal.stop();
    const unfinished = [...this.inFlight];
    if (unfinished.length) {
      const { telegramUpdates: u } = tables(this.db);
      await this.db
        .update(u)
        .set({ claimedBy: null, claimedUntil: 0 })
        .where(and(inArray(u.updateId, unfinished), isNull(u.doneAt), eq(u.claimedBy, this.owner)))
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not give back telegram updates'));
    }
  }

  /** Stores the update for any process to answer; false when it was already received (by any process). */
  async accept(update: Update): Promise<boolean> {
    const { telegramUpdates: u } = tables(this.db);
    const stored = await this.db
      .insert(u)
      .values({
        updateId: update.update_id,
        // Kept only for another process to answer it should this one die; never with a secret in it. Answered from
        // this copy, a cut-out secret still gets the refusal (bot/core/conversation.ts, eventContainsSecret).
        payload: scrub(update, 0) as Record<string, unknown>,
        receivedAt: this.now(),
        claimedBy: null,
        claimedUntil: 0,
        attempts: 0,
        chatKey: chatKeyOf(update),
      })
      .onConflictDoNothing()
      .returning({ id: u.updateId });
    return stored.length === 1;
  }

  /** Waits until nothing this process took is being answered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.length) await Promise.all(this.running);
  }

  /**
   * Claims the first open update of chats nobody is answering (as many as there are free slots), oldest first,
   * and answers each. An update is claimable while unclaimed or its claim lapsed, and only if no earlier update of
   * its chat is open: the check and the claim are one statement (on PostgreSQL the candidates are locked FOR
   * UPDATE SKIP LOCKED, so two processes claim different ones).
   */
  private async claimAndAnswer(): Promise<void> {
    await this.recordUnrecorded();
    const free = this.atOnce - this.inFlight.size;
    if (free <= 0) return;
    const { telegramUpdates: u } = tables(this.db);
    const earlier = alias(u, 'earlier');
    const now = this.now();
    const claimable = and(isNull(u.doneAt), lt(u.claimedUntil, now));
    const candidates = this.db
      .select({ id: u.updateId })
      .from(u)
      .where(
        and(
          claimable,
          notExists(
            this.db
              .select({ one: sql`1` })
              .from(earlier)
              .where(
                and(eq(earlier.chatKey, u.chatKey), lt(earlier.updateId, u.updateId), isNull(earlier.doneAt)),
              ),
          ),
        ),
      )
      .orderBy(u.updateId)
      .limit(free);
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
      .where(and(inArray(u.updateId, this.db.select({ id: cte.id }).from(cte)), claimable))
      .returning();
    for (const row of claimed.sort((a, b) => a.updateId - b.updateId)) {
      if (row.attempts > (this.options.maxAttempts ?? 3) || !row.payload) {
        this.logger.error({ update: row.updateId, attempts: row.attempts }, 'telegram update given up');
        await this.db.update(u).set({ doneAt: now, payload: null }).where(eq(u.updateId, row.updateId));
        this.wake(); // the chat's next update may go now
        continue;
      }
      if (row.attempts > 1)
        this.logger.warn(
          { update: row.updateId },
          'answering a telegram update another process left unfinished',
        );
      this.answer(row.payload as unknown as Update);
    }
  }

  /**
   * Call right before each message an answer sends: throws AnswerTakenOver when another process holds the update
   * being answered (in this async context) now, because this one froze or lost the database past its lease and
   * the update was claimed again. A stalled worker that wakes up so does not send an answer the taker sends too, nor
   * send it after the chat's later answers. The check renews the lease in the same statement (a fence), so an
   * update nobody took over is still answered, however long the stall. Outside an answer it does nothing.
   */
  async held(): Promise<void> {
    const id = this.current.getStore();
    if (id === undefined) return;
    const { telegramUpdates: u } = tables(this.db);
    let ours: unknown[];
    try {
      ours = await this.db
        .update(u)
        .set({ claimedUntil: this.now() + this.leaseMs })
        .where(and(eq(u.updateId, id), eq(u.claimedBy, this.owner), isNull(u.doneAt)))
        .returning({ id: u.updateId });
    } catch (error) {
      // The database away cannot tell: the answer (often "try again shortly") goes out rather than being lost.
      if (isDatabaseUnavailable(error)) return;
      throw error;
    }
    if (!ours.length) throw new AnswerTakenOver(id);
  }

  /** Answers an update this process claimed, then marks it done and forgets its content. */
  private answer(update: Update): void {
    const id = update.update_id;
    this.inFlight.add(id);
    const done = (async () => {
      try {
        await this.current.run(id, () => this.handle(update));
      } catch (error) {
        // Handled means answered or failed for good: a failing handler would fail again elsewhere.
        if (error instanceof AnswerTakenOver)
          this.logger.warn({ update: id }, 'telegram update taken over by another process: answer not sent');
        else this.logger.error({ err: error, update: id }, 'telegram update failed');
      }
      try {
        const { telegramUpdates: u } = tables(this.db);
        // Only while it is still ours: an update another process took over is its to mark, once answered.
        await this.db
          .update(u)
          .set({ doneAt: this.now(), payload: null })
          .where(and(eq(u.updateId, id), eq(u.claimedBy, this.owner)));
      } catch {
        // Kept (and its claim renewed) until the database answers, so nobody answers it again meanwhile.
        this.unrecorded.add(id);
      } finally {
        this.inFlight.delete(id);
        this.wake();
      }
    })();
    this.running.push(done);
    void done.then(() => (this.running = this.running.filter((p) => p !== done)));
  }

  private async recordUnrecorded(): Promise<void> {
    if (!this.unrecorded.size) return;
    const { telegramUpdates: u } = tables(this.db);
    const ids = [...this.unrecorded];
    await this.db
      .update(u)
      .set({ doneAt: this.now(), payload: null })
      .where(and(inArray(u.updateId, ids), isNull(u.doneAt), eq(u.claimedBy, this.owner)));
    for (const id of ids) this.unrecorded.delete(id);
  }

  private async renew(): Promise<void> {
    const ids = [...this.inFlight, ...this.unrecorded];
    if (!ids.length) return;
    const { telegramUpdates: u } = tables(this.db);
    await this.db
      .update(u)
      .set({ claimedUntil: this.now() + this.leaseMs })
      .where(and(eq(u.claimedBy, this.owner), isNull(u.doneAt), inArray(u.updateId, ids)));
  }
}
