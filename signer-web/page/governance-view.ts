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
  /** Addresses the text names, shown whole in the details (a delegation's delegate). */
  rows?: { label: string; address: string }[];
}

/** What the server says about the message, beside its text (checked where it can be). */
export interface GovernanceContext {
  proposal?: string;
  /** A ballot's share of delegated power (NanoPAC, decimal) and how many holders lent it. */
  delegated?: { power: string; holders: number };
}

/** "Also votes for 2 holders who delegated to you (2,000 PAC)", or nothing when the context says none. */
function delegatedLine(context: GovernanceContext | undefined): string[] {
  const d = context?.delegated;
  if (!d || !/^[1-9]\d{0,30}$/.test(d.power) || !(d.holders > 0)) return [];
  const who = d.holders === 1 ? '1 holder' : `${d.holders} holders`;
  return [
    `Also votes for ${who} who delegated to you (${pacText(BigInt(d.power))}), unless they vote themselves`,
  ];
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
  const proposalText = context?.proposal;
  const kind = message.split('\n', 1)[0];
  if (kind === 'Pactus DAO proposal (PIP-44)')
    return {
      action: 'Propose',
      title: line(message, 'Title'),
      proposalId: Number(line(message, 'Proposal')),
      lines: [],
    };
  if (kind === 'Pactus DAO ballot (PIP-44)') {
    const choice = line(message, 'Choice') ?? '?';
    const found = referenced(message, proposalText);
    return {
      action: choice === 'abstain' ? 'Abstain' : `Vote ${choice.toUpperCase()}`,
      ...found,
      lines: [...delegatedLine(context), ...found.lines],
    };
  }
  const from = line(message, 'Valid from');
  if (kind === 'Pactus DAO delegation (PIP-44)') {
    const delegate = line(message, 'Delegate') ?? '?';
    return {
      action: 'Delegate votes',
      title: 'Let another address vote with your power',
      proposalId: null,
      lines: [
        `${from ? `From ${from}` : 'From now'} until you revoke it, for proposals snapshotted after you sign`,
        'Your own ballot always counts instead',
      ],
      rows: [{ label: 'Delegate', address: delegate }],
    };
  }
  if (kind === 'Pactus DAO delegation revoked (PIP-44)')
    return {
      action: 'Revoke delegation',
      title: 'Vote only for yourself again',
      proposalId: null,
      lines: [
        `${from ? `From ${from}` : 'From now'}; proposals already snapshotted keep the delegation they counted`,
      ],
    };
  if (kind === 'Pactus DAO veto (PIP-44)') {
    const found = referenced(message, proposalText);
    const reason = /\nReason: ([\s\S]*)$/.exec(message)?.[1];
    return { action: 'Veto', ...found, lines: [...(reason ? [`Reason: ${reason}`] : []), ...found.lines] };
  }
  return null;
}
