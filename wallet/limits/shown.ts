// What the signer page shows about a person's limits: the ones a draft was checked against, one sentence each.
import { eq } from 'drizzle-orm';
import { type Sql, first, tables } from '../../db/connection.js';
import { pacText as pac } from '../../pactus/amount.js';
import { periodWords } from '../../pactus/time-words.js';

/** The limits that applied to a draft, as stored with it and shown on the signer page (amounts as NanoPAC text). */
export interface AppliedLimits {
  dailyLimit: string | null;
  /** What the person had drafted or sent in the 24 hours before, this draft included. */
  dailyUsed: string;
  txLimit: string | null;
  allowlist: boolean;
  coolingOffMs: number;
  undoSeconds: number;
}

/**
 * The limits a draft was checked against, if it went through the gate, with the lines the signer page shows (in
 * words here, so the page carries no copy of them): none when nothing is set and nothing waits.
 */
export async function appliedLimitsOf(
  db: Sql,
  draftId: string,
): Promise<(AppliedLimits & { lines: string[] }) | undefined> {
  const { guardDrafts } = tables(db);
  const row = await first(
    db
      .select({ applied: guardDrafts.applied })
      .from(guardDrafts)
      .where(eq(guardDrafts.draftId, draftId))
      .limit(1),
  );
  if (!row) return undefined;
  const applied = row.applied as unknown as AppliedLimits;
  return { ...applied, lines: limitLines(applied) };
}

/** The limits that applied, one sentence each, for the signer page. */
export function limitLines(l: AppliedLimits): string[] {
  const lines: string[] = [];
  if (l.dailyLimit !== null)
    lines.push(
      `Daily limit ${pac(BigInt(l.dailyLimit))}: with this one, ${pac(BigInt(l.dailyUsed))} in the last 24 hours.`,
    );
  if (l.txLimit !== null) lines.push(`At most ${pac(BigInt(l.txLimit))} per transaction.`);
  if (l.allowlist) lines.push('Allowlist on: only your contacts and your own wallets may receive.');
  if (l.coolingOffMs > 0)
    lines.push(`A first payment to a new address waits ${periodWords(l.coolingOffMs)}.`);
  if (!lines.length && l.undoSeconds === 0) return [];
  if (!lines.length) lines.push('No spending limits set (set them in a direct message with the bot).');
  lines.push(
    l.undoSeconds > 0
      ? `After you sign, you have ${l.undoSeconds} seconds to cancel before it is sent.`
      : 'No undo window: it is sent as soon as you sign.',
  );
  return lines;
}

/**
 * The undo window a signature waits: the longer of the one the page showed when the draft was made and the one
 * that holds now. A shorter window that takes effect while a link is open (a loosening asked for a day before)
 * never breaks what the page said; a longer one set since holds at once, as any tightening.
 */
export function keptUndoSeconds(applied: AppliedLimits | undefined, holdingNow: number): number {
  return Math.max(applied?.undoSeconds ?? 0, holdingNow);
}

/** The applied limits with the undo window that will be kept, and their lines again. */
export function withUndoKept(
  applied: AppliedLimits & { lines: string[] },
  holdingNow: number,
): AppliedLimits & { lines: string[] } {
  const undoSeconds = keptUndoSeconds(applied, holdingNow);
  if (undoSeconds === applied.undoSeconds) return applied;
  const { lines: _lines, ...rest } = applied;
  return { ...rest, undoSeconds, lines: limitLines({ ...rest, undoSeconds }) };
}
