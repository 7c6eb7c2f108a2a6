// A closed proposal's results: voters' receipts, the operator's anchors, and the public result bundle.
import { and, eq } from 'drizzle-orm';
import { type Sql, first, tables } from '../db/connection.js';
import { anchorMemo, type AnchorJson } from '../deployment/anchors.js';
import type { Requester } from '../wallet/drafts.js';
import type { DraftResult } from '../wallet/drafting.js';
import type { DraftRow } from '../wallet/drafts.js';
import { WalletError } from '../wallet/errors.js';
import { buildBundle, type ResultBundle } from './bundle.js';
import { finalHash, resultHash, resultHeader } from './commitments.js';
import { GovernanceCore, type ProposalRow } from './core.js';
import { buildReceipts, type Receipt } from './receipts.js';
import { snapshotDelegationsOf } from './delegation-store.js';

const anchorOf = (txId: string | null, signedTx: string | null, height: number | null): AnchorJson | null =>
  txId && signedTx ? { txId, signedTx, height } : null;

export class GovernanceResults extends GovernanceCore {
  // ---------------------------------------------------------------- the committed ballot set

  /** Every voter's inclusion proof and the result header it leads to, recorded when voting closes. */
  protected async recordReceipts(tx: Sql, p: ProposalRow): Promise<void> {
    const { ballots } = tables(tx);
    const rows = await this.ballotRows(p.id, tx);
    const header = resultHeader(await this.bundle(p.id, tx));
    const receipts = buildReceipts(
      header,
      rows.map((b) => ({ message: b.message, signatures: b.signatures })),
    );
    for (const [i, b] of rows.entries())
      await tx
        .update(ballots)
        .set({ receipt: receipts[i] as unknown as Record<string, unknown> })
        .where(eq(ballots.id, b.id));
  }

