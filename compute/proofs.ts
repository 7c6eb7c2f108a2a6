// What a contributor keeps to prove its work without the whole epoch: each of its receipts with the Merkle path
// to the epoch's root, and the anchor that put the root on chain. `verify-epoch --proofs` re-checks such a file
// offline (and against the chain with --node), so a contributor need not trust the bot's books about its own work.
import type { Network } from '../pactus/network.js';
import {
  checkReceiptsHere,
  orderedLeaves,
  treeLeaf,
  verifyProof,
  type EpochBundle,
  type ReceiptChecks,
} from './epoch.js';
import { merkleProofs, type ProofStep } from '../pactus/merkle.js';
import { receiptLeaf, type Receipt } from './receipt.js';

export interface ContributorProofs {
  version: 1;
  kind: 'compute-contributor-proofs';
  network: Network;
  epoch: number;
  root: string;
  anchor: { txId: string; blockHeight: number } | null;
  contributor: string;
  credit: string;
  share: string;
  /** Why the contributor earned nothing this epoch, if it did not. */
  zeroed: string | null;
  receipts: { receipt: Receipt; leaf: string; proof: ProofStep[] }[];
}

/** The contributor's receipts in a closed epoch with their inclusion proofs; null when it has none there. */
export function contributorProofs(bundle: EpochBundle, contributor: string): ContributorProofs | null {
  const leaves = orderedLeaves(bundle.receipts);
  const mine = leaves.flatMap((l, i) => (l.receipt.contributor === contributor ? [i] : []));
  if (!mine.length) return null;
  const proofs = merkleProofs(
    leaves.map((l) => treeLeaf(l.leaf)),
    mine,
  );
  return {
    version: 1,
    kind: 'compute-contributor-proofs',
    network: bundle.network,
    epoch: bundle.epoch,
    root: bundle.root,
    anchor: bundle.anchor ?? null,
    contributor,
    credit: bundle.credits[contributor] ?? '0',
    share: bundle.shares[contributor] ?? '0',
    zeroed: bundle.zeroed[contributor] ?? null,
    receipts: mine.map((index, k) => ({ ...leaves[index]!, proof: proofs[k]! })),
  };
}

/** Every receipt is the contributor's, signed, and in the root by its path. Returns the problems (empty: holds). */
export async function verifyContributorProofs(
  file: ContributorProofs,
  checks: ReceiptChecks = checkReceiptsHere,
): Promise<string[]> {
  const problems: string[] = [];
  const found = await checks(
    file.receipts.map((r) => r.receipt),
    file.network,
  );
  file.receipts.forEach(({ receipt, leaf, proof }, i) => {
    const name = `receipt ${leaf.slice(0, 16)}…`;
    if (found[i]) problems.push(`${name}: ${found[i]}`);
    if (receipt.contributor !== file.contributor) problems.push(`${name} names ${receipt.contributor}`);
    if (receiptLeaf(receipt) !== leaf) problems.push(`${name}: its leaf is not the hash of the receipt`);
    else if (!verifyProof(leaf, proof, file.root))
      problems.push(`${name}: its path does not lead to the root`);
  });
  return problems;
}
