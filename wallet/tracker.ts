import type { Logger } from 'pino';
import { eq } from 'drizzle-orm';
import { BackgroundPass } from '../db/background-pass.js';
import { type Db, tables } from '../db/connection.js';
import { NodeUnavailable, Rejected } from '../chain/errors.js';
import type { PactusNodeClient } from '../chain/client.js';
import { lockTimeExpired } from '../chain/watcher.js';
import { draftsWithStatus, expireStaleDrafts, type DraftRow } from './drafts.js';
import { confirmDraft, failDraft, notifyDraftStalled, type ConfirmationHook } from './outcomes.js';

/** Blocks a broadcast transaction may be missing from both pool and chain before the person is told. */
export const UNSEEN_BLOCKS_BEFORE_WARNING = 3;

/**
 * Watches every submitted draft until it is committed or can no longer be. It works from the database alone,
 * so after a crash between broadcast and confirmation a restart simply picks the draft up again.
 *
 * A real node answers a broadcast with success even when it keeps the transaction out of its pool (a fee
 * below its minimum: txpool.go), so "accepted" can mean "never mined". A transaction that is in neither the
 * pool nor a block is broadcast again (same bytes, same ID, so never twice on chain) at most once a block,
 * the person is told once when it has been missing for a few blocks, and it fails when its lock time passes.
 */
export class ConfirmationTracker {
  readonly hooks: ConfirmationHook[] = [];
  /** A pass that fails (the database went away) is logged once per outage and retried with backoff. */
  private readonly pass: BackgroundPass;

  constructor(
    private readonly db: Db,
    private readonly node: PactusNodeClient,
    private readonly logger: Logger,
    private readonly options: { pollMs: number; now: () => number },
  ) {
    this.pass = new BackgroundPass({
      name: 'confirmation tracker',
      run: () => this.tick(),
      everyMs: options.pollMs,
      logger,
    });
  }

  start(): void {
    this.pass.start();
  }

  async stop(): Promise<void> {
    await this.pass.stop();
  }

  /** A pass soon (after the one running), while the tracker runs here. */
  poke(): void {
    this.pass.wake();
  }

  private async tick(): Promise<void> {
    await expireStaleDrafts(this.db, this.options.now());
    const submitted = (await draftsWithStatus(this.db, ['submitted'])).filter((d) => d.txId);
    if (submitted.length === 0) return;
    let pass: { height: number; pool: Set<string> };
    try {
      // Read once per pass: the height and the pool, whatever the number of drafts.
      const { height } = await this.node.getBlockchainInfo();
      pass = { height, pool: new Set((await this.node.getTxPoolContent()).map((t) => t.id)) };
    } catch (error) {
      this.logFailure(error, null);
      return;
    }
    for (const draft of submitted) {
      try {
        await this.track(draft, pass.height, pass.pool);
      } catch (error) {
        // One draft's trouble never stops the others, nor expiry and rebroadcast next time.
        this.logFailure(error, draft.id);
      }
    }
  }

  private logFailure(error: unknown, draftId: string | null): void {
    if (error instanceof NodeUnavailable)
      this.logger.warn({ err: error.message, draftId }, 'node unavailable while tracking drafts');
    else this.logger.error({ err: error, draftId }, 'tracking a draft failed');
  }

  private async track(draft: DraftRow, height: number, pool: Set<string>): Promise<void> {
    const id = draft.txId!;
    if (pool.has(id)) {
      if (draft.unseenSince !== null) await this.update(draft.id, { unseenSince: null });
      return;
    }
    const record = await this.node.findTransaction(id);
    if (record) {
      if (await confirmDraft(this.db, draft, record.blockHeight, this.options.now(), this.hooks))
        this.logger.info({ draftId: draft.id, txId: id, height: record.blockHeight }, 'draft confirmed');
      return;
    }
    if (draft.lockTime !== null && lockTimeExpired(draft.lockTime, height)) {
      await failDraft(
        this.db,
        draft,
        draft.stalledAt !== null
          ? 'It was never mined: the node accepted it but did not keep it in its pool (its fee may be below the node’s minimum), and its lock time window has now closed.'
          : 'The transaction was not included before its lock time window closed.',
        this.options.now(),
      );
      return;
    }
    const unseenSince = draft.unseenSince ?? height;
    if (draft.unseenSince === null) await this.update(draft.id, { unseenSince });
    if (draft.stalledAt === null && height - unseenSince >= UNSEEN_BLOCKS_BEFORE_WARNING) {
      await notifyDraftStalled(this.db, draft, { sinceHeight: unseenSince, lockTime: draft.lockTime });
      await this.update(draft.id, { stalledAt: this.options.now() });
      this.logger.warn(
        { draftId: draft.id, txId: id, unseenSince },
        'broadcast transaction is not being mined',
      );
    }
    if (draft.broadcastHeight === null || draft.broadcastHeight < height)
      await this.rebroadcast(draft, height);
  }

  private async update(
    id: string,
    values: Partial<Pick<DraftRow, 'unseenSince' | 'stalledAt' | 'broadcastHeight'>>,
  ) {
    const { drafts } = tables(this.db);
    await this.db.update(drafts).set(values).where(eq(drafts.id, id));
  }

  private async rebroadcast(draft: DraftRow, height: number): Promise<void> {
    if (!draft.signedTx) return;
    try {
      await this.node.broadcastTransaction(draft.signedTx);
      await this.update(draft.id, { broadcastHeight: height });
      this.logger.info({ draftId: draft.id, txId: draft.txId }, 'draft re-broadcast');
    } catch (error) {
      if (!(error instanceof Rejected)) throw error;
      await failDraft(this.db, draft, error.reason, this.options.now());
    }
  }
}
