// A closed proposal's results: voters' receipts, the on-chain anchor, and the public result bundle.
import { and, eq } from 'drizzle-orm';
import { type Sql, first, tables } from '../db/connection.js';
import type { Requester } from '../wallet/drafts.js';
import type { DraftResult } from '../wallet/drafting.js';
import type { DraftRow } from '../wallet/drafts.js';
import { WalletError } from '../wallet/errors.js';
import { anchorMemo } from './anchor.js';
import { EMPTY_FRONTIER, frontierRoot } from './ballot-tree.js';
import { buildBundle, type ResultBundle } from './bundle.js';
import { GovernanceCore, type ProposalRow } from './core.js';
import { buildReceipts, type Receipt } from './receipts.js';
import { rulesFromJson, type RulesJson } from './rules.js';

export class GovernanceResults extends GovernanceCore {
  // ---------------------------------------------------------------- the committed ballot set

  /** Every voter's inclusion proof against the final root, recorded when voting closes. */
  protected async recordReceipts(tx: Sql, p: ProposalRow, operator: string | null): Promise<void> {
    const { ballots } = tables(tx);
    const rows = await this.ballotRows(p.id, tx);
    const receipts = buildReceipts(
      {
        network: p.network,
        proposalId: p.id,
        proposalHash: p.hash,
        root: p.ballotRoot ?? frontierRoot(EMPTY_FRONTIER),
        operator,
        anchor: null,
      },
      rows.map((b) => ({ message: b.message, signatures: b.signatures })),
    );
    for (const [i, b] of rows.entries())
      await tx
        .update(ballots)
        .set({ receipt: receipts[i] as unknown as Record<string, unknown> })
        .where(eq(ballots.id, b.id));
  }

  /** A voter's receipt (with the anchor once it is on chain), by the ballot's position; null when unknown. */
  async receipt(proposalId: number, leafIndex: number): Promise<Receipt | null> {
    const { ballots, proposals } = tables(this.db);
    const row = await first(
      this.db
        .select()
        .from(ballots)
        .where(and(eq(ballots.proposalId, proposalId), eq(ballots.leafIndex, leafIndex)))
        .limit(1),
    );
    if (!row?.receipt) return null;
    const p = (await first(this.db.select().from(proposals).where(eq(proposals.id, proposalId)).limit(1)))!;
    return { ...(row.receipt as unknown as Receipt), anchor: this.anchorOf(p) };
  }

  protected anchorOf(p: ProposalRow): Receipt['anchor'] {
    return p.anchorTxId && p.anchorSignedTx
      ? { txId: p.anchorTxId, signedTx: p.anchorSignedTx, height: p.anchorHeight }
      : null;
  }

  /** Tells every voter where their receipt is (once per proposal and voter). */
  protected async sendReceipts(tx: Sql, p: ProposalRow): Promise<void> {
    const url = (i: number) =>
      `${this.wallet.config.publicUrl.replace(/\/+$/, '')}/proposals/${p.id}/receipts/${i + 1}.json`;
    for (const b of await this.ballotRows(p.id, tx))
      if (b.chatAccountId !== null)
        await this.tellAccount(tx, b.chatAccountId, `gov:${p.id}:receipt:${b.leafIndex}`, 'proposal_notice', {
          text: `Voting on proposal ${p.id} has ended. The receipt of your ballot #${b.leafIndex + 1} is at ${url(b.leafIndex)}: check it without trusting me with "npx pactus-bot verify-proposal --receipt <file>"${p.anchorTxId ? ` (anchored in transaction ${p.anchorTxId})` : ''}.`,
        });
  }

  /**
   * Drafts the on-chain anchor of a closed proposal for the governance operator to sign: a 0-PAC transaction to
   * itself whose memo holds the proposal, the ballot count and the root. Admins ask for it; it is idempotent.
   */
  async anchor(requester: Requester, proposalId: number): Promise<DraftResult> {
    const { proposals } = tables(this.db);
    const p = await this.get(proposalId);
    if (p.status !== 'closed')
      throw new WalletError(
        'not_closed',
        `Proposal ${p.id} is still open: its result is anchored once voting ends.`,
      );
    if (p.anchorTxId)
      throw new WalletError(
        'anchored',
        `Proposal ${p.id} is already anchored in transaction ${p.anchorTxId}.`,
      );
    const operator = rulesFromJson(p.rules as unknown as RulesJson).operator;
    if (!operator)
      throw new WalletError(
        'no_operator',
        `Proposal ${p.id} names no governance operator (GOV_OPERATOR_ADDRESS), so it cannot be anchored.`,
      );
    const memo = anchorMemo(p.id, p.ballotCount, p.ballotRoot ?? frontierRoot(EMPTY_FRONTIER));
    const draft = await this.wallet.drafting.memoRecord(requester, { from: operator, memo });
    await this.db.update(proposals).set({ anchorDraftId: draft.draftId }).where(eq(proposals.id, p.id));
    return draft;
  }

  /** Inside the confirming transaction: an anchor of a proposal is on chain, and its voters get their receipts. */
  async onConfirmed(tx: Sql, draft: DraftRow, blockHeight: number): Promise<void> {
    const { proposals } = tables(tx);
    const p = await first(tx.select().from(proposals).where(eq(proposals.anchorDraftId, draft.id)).limit(1));
    if (!p || p.anchorTxId) return;
    await tx
      .update(proposals)
      .set({ anchorTxId: draft.txId, anchorHeight: blockHeight, anchorSignedTx: draft.signedTx })
      .where(eq(proposals.id, p.id));
    const anchored = { ...p, anchorTxId: draft.txId, anchorHeight: blockHeight };
    await this.announce(tx, anchored, 'anchored', await this.tallyOf(p, tx), {
      root: p.ballotRoot,
      ballots: p.ballotCount,
      txId: draft.txId,
      blockHeight,
    });
    await this.sendReceipts(tx, anchored);
  }

  // ---------------------------------------------------------------- result bundle

  /** The result bundle of a proposal that exists (active or closed), or null. */
  async findBundle(id: number): Promise<ResultBundle | null> {
    const { proposals } = tables(this.db);
    const row = await first(
      this.db.select({ status: proposals.status }).from(proposals).where(eq(proposals.id, id)).limit(1),
    );
    return row && (row.status === 'active' || row.status === 'closed') ? this.bundle(id) : null;
  }

  async bundle(id: number): Promise<ResultBundle> {
    const { snapshotEntries, vetoSignatures } = tables(this.db);
    const p = await this.get(id);
    const vetoRows = await this.db.select().from(vetoSignatures).where(eq(vetoSignatures.proposalId, id));
    return buildBundle({
      proposal: p,
      entries: await this.db.select().from(snapshotEntries).where(eq(snapshotEntries.proposalId, id)),
      ballots: await this.ballotRows(id),
      vetoes: vetoRows,
      result: await this.tallyOf(p),
      anchor: this.anchorOf(p),
    });
  }
}
