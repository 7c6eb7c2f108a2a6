import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import type { Reply } from '../../agents/reply.js';
import { randomUUID } from 'node:crypto';
import { BackgroundPass } from '../../db/background-pass.js';
import {
  claimOutbox,
  deferOutbox,
  deliveredRefOf,
  fenceOutboxClaim,
  isSupersededEdit,
  markOutboxFailed,
  markOutboxSent,
  markOutboxUndeliverable,
  releaseOutbox,
  renewOutboxClaims,
  type OutboxRow,
} from '../../wallet/outbox.js';
import type { Notifications } from './notifications.js';

/**
 * A platform's refusal of a notification. `permanent` ones (a closed DM, a user who never started the bot, a
 * chat the bot left) are not retried: retrying cannot succeed and, on Discord, counts against the invalid-request
 * limit. `retryAfterMs` is the platform asking this chat to wait (a 429's retry_after): the chat's notifications
 * wait that long, the other chats' do not. Anything else is transient and retried with backoff.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** What a delivery did: posted (with the platform's message id), or reached the person another way. */
export type Delivered = string | void;

/**
 * The claim of the row being sent may have run out since it was fenced (the process froze in between): nothing
 * was sent, and the row is another process's now.
 */
export class ClaimLapsed extends Error {
  constructor() {
    super('the claim on this notification ran out before it was sent');
  }
}

/**
 * Sends one rendered notification on a platform and returns what it posted (a message id), if anything; with
 * `editRef` it edits that earlier post instead. Throw DeliveryError to say whether a retry makes sense. Call
 * `held()` right before each platform call: it throws ClaimLapsed when this process froze past its claim since the
 * fence, so the platform is not asked to send what another process may be sending.
 */
export type Deliver = (
  row: OutboxRow,
  reply: Reply,
  editRef?: string,
  held?: () => void,
) => Promise<Delivered>;

export interface DeliveryOptions {
  /** How often due rows are looked for. */
  pollMs?: number;
  /** How long a claim lasts without renewal: how soon the rows of a process that died or froze go to another. */
  claimMs?: number;
  /** Chats delivered to at once (each chat's rows one after another, in order). */
  chatsAtOnce?: number;
}

/** How long a delivery claim lasts without renewal (OUTBOX_CLAIM_SECONDS). */
export const DEFAULT_CLAIM_MS = 15_000;
/** Rows claimed by one pass. */
const BATCH = 50;
/** Chats a process sends to at once: what a process frozen mid-send can have on the wire. */
export const CHATS_AT_ONCE = 4;

/**
 * Delivers a platform's outbox rows and marks each sent after delivery. Rows survive restarts.
 *
 * - Claims: each pass claims the due rows it delivers (claimOutbox), so several bot processes on one database
 *   each deliver different rows, and rows a dead process held go to another once its claim runs out.
 * - Fence: right before each send the claim is checked and extended in one statement (fenceOutboxClaim). A process
 *   that froze past its claim (SIGSTOP, a long GC, a VM paused) finds its rows taken over and sends none of them;
 *   only what it had on the wire when it froze can go out twice.
 * - Chats: rows are grouped by recipient, each chat's rows sent in order, a few chats at once. A chat the platform
 *   rate-limits (429 retry_after) waits alone: its rows are deferred, the others go on.
 * - Edits of one post are coalesced to the newest, and a row the platform refuses for good is marked undeliverable.
 * - A send whose record could not be written (the database went away just then) is remembered and recorded first
 *   when the database is back, so an outage shorter than the claim repeats nothing.
 */
export class OutboxDelivery {
  /** Who holds this loop's claims (one per process and platform). */
  readonly owner = `${process.pid}:${randomUUID()}`;
  private readonly pass: BackgroundPass;
  private readonly renewal: BackgroundPass;
  private readonly claimMs: number;
  /** How long after a fence or renewal this process trusts its own clock that the claim is still its own. */
  private readonly heldForMs: number;
  private readonly chatsAtOnce: number;
  /**
   * Rows being sent now, each with the local time its claim is surely still held until (two thirds of a claim
   * after the fence or the last renewal that reached it): their claims are renewed while a slow platform call lasts.
   */
  private readonly sending = new Map<number, number>();
  /** Chats the platform asked to wait, until when. */
  private readonly waitUntil = new Map<string, number>();
  /** Rows sent whose record failed: recorded (not sent again) once the database answers. */
  private readonly unrecorded = new Map<number, string | null>();

  constructor(
    private readonly db: Db,
    private readonly platform: string,
    private readonly notifications: Notifications,
    private readonly deliver: Deliver,
    private readonly logger: Logger,
    options: DeliveryOptions = {},
  ) {
    this.claimMs = options.claimMs ?? DEFAULT_CLAIM_MS;
    this.heldForMs = Math.floor((this.claimMs * 2) / 3);
    this.chatsAtOnce = options.chatsAtOnce ?? CHATS_AT_ONCE;
    this.pass = new BackgroundPass({
      name: `outbox delivery (${platform})`,
      run: () => this.deliverClaimed(),
      everyMs: options.pollMs ?? 1000,
      logger,
    });
    this.renewal = new BackgroundPass({
      name: `outbox claim renewal (${platform})`,
      run: async () => {
        const now = Date.now();
        const renewed = await renewOutboxClaims(this.db, this.owner, now + this.claimMs, [
          ...this.sending.keys(),
          ...this.unrecorded.keys(),
        ]);
        for (const id of renewed) if (this.sending.has(id)) this.sending.set(id, now + this.heldForMs);
      },
      everyMs: Math.floor(this.claimMs / 3),
      runAtStart: false,
      logger,
    });
  }

