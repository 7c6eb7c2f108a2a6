import type { ProposalRow } from './core.js';
import type { DraftRow } from '../wallet/drafts.js';
import { LinkError } from '../wallet/errors.js';

// Why a governance link can no longer be signed, in the proposal's own terms: a ballot link that outlived the
// voting period says voting closed, not just "expired" (the signer's general words for everything else).

export function ballotEnding(
  draft: DraftRow,
  proposal: ProposalRow | undefined,
  now: number,
): LinkError | null {
  return !proposal || proposal.status !== 'active' || (proposal.endsAt ?? 0) <= now
    ? new LinkError('voting_closed', `Voting on proposal ${draft.meta?.proposalId} has ended.`, 410)
    : null;
}

export function vetoEnding(proposal: ProposalRow | undefined, now: number): LinkError | null {
  return !proposal || now > (proposal.vetoEndsAt ?? 0)
    ? new LinkError('voting_closed', 'The veto window has closed.', 410)
    : null;
}
