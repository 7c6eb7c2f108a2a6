import type { Logger } from 'pino';
import { and, eq, inArray, lte } from 'drizzle-orm';
import { BackgroundPass } from '../db/background-pass.js';
import { type Db, type Sql, first, tables } from '../db/connection.js';
import { NodeUnavailable, Rejected } from '../chain/errors.js';
import type { PactusNodeClient } from '../chain/client.js';
import { chatAccountById } from './accounts.js';
import type { WalletConfig } from './config.js';
import { draftById, type DraftRow } from './drafts.js';
import { failDraft } from './outcomes.js';
import { withdrawOutbox, writeOutbox } from './outbox.js';
import { personOf } from './persons.js';

export type UndoOutcome =
  | { kind: 'cancelled'; draft: DraftRow }
  | { kind: 'too_late'; draft: DraftRow }
  | { kind: 'already_cancelled'; draft: DraftRow }
  | { kind: 'failed'; draft: DraftRow }
  | { kind: 'not_signed'; draft: DraftRow }
  | { kind: 'not_found' };

/**
 * The undo window: a signed transaction is kept back (status `held`, its bytes and `broadcastAfter` stored before
 * the page hears "signed") for the person's chosen seconds, during which a Cancel in the chat or on the page ends
 * it and nothing reaches the node. When the window ends, one process claims it with a single conditional UPDATE
 * (`held` -> `submitted` only while still held and due), so however many processes run the pass, exactly one
 * broadcasts; a cancel and a claim racing are decided by the same row, and only one of them wins. A process
 * that dies after claiming leaves a `submitted` draft with its bytes, which the confirmation tracker sends.
 */
export class UndoWindow {
  /** The periodic pass on every process (db/background-pass.ts: an outage is logged once and retried). */
  private readonly background: BackgroundPass;
  private readonly wakeups = new Set<NodeJS.Timeout>();
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly node: PactusNodeClient,
    private readonly config: WalletConfig,
    private readonly logger: Logger,
    private readonly options: { pollMs: number; afterBroadcast?: () => void },
  ) {
    this.background = new BackgroundPass({
      name: 'undo window',
      everyMs: options.pollMs,
      logger,
      run: async () => void (await this.release()),
    });
  }

  /**
   * Inside the transaction that consumes the link (which already stored the signed bytes): keeps the draft back
   * until `broadcastAfter` and tells the chat, with a Cancel button, in the same transaction.
   */
  async hold(tx: Sql, draft: DraftRow, broadcastAfter: number, now: number): Promise<void> {
    const { drafts } = tables(tx);
    await tx
      .update(drafts)
      .set({ status: 'held', broadcastAfter })
      .where(and(eq(drafts.id, draft.id), eq(drafts.status, 'submitted')));
    await tellChat(tx, draft, 'held', { broadcastAfter, seconds: Math.round((broadcastAfter - now) / 1000) });
  }

  /** Runs a pass at `at` in this process (the periodic pass, on any process, catches what a restart left). */
  wakeAt(at: number): void {
    if (this.stopped) return;
    const timer = setTimeout(
      () => {
        this.wakeups.delete(timer);
        this.background.wake();
      },
      Math.max(0, at - this.config.now()) + 5,
    );
    timer.unref();
    this.wakeups.add(timer);
  }

  start(): void {
    this.stopped = false;
    this.background.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wakeup of this.wakeups) clearTimeout(wakeup);
    this.wakeups.clear();
    await this.background.stop();
    await this.running?.catch(() => 0);
  }

  /** Broadcasts every held draft whose window has ended (joining a pass already running); returns how many. */
  pass(): Promise<number> {
    return this.release().catch((error: unknown) => {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'undo pass failed');
      return 0;
    });
  }

  private release(): Promise<number> {
    this.running ??= this.releaseDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async releaseDue(): Promise<number> {
    const now = this.config.now();
    const { drafts } = tables(this.db);
    const due = await this.db
      .select({ id: drafts.id })
      .from(drafts)
      .where(and(eq(drafts.status, 'held'), lte(drafts.broadcastAfter, now)));
    if (!due.length) return 0;
    let height: number | null = null;
    try {
      ({ height } = await this.node.getBlockchainInfo());
    } catch (error) {
      if (!(error instanceof NodeUnavailable)) throw error;
    }
    let sent = 0;
    for (const { id } of due) {
      // The claim: of every process running this pass, and of a cancel racing it, one statement wins the row.
      // The height recorded is what "too late: broadcast at block N" names, and keeps the tracker from sending it
      // again within the same block.
      const claimed = await first(
        this.db
          .update(drafts)
          .set({ status: 'submitted', broadcastHeight: height })
          .where(and(eq(drafts.id, id), eq(drafts.status, 'held'), lte(drafts.broadcastAfter, now)))
          .returning(),
      );
      if (!claimed) continue;
      await this.broadcast(claimed);
      sent++;
    }
    return sent;
  }

  private async broadcast(draft: DraftRow): Promise<void> {
    try {
      await this.node.broadcastTransaction(draft.signedTx!);
      this.logger.info({ draftId: draft.id, txId: draft.txId }, 'undo window over: draft broadcast');
    } catch (error) {
      if (error instanceof Rejected) await failDraft(this.db, draft, error.reason, this.config.now());
      // The draft is submitted with its bytes: the tracker sends it once the node is back.
      else if (error instanceof NodeUnavailable)
        this.logger.warn(
          { draftId: draft.id },
          'node unavailable when the undo window ended; the tracker will retry',
        );
      else throw error;
    } finally {
      this.options.afterBroadcast?.();
    }
  }

  /**
   * Cancels a held draft: only while it is still held, and then its signed bytes are erased, so nothing can ever
   * send them. From the chat (`chatAccountId`), only its person may: whoever asked for it or any chat account of
   * theirs, and the people of the wallet that signed it (their money); anyone else in a group pressing its button
   * is told it is not theirs and changes nothing. The page's link token names the draft by itself.
   */
  async cancel(draftId: string, chatAccountId: number | null, now: number): Promise<UndoOutcome> {
    const { drafts } = tables(this.db);
    const found = await draftById(this.db, draftId);
    if (!found || (chatAccountId !== null && !(await this.mayCancel(found, chatAccountId))))
      return { kind: 'not_found' };
    const cancelled = await first(
      this.db
        .update(drafts)
        .set({
          status: 'cancelled',
          finishedAt: now,
          signedTx: null,
          // What the page says when it sees the cancel.
          failureReason: `Cancelled ${chatAccountId === null ? 'on this page' : 'in the chat'}: nothing was sent to the network.`,
        })
        .where(and(eq(drafts.id, draftId), eq(drafts.status, 'held')))
        .returning(),
    );
    if (cancelled) {
      // Its "signed, goes to the network in N seconds" note, if not delivered yet, would now offer a Cancel for a
      // transaction that no longer exists.
      await withdrawOutbox(this.db, noteKey(draftId, 'held'), now);
      this.logger.info({ draftId }, 'held draft cancelled within its undo window');
      return { kind: 'cancelled', draft: cancelled };
    }
    const draft = (await draftById(this.db, draftId))!;
    if (draft.status === 'submitted' || draft.status === 'confirmed') return { kind: 'too_late', draft };
    if (draft.status === 'cancelled') return { kind: 'already_cancelled', draft };
    if (draft.status === 'pending') return { kind: 'not_signed', draft };
    return { kind: 'failed', draft };
  }

  /** Whether this chat account's person asked for the draft, or holds the wallet that signs it. */
  private async mayCancel(draft: DraftRow, chatAccountId: number): Promise<boolean> {
    const person = await personOf(this.db, chatAccountId);
    return person.chatAccountIds.includes(draft.chatAccountId) || person.addresses.includes(draft.signer);
  }

  /** The person's most recent draft still in its undo window (asked by any of their chat accounts), for "undo". */
  async latestHeld(chatAccountId: number): Promise<DraftRow | undefined> {
    const { drafts } = tables(this.db);
    const person = await personOf(this.db, chatAccountId);
    const rows = await this.db
      .select()
      .from(drafts)
      .where(and(inArray(drafts.chatAccountId, person.chatAccountIds), eq(drafts.status, 'held')));
    return rows.sort((a, b) => (b.broadcastAfter ?? 0) - (a.broadcastAfter ?? 0))[0];
  }
}

