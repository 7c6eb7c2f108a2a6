// A voter's receipt: their ballot, where it sits in the committed ballot set, and the path to the final root,
// which the on-chain anchor names. `npx pactus-bot verify-proposal --receipt` checks it without the bot.
import { decodeTransactionHex, signerOf, transactionId, verifyTransaction } from '../pactus/tx.js';
import type { Network } from '../pactus/network.js';
import { parseAnchorMemo } from './anchor.js';
import { ballotLeaf, inclusionProof, verifyInclusion, type BallotEntry } from './ballot-tree.js';

export interface AnchorJson {
  txId: string;
  /** The operator's signed transaction (hex): its memo holds the proposal, the ballot count and the root. */
  signedTx: string;
  height: number | null;
}

export interface Receipt {
  format: 'pactus-dao-receipt/1';
  network: Network;
  proposalId: number;
  proposalHash: string;
  ballot: BallotEntry;
  leafIndex: number;
  ballots: number;
  proof: string[];
  root: string;
  /** The operator expected to anchor the result (from the proposal's committed rules). */
  operator: string | null;
  anchor: AnchorJson | null;
}

export function buildReceipts(
  base: Omit<Receipt, 'format' | 'ballot' | 'leafIndex' | 'ballots' | 'proof'>,
  entries: BallotEntry[],
): Receipt[] {
  const leaves = entries.map(ballotLeaf);
  return entries.map((ballot, i) => ({
    format: 'pactus-dao-receipt/1',
    ...base,
    ballot,
    leafIndex: i,
    ballots: entries.length,
    proof: inclusionProof(leaves, i),
  }));
}

/**
 * What the anchor transaction proves, checked from its bytes alone: signed by `operator`, a transaction whose
 * memo names this proposal, ballot count and root. Problems in words; empty when it holds.
 */
export function checkAnchor(
  anchor: AnchorJson,
  expected: { proposalId: number; ballots: number; root: string; operator: string | null; network: Network },
): string[] {
  const problems: string[] = [];
  let tx;
  try {
    tx = decodeTransactionHex(anchor.signedTx);
  } catch {
    return ['the anchor transaction does not decode'];
  }
  if (transactionId(tx) !== anchor.txId) problems.push('the anchor transaction ID does not match its bytes');
  if (!verifyTransaction(tx).valid) problems.push('the anchor transaction is not validly signed');
  if (!expected.operator) problems.push('the proposal names no operator to anchor it');
  else if (signerOf(tx.payload).toString(expected.network) !== expected.operator)
    problems.push('the anchor was not signed by the governance operator');
  const memo = parseAnchorMemo(tx.memo);
  if (!memo) problems.push('the anchor memo is not a PIP-44 result');
  else {
    if (memo.proposalId !== expected.proposalId) problems.push('the anchor is for another proposal');
    if (memo.ballots !== expected.ballots) problems.push('the anchor names another number of ballots');
    if (memo.root !== expected.root) problems.push('the anchored root differs from the ballot set');
  }
  return problems;
}

/** A receipt's own consistency: the ballot is at its place under the root, and the root is the anchored one. */
export function verifyReceipt(receipt: Receipt): string[] {
  const problems: string[] = [];
  if (receipt.format !== 'pactus-dao-receipt/1') return ['not a pactus-dao-receipt/1'];
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
  if (!receipt.ballot.message.includes(`Proposal: ${receipt.proposalId} ${receipt.proposalHash}\n`))
    problems.push('the ballot is for another proposal');
  if (receipt.anchor)
    problems.push(
      ...checkAnchor(receipt.anchor, {
        proposalId: receipt.proposalId,
        ballots: receipt.ballots,
        root: receipt.root,
        operator: receipt.operator,
        network: receipt.network,
      }),
    );
  return problems;
}
