// A voter's receipt: their ballot, where it sits in the committed ballot set, the path to the root, and the result
// header the operator's result anchor commits to (governance/commitments.ts), so the receipt alone shows the ballot
// was counted in what was anchored. `npx pactus-bot verify-proposal --receipt` checks it without the bot.
import { z } from 'zod';
import { count as int, decimal, hex64 } from '../deployment/shape.js';
import { checkAnchorBytes, type AnchorJson } from '../deployment/anchors.js';
import { anchorSchema, refSchema } from '../deployment/manifest.js';
import type { Network } from '../pactus/network.js';
import { ballotLeaf, inclusionProof, verifyInclusion, type BallotEntry } from './ballot-tree.js';
import { proposalSchema, rulesSchema, tallySchema } from './bundle.js';
import { resultHash, type ResultHeader } from './commitments.js';

export type { AnchorJson } from '../deployment/anchors.js';

export const RECEIPT_FORMAT = 'pactus-dao-receipt/2';

export interface Receipt {
  format: typeof RECEIPT_FORMAT;
  network: Network;
  proposalId: number;
  proposalHash: string;
  ballot: BallotEntry;
  leafIndex: number;
  ballots: number;
  proof: string[];
  root: string;
  /** What the result anchor commits to: the proposal, its rules, snapshot hash, ballot root and tally. */
  header: ResultHeader;
  anchor: AnchorJson | null;
}

export function buildReceipts(header: ResultHeader, entries: BallotEntry[]): Receipt[] {
  const leaves = entries.map(ballotLeaf);
  return entries.map((ballot, i) => ({
    format: RECEIPT_FORMAT,
    network: header.network,
    proposalId: header.proposal.id,
    proposalHash: header.proposal.hash,
    ballot,
    leafIndex: i,
    ballots: entries.length,
    proof: inclusionProof(leaves, i),
    root: header.proposal.ballotRoot,
    header,
    anchor: null,
  }));
}

/**
 * A receipt's own consistency: the ballot is at its place under the header's root, the header is this proposal's,
 * and the anchor (when there is one) is the header's operator's and commits to the header. Problems in words.
 */
export function verifyReceipt(receipt: Receipt): string[] {
  const problems: string[] = [];
  const h = receipt.header;
  if (h.proposal.id !== receipt.proposalId || h.proposal.hash !== receipt.proposalHash)
    problems.push('the receipt header is for another proposal');
  if (h.proposal.ballotRoot !== receipt.root || h.proposal.ballotCount !== receipt.ballots)
    problems.push('the receipt names another ballot set than its header');
  if (
    !verifyInclusion(
      ballotLeaf(receipt.ballot),
      receipt.leafIndex,
      receipt.ballots,
      receipt.proof,
      receipt.root,
    )
  )
    problems.push('the ballot is not in the committed ballot set under this root');
  if (!receipt.ballot.message.includes(`\nProposal: ${receipt.proposalId} ${receipt.proposalHash}\n`))
    problems.push('the ballot is for another proposal');
  if (!h.deployment) problems.push('the receipt names no deployment: nothing ties it to an operator');
  else if (receipt.anchor)
    problems.push(
      ...checkAnchorBytes(receipt.anchor, {
        kind: 'result',
        subject: receipt.proposalId,
        hash: resultHash(h),
        operator: h.deployment.operator,
        network: receipt.network,
      }),
    );
  return problems;
}

const signature = z.strictObject({
  address: z.string().max(100),
  publicKey: z.string().max(300),
  signature: z.string().max(200),
});

export const receiptSchema = z.strictObject({
  format: z.literal(RECEIPT_FORMAT),
  network: z.enum(['mainnet', 'testnet']),
  proposalId: int.min(1),
  proposalHash: hex64,
  ballot: z.strictObject({ message: z.string().max(10_000), signatures: z.array(signature).min(1).max(64) }),
  leafIndex: int,
  ballots: int.min(1),
  proof: z.array(hex64).max(64),
  root: hex64,
  header: z.strictObject({
    format: z.string().max(64),
    network: z.enum(['mainnet', 'testnet']),
    deployment: refSchema.nullable(),
    rules: rulesSchema,
    proposal: proposalSchema,
    snapshot: z.strictObject({ height: int, hash: hex64, total: decimal }),
    result: tallySchema,
  }),
  anchor: anchorSchema.nullable(),
});