/** "Too late: it was broadcast at block N" in the plain words the chat and the page both use. */
export function tooLateWords(draft: DraftRow): string {
  const sent =
    draft.broadcastHeight !== null
      ? `Too late: it was broadcast at block ${draft.broadcastHeight}`
      : 'Too late: its undo window had ended and it was sent to the network';
  return draft.status === 'confirmed' && draft.blockHeight !== null
    ? `${sent} and is confirmed in block ${draft.blockHeight}.`
    : `${sent}.`;
}

/** What a cancel answered, in words (chat and page). */
export function undoWords(outcome: UndoOutcome): string {
  switch (outcome.kind) {
    case 'cancelled':
      return 'Cancelled: nothing was sent to the network, and the signed transaction was erased.';
    case 'too_late':
      return tooLateWords(outcome.draft);
    case 'already_cancelled':
      return 'It was already cancelled; nothing was sent.';
    case 'not_signed':
      return 'That one is not signed yet: its link can be cancelled with "cancel".';
    case 'failed':
      return `It ended without being sent: ${outcome.draft.failureReason ?? 'it failed'}.`;
    case 'not_found':
      return 'That transaction is not yours or does not exist.';
  }
}

/** Tells the chat that the page cancelled a held transaction (a cancel in the chat is answered there directly). */
export function notifyUndone(db: Sql, draft: DraftRow): Promise<void> {
  return tellChat(db, draft, 'undone', {});
}

const noteKey = (draftId: string, event: 'held' | 'undone') => `draft:${draftId}:${event}`;

/** One outbox row (`draft_held`, `draft_undone`) for the person who asked, once per draft and event. */
async function tellChat(db: Sql, draft: DraftRow, event: 'held' | 'undone', extra: Record<string, unknown>) {
  const account = await chatAccountById(db, draft.chatAccountId);
  if (!account) return;
  await writeOutbox(db, {
    dedupeKey: noteKey(draft.id, event),
    chatAccountId: draft.chatAccountId,
    platform: draft.platform,
    recipient: account.platformUserId,
    kind: `draft_${event}`,
    payload: { draftId: draft.id, draftKind: draft.kind, txId: draft.txId, ...extra },
  });
}
