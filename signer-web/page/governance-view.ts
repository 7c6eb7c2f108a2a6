// The headline of a DAO message: what the person is deciding, in large type, read from the text they sign. A
// ballot names its proposal only by hash; the server sends the proposal's text and the page shows its title only
// if that text hashes to the ballot's reference. A delegation's delegate is shown as an address row, whole.
import { pacText } from '../../pactus/amount.js';
import { bytesToHex, hash256, utf8ToBytes } from '../../pactus/bytes.js';

export interface Headline {
  /** "Vote YES", "Veto", "Propose" */
  action: string;
  /** The proposal's title as the signed (or verified) text says it, or null when it cannot be checked. */
  title: string | null;
  proposalId: number | null;
  /** Extra lines: a veto's reason, a warning that the title could not be checked. */
  lines: string[];
  /** A delegation's delegate, shown whole in the details. */
  delegate?: string | null;
}

/** What the server says about the message, beside its text (checked where it can be). */
export interface GovernanceContext {
  proposal?: string;
  /** A ballot's share of delegated power (NanoPAC, decimal) and how many holders lent it. */
  delegated?: { power: string; holders: number };
}

const line = (message: string, key: string) =>
  message
    .split('\n')
    .find((l) => l.startsWith(`${key}: `))
    ?.slice(key.length + 2) ?? null;

/** The proposal a ballot or veto refers to ("Proposal: 3 <hash>"), and its title if the given text matches. */
function referenced(
  message: string,
  proposalText: string | undefined,
): Pick<Headline, 'title' | 'proposalId' | 'lines'> {
  const reference = /^(\d+) ([0-9a-f]{64})$/.exec(line(message, 'Proposal') ?? '');
  if (!reference) return { title: null, proposalId: null, lines: [] };
  const proposalId = Number(reference[1]);
  const matches =
    proposalText !== undefined && bytesToHex(hash256(utf8ToBytes(proposalText))) === reference[2];
  const title = matches ? line(proposalText, 'Title') : null;
  return {
    title,
    proposalId,
    lines:
      title === null
        ? ["The proposal's title could not be checked against its hash; compare the number in chat."]
        : [],
  };
}

export function governanceHeadline(message: string, context: GovernanceContext | undefined): Headline | null {
  const kind = message.split('\n', 1)[0];
  if (kind === 'Pactus DAO proposal (PIP-44)')
    return {
      action: 'Propose',
      title: line(message, 'Title'),
      proposalId: Number(line(message, 'Proposal')),
      lines: [],
    };
  // A ballot or a veto names its proposal.
  const found = referenced(message, context?.proposal);
  if (kind === 'Pactus DAO ballot (PIP-44)') {
    const choice = line(message, 'Choice') ?? '?';
    // What the ballot carries for holders who delegated to its signers (the server's count, in words).
    const d = context?.delegated;
    if (d) found.lines.unshift(`+${pacText(BigInt(d.power))} delegated by ${d.holders} holder(s)`);
    return { action: choice === 'abstain' ? 'Abstain' : `Vote ${choice.toUpperCase()}`, ...found };
  }
  if (kind === 'Pactus DAO veto (PIP-44)') {
    const reason = /\nReason: ([\s\S]*)$/.exec(message)?.[1];
    if (reason) found.lines.unshift(`Reason: ${reason}`);
    return { action: 'Veto', ...found };
  }
  // "Pactus DAO delegation (PIP-44)" and "Pactus DAO delegation revoked (PIP-44)".
  if (!kind?.startsWith('Pactus DAO delegation')) return null;
  const delegate = line(message, 'Delegate');
  return {
    action: delegate ? 'Delegate votes' : 'Revoke delegation',
    title: delegate ? 'Another address votes for you' : 'Vote only for yourself',
    proposalId: null,
    lines: [`From ${line(message, 'Valid from')}; open proposals unchanged`],
    delegate,
  };
}
