// Canonical texts people sign on the signer page (PIP-23 raw UTF-8), and their parsers. The verifier re-reads
// every signed ballot from its text alone, so the format is strict: one "Key: value" per line, fixed order.
import { bytesToHex, hash256, utf8ToBytes } from '../pactus/bytes.js';

export type Choice = 'yes' | 'no' | 'abstain';
export const CHOICES: readonly Choice[] = ['yes', 'no', 'abstain'];

export interface ProposalText {
  domain: string;
  network: string;
  id: number;
  title: string;
  body: string;
  durationMs: number;
  snapshotHeight: number;
  snapshotHash: string;
  rulesHash: string;
  proposers: string[];
  nonce: string;
  issued: string;
}

export function proposalMessage(p: ProposalText): string {
  return [
    'Pactus DAO proposal (PIP-44)',
    `Domain: ${p.domain}`,
    `Network: ${p.network}`,
    `Proposal: ${p.id}`,
    `Title: ${p.title}`,
    `Voting period: ${p.durationMs % 60_000 === 0 ? `${p.durationMs / 60_000} minutes` : `${Math.round(p.durationMs / 1000)} seconds`}`,
    `Snapshot: block ${p.snapshotHeight}, ${p.snapshotHash}`,
    `Rules: ${p.rulesHash}`,
    `Proposed by: ${p.proposers.join(', ')}`,
    `Nonce: ${p.nonce}`,
    `Issued: ${p.issued}`,
    '',
    p.body,
  ].join('\n');
}

const PROPOSAL_HEADER = [
  /^Pactus DAO proposal \(PIP-44\)$/,
  /^Domain: (\S+)$/,
  /^Network: (mainnet|testnet)$/,
  /^Proposal: (\d{1,9})$/,
  /^Title: (.+)$/,
  /^Voting period: (\d{1,9}) (minutes|seconds)$/,
  /^Snapshot: block (\d{1,10}), ([0-9a-f]{64})$/,
  /^Rules: ([0-9a-f]{64})$/,
  /^Proposed by: ([a-z0-9]+(?:, [a-z0-9]+)*)$/,
  /^Nonce: ([0-9a-f]{16,64})$/,
  /^Issued: (\S+)$/,
  /^$/,
];

/**
 * Reads a signed proposal text strictly: the fixed header lines in their order, one empty line, then the body.
 * Hashes and numbers come from the header only, so a body that repeats "Snapshot: ..." or "Rules: ..." lines
 * changes nothing. Null for anything else.
 */
export function parseProposalMessage(message: string): ProposalText | null {
  const lines = message.split('\n');
  if (lines.length < PROPOSAL_HEADER.length + 1) return null;
  const m = PROPOSAL_HEADER.map((pattern, i) => pattern.exec(lines[i]!));
  if (m.some((x) => x === null)) return null;
  const field = (line: number, group = 1) => m[line]![group]!;
  const parsed: ProposalText = {
    domain: field(1),
    network: field(2),
    id: Number(field(3)),
    title: field(4),
    durationMs: Number(field(5)) * (field(5, 2) === 'minutes' ? 60_000 : 1000),
    snapshotHeight: Number(field(6)),
    snapshotHash: field(6, 2),
    rulesHash: field(7),
    proposers: field(8).split(', '),
    nonce: field(9),
    issued: field(10),
    body: lines.slice(PROPOSAL_HEADER.length).join('\n'),
  };
  // What was parsed must print back to the very same text.
  return proposalMessage(parsed) === message ? parsed : null;
}

/** The proposal's identity: BLAKE2b-256 of its signed text. */
export function messageHash(message: string): string {
  return bytesToHex(hash256(utf8ToBytes(message)));
}

export interface BallotText {
  domain: string;
  proposalId: number;
  proposalHash: string;
  choice: Choice;
  addresses: string[];
  timestamp: string;
  nonce: string;
}

export function ballotMessage(b: BallotText): string {
  return [
    'Pactus DAO ballot (PIP-44)',
    `Domain: ${b.domain}`,
    `Proposal: ${b.proposalId} ${b.proposalHash}`,
    `Choice: ${b.choice}`,
    `Addresses: ${b.addresses.join(', ')}`,
    `Timestamp: ${b.timestamp}`,
    `Nonce: ${b.nonce}`,
  ].join('\n');
}

const BALLOT =
  /^Pactus DAO ballot \(PIP-44\)\nDomain: (\S+)\nProposal: (\d+) ([0-9a-f]{64})\nChoice: (yes|no|abstain)\nAddresses: ([a-z0-9, ]+)\nTimestamp: (\S+)\nNonce: ([0-9a-f]{16,64})$/;

export function parseBallotMessage(message: string): BallotText | null {
  const m = BALLOT.exec(message);
  if (!m) return null;
  return {
    domain: m[1]!,
    proposalId: Number(m[2]),
    proposalHash: m[3]!,
    choice: m[4] as Choice,
    addresses: m[5]!
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    timestamp: m[6]!,
    nonce: m[7]!,
  };
}

export interface VetoText {
  domain: string;
  proposalId: number;
  proposalHash: string;
  issued: string;
  reason: string;
}

export function vetoMessage(v: VetoText): string {
  return [
    'Pactus DAO veto (PIP-44)',
    `Domain: ${v.domain}`,
    `Proposal: ${v.proposalId} ${v.proposalHash}`,
    `Issued: ${v.issued}`,
    `Reason: ${v.reason}`,
  ].join('\n');
}

const VETO =
  /^Pactus DAO veto \(PIP-44\)\nDomain: (\S+)\nProposal: (\d+) ([0-9a-f]{64})\nIssued: (\S+)\nReason: (.+)$/s;

export function parseVetoMessage(message: string): VetoText | null {
  const m = VETO.exec(message);
  return m
    ? { domain: m[1]!, proposalId: Number(m[2]), proposalHash: m[3]!, issued: m[4]!, reason: m[5]! }
    : null;
}