  start(): void {
    this.pass.start();
    this.renewal.start();
  }

  async stop(): Promise<void> {
    await this.pass.stop();
    await this.renewal.stop();
  }

  /** Delivers what is due now (after a pass in progress); true when the pass worked. */
  flush(): Promise<boolean> {
    return this.pass.runNow();
  }

  private async deliverClaimed(): Promise<void> {
    for (const [id, ref] of this.unrecorded) {
      await markOutboxSent(this.db, id, Date.now(), ref);
      this.unrecorded.delete(id);
    }
    const now = Date.now();
    for (const [chat, until] of this.waitUntil) if (until <= now) this.waitUntil.delete(chat);
    const claimed = await claimOutbox(this.db, this.platform, this.owner, now, {
      leaseMs: this.claimMs,
      limit: BATCH,
    });
    // A full batch means more may be waiting: the next pass starts right after this one, not a poll later.
    if (claimed.length === BATCH) this.pass.wake();
    const chats = new Map<string, OutboxRow[]>();
    for (const row of claimed) chats.set(row.recipient, [...(chats.get(row.recipient) ?? []), row]);
    const queue = [...chats.values()];
    const workers = Array.from({ length: Math.min(this.chatsAtOnce, queue.length) }, async () => {
      for (let rows = queue.shift(); rows; rows = queue.shift()) await this.deliverChat(rows);
    });
    // Every chat's worker finishes (or fails) before the pass does; the first failure fails the pass.
    const results = await Promise.allSettled(workers);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** One chat's rows, in order; once the platform asks the chat to wait, the rest wait too. */
  private async deliverChat(rows: OutboxRow[]): Promise<void> {
    for (const row of rows) {
      const until = this.waitUntil.get(row.recipient);
      if (until !== undefined && until > Date.now()) {
        await deferOutbox(this.db, row.id, this.owner, until, 'waiting for the rate limit of this chat');
        continue;
      }
      await this.deliverRow(row);
    }
  }

  private async deliverRow(row: OutboxRow): Promise<void> {
    if (this.unrecorded.has(row.id)) return; // sent already; recorded at the start of the next pass
    const rendered = this.notifications.render(row);
    if (!rendered) {
      this.logger.warn({ kind: row.kind, id: row.id }, 'no renderer for notification; dropping it');
      await markOutboxSent(this.db, row.id, Date.now());
      return;
    }
    let editRef: string | undefined;
    if (row.editOf) {
      if (await isSupersededEdit(this.db, row)) {
        await markOutboxSent(this.db, row.id, Date.now(), null); // a newer edit of the same post will be sent
        return;
      }
      const target = await deliveredRefOf(this.db, row.editOf);
      if (!target?.sent) {
        await releaseOutbox(this.db, row.id, this.owner); // the post to edit is not out yet
        return;
      }
      if (!target.ref) {
        await markOutboxSent(this.db, row.id, Date.now(), null); // it went out without a message to edit
        return;
      }
      editRef = target.ref;
    }
    const fencedAt = Date.now();
    if (!(await fenceOutboxClaim(this.db, row.id, this.owner, fencedAt, this.claimMs))) {
      this.logger.warn({ id: row.id }, 'notification claim taken over by another process; not sending it');
      return;
    }
    let ref: Delivered;
    this.sending.set(row.id, fencedAt + this.heldForMs);
    const held = () => {
      if (Date.now() > (this.sending.get(row.id) ?? 0)) throw new ClaimLapsed();
    };
    try {
      held();
      ref = await this.deliver(row, rendered, editRef, held);
    } catch (error) {
      if (error instanceof ClaimLapsed) {
        this.logger.warn(
          { id: row.id },
          'notification claim ran out before its send (this process froze); not sending it',
        );
        return;
      }
      await this.refused(row, error);
      return;
    } finally {
      this.sending.delete(row.id);
    }
    try {
      await markOutboxSent(this.db, row.id, Date.now(), ref ?? null);
    } catch (error) {
      this.unrecorded.set(row.id, ref ?? null);
      throw error;
    }
  }

  private async refused(row: OutboxRow, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof DeliveryError && error.retryAfterMs !== undefined) {
      const until = Date.now() + error.retryAfterMs;
      this.waitUntil.set(row.recipient, Math.max(until, this.waitUntil.get(row.recipient) ?? 0));
      this.logger.warn(
        { id: row.id, retryAfterMs: error.retryAfterMs },
        'platform rate limit: this chat waits, the others go on',
      );
      await deferOutbox(this.db, row.id, this.owner, until, message);
      return;
    }
    if (error instanceof DeliveryError && error.permanent) {
      this.logger.warn({ err: message, id: row.id, kind: row.kind }, 'notification undeliverable');
      await markOutboxUndeliverable(this.db, row.id, Date.now(), message, this.owner);
      return;
    }
    this.logger.warn(
      { err: message, id: row.id, attempts: row.attempts + 1 },
      'notification delivery failed',
    );
    await markOutboxFailed(this.db, row, Date.now(), message, this.owner);
  }
}
