import { eq } from 'drizzle-orm';
import { type Sql, first, tables } from '../db/connection.js';
import { messageFingerprint } from '../pactus/fingerprint.js';
import { isSafeMessage } from '../pactus/message.js';
import { parsePublicKey } from '../pactus/keys.js';
import { linkedAddressesOf } from '../wallet/accounts.js';
import type { IssuedLink, Requester } from '../wallet/drafts.js';
import { LinkError, WalletError } from '../wallet/errors.js';
import type { VerifiedSignature } from '../wallet/signing.js';
import type { ProposalRow } from './core.js';
import { vetoMessage } from './messages.js';
import { GovernanceResults } from './results.js';
import { rulesFromJson, type RulesJson } from './rules.js';

/** The team veto (PIP-44): who may veto a passed proposal, drafting the veto message, recording signatures. */
export class GovernanceVetoes extends GovernanceResults {
  /** The team keys that may veto: the proposal's committed ones, or today's configuration. */
  teamAddresses(proposal?: ProposalRow): { address: string; publicKey: string }[] {
    const keys = proposal
      ? rulesFromJson(proposal.rules as unknown as RulesJson).teamKeys
      : this.config.rules.teamKeys;
    return keys.map((k) => {
      const key = parsePublicKey(k).key;
      const address = key.accountAddress().toString(this.network);
      return { address, publicKey: key.toString(this.network) };
    });
  }

  async isTeam(chatAccountId: number, proposal?: ProposalRow): Promise<boolean> {
    const team = new Set(this.teamAddresses(proposal).map((t) => t.address));
    return (await linkedAddressesOf(this.db, chatAccountId)).some((a) => team.has(a.address));
  }

  async veto(
    requester: Requester,
    input: { proposalId: number; reason: string },
  ): Promise<{ link: IssuedLink; fingerprint: string }> {
    const proposal = await this.get(input.proposalId);
    const team = this.teamAddresses(proposal);
    if (team.length === 0)
      throw new WalletError('no_team', 'No team keys are configured (GOV_TEAM_KEYS), so nobody can veto.');
    if (proposal.status !== 'closed' || proposal.outcome !== 'passed')
      throw new WalletError(
        'not_vetoable',
        `Only a proposal that passed can be vetoed; proposal ${proposal.id} is ${proposal.outcome ?? proposal.status}.`,
      );
    if (this.now() > (proposal.vetoEndsAt ?? 0))
      throw new WalletError(
        'veto_window_closed',
        `The veto window of proposal ${proposal.id} closed at ${new Date(proposal.vetoEndsAt ?? 0).toISOString()}.`,
      );
    const reason = input.reason.trim().replace(/\s+/g, ' ');
    if (reason.length < 3 || reason.length > 500 || !isSafeMessage(reason))
      throw new WalletError('bad_reason', 'Give a plain-text reason (3-500 characters).');
    const message = vetoMessage({
      domain: this.domain,
      proposalId: proposal.id,
      proposalHash: proposal.hash,
      issued: new Date(this.now()).toISOString(),
      reason,
    });
    const expiresAt = Math.min(this.now() + this.wallet.config.linkTtlMs, proposal.vetoEndsAt!);
    const link = await this.messageDraft(
      this.db,
      requester,
      'veto',
      message,
      team.map((t) => t.address),
      expiresAt,
      { proposalId: proposal.id },
    );
    return { link, fingerprint: messageFingerprint(message) };
  }

  /** Records team signatures on a veto; at the committed threshold the proposal is vetoed and announced. */
  protected async recordVeto(
    tx: Sql,
    proposalId: number,
    message: string,
    signatures: VerifiedSignature[],
    now: number,
  ): Promise<void> {
    const { proposals, vetoSignatures } = tables(tx);
    const proposal = await first(tx.select().from(proposals).where(eq(proposals.id, proposalId)).limit(1));
    if (!proposal || proposal.outcome !== 'passed' || now > (proposal.vetoEndsAt ?? 0))
      throw new LinkError('voting_closed', 'The veto window has closed.', 410);
    // The proposal's committed rules decide who may veto and how many must, as its bundle will check.
    const rules = rulesFromJson(proposal.rules as unknown as RulesJson);
    const teamKeys = new Set(this.teamAddresses(proposal).map((t) => t.publicKey));
    for (const s of signatures) {
      if (!teamKeys.has(s.publicKey)) throw new LinkError('wrong_signer', 'Only team keys can veto.', 403);
      await tx
        .insert(vetoSignatures)
        .values({ proposalId, message, address: s.address, publicKey: s.publicKey, signature: s.signature })
        .onConflictDoNothing();
    }
    const count = (await tx.select().from(vetoSignatures).where(eq(vetoSignatures.proposalId, proposalId)))
      .length;
    if (count < rules.vetoThreshold) return;
    await tx.update(proposals).set({ outcome: 'vetoed' }).where(eq(proposals.id, proposalId));
    const reason = /\nReason: (.+)$/s.exec(message)?.[1] ?? '';
    await this.announce(tx, { ...proposal, outcome: 'vetoed' }, 'vetoed', await this.tallyOf(proposal, tx), {
      reason,
    });
  }
}
