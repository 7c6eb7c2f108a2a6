import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import { NodeUnavailable, Rejected } from '../pactus/node/errors.js';
import type { PactusNodeClient } from '../pactus/node/client.js';
import { lockTimeExpired } from '../pactus/node/watcher.js';
import { draftsWithStatus, expireStaleDrafts, type DraftRow } from './drafts.js';
import { confirmDraft, failDraft, type ConfirmationHook } from './outcomes.js';

/**
 * Watches every submitted draft until it is committed or can no longer be. It works from the database alone,
 * so after a crash between broadcast and confirmation a restart simply picks the draft up again; a transaction
 * the node lost is broadcast again (same bytes, same ID, so never twice on chain).
 */
export class ConfirmationTracker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  readonly hooks: ConfirmationHook[] = [];

  constructor(
    private readonly db: Db,
    private readonly node: PactusNodeClient,
    private readonly logger: Logger,
    private readonly options: { pollMs: number; now: () => number },
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poke(), this.options.pollMs);
    this.timer.unref();
    void this.poke();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs one pass now (or joins the one already running). */
  poke(): Promise<void> {
    this.running ??= this.tick().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async tick(): Promise<void> {
    const now = this.options.now();
    expireStaleDrafts(this.db, now);
    const submitted = draftsWithStatus(this.db, ['submitted']).filter((d) => d.txId);
    if (submitted.length === 0) return;
    try {
      // Looked up at most once per pass, and only if some draft is not committed yet.
      let height: number | null = null;
      let pool: Set<string> | null = null;
      for (const draft of submitted) {
        const record = await this.node.findTransaction(draft.txId!);
        if (record) {
          if (confirmDraft(this.db, draft, record.blockHeight, this.options.now(), this.hooks))
            this.logger.info(
              { draftId: draft.id, txId: draft.txId, height: record.blockHeight },
              'draft confirmed',
            );
          continue;
        }
        height ??= (await this.node.getBlockchainInfo()).height;
        if (draft.lockTime !== null && lockTimeExpired(draft.lockTime, height)) {
          failDraft(
            this.db,
            draft,
            'The transaction was not included before its lock time window closed.',
            this.options.now(),
          );
          continue;
        }
        pool ??= new Set((await this.node.getTxPoolContent()).map((t) => t.id));
        if (!pool.has(draft.txId!)) await this.rebroadcast(draft);
      }
    } catch (error) {
      if (error instanceof NodeUnavailable)
        this.logger.warn({ err: error.message }, 'node unavailable while tracking drafts');
      else this.logger.error({ err: error }, 'tracking drafts failed');
    }
  }

  private async rebroadcast(draft: DraftRow): Promise<void> {
    if (!draft.signedTx) return;
    try {
      await this.node.broadcastTransaction(draft.signedTx);
      this.logger.info({ draftId: draft.id, txId: draft.txId }, 'draft re-broadcast');
    } catch (error) {
      if (error instanceof Rejected && /already exists|duplicate/i.test(error.reason)) return;
      if (error instanceof Rejected) {
        failDraft(this.db, draft, error.reason, this.options.now());
        return;
      }
      throw error;
    }
  }
}
