// The headline of a DAO message: what the person is deciding, in large type, read from the text they sign. A
// ballot names its proposal only by hash; the server sends the proposal's text and the page shows its title only
// if that text hashes to the ballot's reference.
import { bytesToHex, hash256, utf8ToBytes } from '../../pactus/bytes.js';

export interface Headline {
  /** "Vote YES", "Veto", "Propose" */
  action: string;
  /** The proposal's title as the signed (or verified) text says it, or null when it cannot be checked. */
  title: string | null;
  proposalId: number | null;
  /** Extra lines: a veto's reason, a warning that the title could not be checked. */
  lines: string[];
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

export function governanceHeadline(message: string, proposalText: string | undefined): Headline | null {
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
    return {
      action: choice === 'abstain' ? 'Abstain' : `Vote ${choice.toUpperCase()}`,
      ...referenced(message, proposalText),
    };
  }
  if (kind === 'Pactus DAO veto (PIP-44)') {
    const found = referenced(message, proposalText);
    const reason = /\nReason: ([\s\S]*)$/.exec(message)?.[1];
    return { action: 'Veto', ...found, lines: [...(reason ? [`Reason: ${reason}`] : []), ...found.lines] };
  }
  return null;
}
