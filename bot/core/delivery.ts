import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import type { Reply } from '../../agents/reply.js';
import { randomUUID } from 'node:crypto';
import {
  claimOutbox,
  renewOutboxClaims,
  deliveredRefOf,
  releaseOutbox,
  isSupersededEdit,
  markOutboxFailed,
  markOutboxSent,
  markOutboxUndeliverable,
  type OutboxRow,
} from '../../wallet/outbox.js';
import type { Notifications } from './notifications.js';

/**
 * A platform's refusal of a notification. `permanent` ones (a closed DM, a user who never started the bot, a
 * chat the bot left) are not retried: retrying cannot succeed and, on Discord, counts against the invalid-request
 * limit. Anything else is transient and retried with backoff.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** What a delivery did: posted (with the platform's message id), or reached the person another way. */
export type Delivered = string | void;

/**
 * Sends one rendered notification on a platform and returns what it posted (a message id), if anything; with
 * `editRef` it edits that earlier post instead. Throw DeliveryError to say whether a retry makes sense.
 */
export type Deliver = (row: OutboxRow, reply: Reply, editRef?: string) => Promise<Delivered>;

/**
 * Delivers a platform's outbox rows and marks each sent after delivery. Rows survive restarts. Each pass claims the
 * rows it delivers (claimOutbox), so several bot processes on one database never send a row twice, and rows a dead
 * process held are delivered by another once its claim runs out. Edits of one post are coalesced to the newest,
 * and a row the platform refuses for good is marked undeliverable instead of being retried forever.
 */
/** How long a delivery claim lasts without renewal. */
const CLAIM_MS = 15_000;

export class OutboxDelivery {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Who holds this loop's claims (one per process and platform). */
  readonly owner = `${process.pid}:${randomUUID()}`;

  constructor(
    private readonly db: Db,
    private readonly platform: string,
    private readonly notifications: Notifications,
    private readonly deliver: Deliver,
    private readonly logger: Logger,
    private readonly pollMs = 1000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.pollMs);
    this.timer.unref();
    void this.flush();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  flush(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    // A short claim, renewed while this pass works (a platform's rate limit can make it long): rows of a process
    // that died are delivered by another within CLAIM_MS.
    const renew = setInterval(
      () =>
        void renewOutboxClaims(this.db, this.owner, Date.now() + CLAIM_MS).catch((error: unknown) =>
          this.logger.warn({ err: error }, 'could not renew outbox claims'),
        ),
      CLAIM_MS / 3,
    );
    try {
      await this.deliverClaimed();
    } finally {
      clearInterval(renew);
    }
  }

  private async deliverClaimed(): Promise<void> {
    const claimed = await claimOutbox(this.db, this.platform, this.owner, Date.now(), { leaseMs: CLAIM_MS });
    for (const row of claimed) {
      const rendered = this.notifications.render(row);
      if (!rendered) {
        this.logger.warn({ kind: row.kind, id: row.id }, 'no renderer for notification; dropping it');
        await markOutboxSent(this.db, row.id, Date.now());
        continue;
      }
      let editRef: string | undefined;
      if (row.editOf) {
        if (await isSupersededEdit(this.db, row)) {
          await markOutboxSent(this.db, row.id, Date.now(), null); // a newer edit of the same post will be sent
          continue;
        }
        const target = await deliveredRefOf(this.db, row.editOf);
        if (!target?.sent) {
          await releaseOutbox(this.db, row.id); // the post to edit is not out yet
          continue;
        }
        if (!target.ref) {
          await markOutboxSent(this.db, row.id, Date.now(), null); // it went out without a message to edit
          continue;
        }
        editRef = target.ref;
      }
      try {
        const ref = await this.deliver(row, rendered, editRef);
        await markOutboxSent(this.db, row.id, Date.now(), ref ?? null);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof DeliveryError && error.permanent) {
          this.logger.warn({ err: message, id: row.id, kind: row.kind }, 'notification undeliverable');
          await markOutboxUndeliverable(this.db, row.id, Date.now(), message);
          continue;
        }
        this.logger.warn(
          { err: message, id: row.id, attempts: row.attempts + 1 },
          'notification delivery failed',
        );
        await markOutboxFailed(this.db, row, Date.now(), message);
      }
    }
  }
}
