import type { Logger } from 'pino';
import { eq } from 'drizzle-orm';
import { BackgroundPass } from '../db/background-pass.js';
import { type Db, tables } from '../db/connection.js';
import { NodeUnavailable, Rejected } from '../chain/errors.js';
import { NodeUnhealthy } from '../chain/health.js';
import { decodeTransactionHex, totalDebit } from '../pactus/tx.js';
import type { PactusNodeClient } from '../chain/client.js';
import { lockTimeExpired } from '../chain/watcher.js';
import { draftsWithStatus, expireStaleDrafts, type DraftRow } from './drafts.js';
import { confirmDraft, failDraft, notifyDraftStalled, type ConfirmationHook } from './outcomes.js';

/** Blocks a broadcast transaction may be missing from both pool and chain before the person is told. */
export const UNSEEN_BLOCKS_BEFORE_WARNING = 3;

/** The longest wait between two rebroadcasts of a transaction no node keeps: 256 blocks, about 43 minutes. */
export const MAX_REBROADCAST_GAP = 256;

/**
 * Whether a transaction missing from pool and chain since `unseenSince` is due to be sent again. The gap doubles
 * with the time it has been missing (1, 2, 4 ... up to MAX_REBROADCAST_GAP blocks), so a transaction a node will
 * never keep (a fee below its minimum: txpool.go) is sent ~40 times over its 8,640-block lock-time window, not
 * 8,640, while one a node merely lost is sent again at once. Stateless: it needs only the rows' heights.
 */
export function rebroadcastDue(height: number, unseenSince: number, broadcastHeight: number | null): boolean {
  if (broadcastHeight === null) return true;
  const missingFor = Math.max(1, height - unseenSince);
  const gap = Math.min(MAX_REBROADCAST_GAP, 2 ** Math.floor(Math.log2(missingFor)));
  return height - broadcastHeight >= gap;
}

/**
 * Watches every submitted draft until it is committed or can no longer be. It works from the database alone,
 * so after a crash between broadcast and confirmation a restart simply picks the draft up again.
 *
 * A real node answers a broadcast with success even when it keeps the transaction out of its pool (a fee
 * below its minimum: txpool.go), so "accepted" can mean "never mined". A transaction that is in neither the
 * pool nor a block is broadcast again (same bytes, same ID, so never twice on chain), less and less often
 * (`rebroadcastDue`); the person is told once when it has been missing for a few blocks (with what to do when its
 * fee is below the node's minimum), and it fails when its lock time passes. Each pass first checks the node
 * (PactusNodeClient.ensureHealthy): from a lagging node, a draft is neither failed nor sent again.
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

  /** One pass now, whether or not the tracker runs here (a test or a one-off command); true when it worked. */
  passNow(): Promise<boolean> {
    return this.pass.runNow();
  }

  private async tick(): Promise<void> {
    await expireStaleDrafts(this.db, this.options.now());
    const submitted = (await draftsWithStatus(this.db, ['submitted'])).filter((d) => d.txId);
    if (submitted.length === 0) return;
    let pass: { height: number; pool: Set<string> };
    try {
      // Read once per pass: the height and the pool, whatever the number of drafts. A node behind the network
      // would show a dead transaction as still includable, so its answers decide nothing.
      const { height } = await this.node.ensureHealthy();
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
    else if (error instanceof NodeUnhealthy)
      this.logger.warn({ err: error.detail }, 'no node fit to track drafts with: pass skipped');
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
      await notifyDraftStalled(this.db, draft, {
        sinceHeight: unseenSince,
        lockTime: draft.lockTime,
        ...(await this.feeShortfall(draft)),
      });
      await this.update(draft.id, { stalledAt: this.options.now() });
      this.logger.warn(
        { draftId: draft.id, txId: id, unseenSince },
        'broadcast transaction is not being mined',
      );
    }
    if (rebroadcastDue(height, unseenSince, draft.broadcastHeight)) await this.rebroadcast(draft, height);
  }

  /** The fee and the node's minimum for its type, when the fee is below it; nothing when it cannot tell. */
  private async feeShortfall(draft: DraftRow): Promise<{ fee?: bigint; minimumFee?: bigint }> {
    if (!draft.signedTx) return {};
    try {
      const tx = decodeTransactionHex(draft.signedTx, { basicCheck: false });
      const { fee } = await this.node.calculateFee(totalDebit(tx) - tx.fee, tx.payload.type);
      return tx.fee < fee ? { fee: tx.fee, minimumFee: fee } : {};
    } catch {
      return {};
    }
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