  /** A voter's receipt (with the result anchor once it is on chain), by the ballot's position; null when unknown. */
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
    return { ...(row.receipt as unknown as Receipt), anchor: this.anchorsOf(p).result };
  }

  protected anchorsOf(p: ProposalRow): ResultBundle['anchors'] {
    return {
      result: anchorOf(p.anchorTxId, p.anchorSignedTx, p.anchorHeight),
      final: anchorOf(p.finalAnchorTxId, p.finalAnchorSignedTx, p.finalAnchorHeight),
    };
  }

  /** Tells every voter where their receipt is (once per proposal and voter). */
  protected async sendReceipts(tx: Sql, p: ProposalRow): Promise<void> {
    const url = (i: number) =>
      `${this.wallet.config.publicUrl.replace(/\/+$/, '')}/proposals/${p.id}/receipts/${i + 1}.json`;
    const deployment = await this.deploymentOf(p, tx);
    const trust = deployment ? ` --deployment ${deployment.manifest.operator}` : '';
    for (const b of await this.ballotRows(p.id, tx))
      if (b.chatAccountId !== null)
        await this.tellAccount(tx, b.chatAccountId, `gov:${p.id}:receipt:${b.leafIndex}`, 'proposal_notice', {
          text: `Voting on proposal ${p.id} has ended. The receipt of your ballot #${b.leafIndex + 1} is at ${url(b.leafIndex)}: check it without trusting me with "npx pactus-bot verify-proposal --receipt ${url(b.leafIndex)}${trust} --node <a Pactus node you trust>"${p.anchorTxId ? ` (anchored in transaction ${p.anchorTxId})` : ''}.`,
        });
  }

  /**
   * Drafts the operator's next anchor of a closed proposal: its result (the bundle's result header), then, for a
   * proposal that passed, its final result once vetoed or past its veto window. Admins ask for it; each once.
   */
  async anchor(
    requester: Requester,
    proposalId: number,
  ): Promise<DraftResult & { kind: 'result' | 'final' }> {
    const { proposals } = tables(this.db);
    const p = await this.get(proposalId);
    if (p.status !== 'closed')
      throw new WalletError(
        'not_closed',
        `Proposal ${p.id} is still open: its result is anchored once voting ends.`,
      );
    const bundle = await this.bundle(p.id);
    const deployment = await this.deploymentOf(p);
    if (!deployment || !bundle.deployment)
      throw new WalletError(
        'no_operator',
        `Proposal ${p.id} is under no deployment (OPERATOR_ADDRESS is not set), so it cannot be anchored.`,
      );
    if (!deployment.anchor)
      throw new WalletError(
        'manifest_unanchored',
        `This deployment's manifest (version ${deployment.manifest.version}) is not anchored yet: anchor it first ("anchor deployment"), or no verifier can tell whose result this is.`,
      );
    const operator = deployment.manifest.operator;
    let kind: 'result' | 'final';
    if (!p.anchorTxId) kind = 'result';
    else if (p.outcome !== 'passed' && p.outcome !== 'vetoed')
      throw new WalletError(
        'anchored',
        `Proposal ${p.id} is already anchored in transaction ${p.anchorTxId}.`,
      );
    else if (p.finalAnchorTxId)
      throw new WalletError(
        'anchored',
        `Proposal ${p.id}'s final result is already anchored in transaction ${p.finalAnchorTxId}.`,
      );
    else if (p.outcome === 'passed' && this.now() <= (p.vetoEndsAt ?? 0))
      throw new WalletError(
        'veto_window_open',
        `Proposal ${p.id} passed and its result is anchored; the team may still veto it until ${new Date(p.vetoEndsAt ?? 0).toISOString()}, so its final result is anchored after that.`,
      );
    else kind = 'final';
    const memo =
      kind === 'result'
        ? anchorMemo('result', p.id, resultHash(bundle))
        : anchorMemo('final', p.id, finalHash(bundle));
    const draft = await this.wallet.drafting.memoRecord(requester, { from: operator, memo });
    await this.db
      .update(proposals)
      .set(kind === 'result' ? { anchorDraftId: draft.draftId } : { finalAnchorDraftId: draft.draftId })
      .where(eq(proposals.id, p.id));
    return { ...draft, kind };
  }

  /** Inside the confirming transaction: an anchor of a proposal is on chain (its voters get their receipts). */
  async onConfirmed(tx: Sql, draft: DraftRow, blockHeight: number): Promise<void> {
    const { proposals } = tables(tx);
    const final = await first(
      tx.select().from(proposals).where(eq(proposals.finalAnchorDraftId, draft.id)).limit(1),
    );
    if (final && !final.finalAnchorTxId) {
      await tx
        .update(proposals)
        .set({
          finalAnchorTxId: draft.txId,
          finalAnchorHeight: blockHeight,
          finalAnchorSignedTx: draft.signedTx,
        })
        .where(eq(proposals.id, final.id));
      await this.announce(tx, final, 'final', await this.tallyOf(final, tx), {
        txId: draft.txId,
        blockHeight,
      });
      return;
    }
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

  async bundle(id: number, sql: Sql = this.db): Promise<ResultBundle> {
    const { proposals, snapshotEntries, vetoSignatures } = tables(sql);
    const p = await first(sql.select().from(proposals).where(eq(proposals.id, id)).limit(1));
    if (!p || p.status === 'pending' || p.status === 'cancelled')
      throw new WalletError('no_proposal', `There is no proposal ${id}.`);
    const vetoRows = await sql.select().from(vetoSignatures).where(eq(vetoSignatures.proposalId, id));
    return buildBundle({
      proposal: p,
      entries: await sql.select().from(snapshotEntries).where(eq(snapshotEntries.proposalId, id)),
      delegations: await snapshotDelegationsOf(sql, id),
      ballots: await this.ballotRows(id, sql),
      vetoes: vetoRows,
      result: await this.tallyOf(p, sql),
      anchors: this.anchorsOf(p),
      deployment: await this.deploymentOf(p, sql),
    });
  }
}
