import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import type { Reply } from '../../agents/reply.js';
import {
  deliveredRefOf,
  dueOutbox,
  markOutboxFailed,
  markOutboxSent,
  type OutboxRow,
} from '../../wallet/outbox.js';
import type { Notifications } from './notifications.js';

/**
 * Sends one rendered notification on a platform and returns what it posted (a message id), if anything; with
 * `editRef` it edits that earlier post instead. Throw to retry later.
 */
export type Deliver = (row: OutboxRow, reply: Reply, editRef?: string) => Promise<string | void>;

/**
 * Delivers a platform's outbox rows and marks each sent after delivery. Rows survive restarts; one loop per
 * platform and process, so a row is never sent twice by this process.
 */
export class OutboxDelivery {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

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
    for (const row of dueOutbox(this.db, this.platform, Date.now())) {
      const rendered = this.notifications.render(row);
      if (!rendered) {
        this.logger.warn({ kind: row.kind, id: row.id }, 'no renderer for notification; dropping it');
        markOutboxSent(this.db, row.id, Date.now());
        continue;
      }
      const editOf =
        typeof row.payload.editOf === 'string' ? deliveredRefOf(this.db, row.payload.editOf) : undefined;
      if (typeof row.payload.editOf === 'string' && !editOf?.sent) continue; // the post to edit is not out yet
      try {
        const ref = await this.deliver(row, rendered, editOf?.ref ?? undefined);
        markOutboxSent(this.db, row.id, Date.now(), ref ?? null);
      } catch (error) {
        this.logger.warn(
          { err: (error as Error).message, id: row.id, attempts: row.attempts + 1 },
          'notification delivery failed',
        );
        markOutboxFailed(this.db, row.id, Date.now(), (error as Error).message);
      }
    }
  }
}
