// What a contributor keeps to prove its work without the whole epoch: each of its receipts with the Merkle path to
// the epoch's root, the epoch's header (every field of the bundle but the receipts: compute/epoch.ts epochHeader)
// and the operator's anchor of that header. `verify-epoch --deployment ... <proofs.json>` re-checks such a file
// offline (and against the chain with --node), so a contributor need not trust the bot's books about its own work.
import { z } from 'zod';
import { hex64 } from '../deployment/shape.js';
import { checkAnchorBytes, type AnchorJson } from '../deployment/anchors.js';
import { canonicalHash } from '../deployment/canonical.js';
import { anchorSchema } from '../deployment/manifest.js';
import type { Network } from '../pactus/network.js';
import {
  checkReceiptsHere,
  epochHeader,
  orderedLeaves,
  treeLeaf,
  verifyProof,
  type EpochBundle,
  type ReceiptChecks,
} from './epoch.js';
import { receiptShape } from './epoch-verify.js';
import { merkleProofs, type ProofStep } from '../pactus/merkle.js';
import { receiptLeaf, type Receipt } from './receipt.js';

export const PROOFS_KIND = 'compute-contributor-proofs';

export interface ContributorProofs {
  version: 2;
  kind: typeof PROOFS_KIND;
  network: Network;
  epoch: number;
  root: string;
  /** The epoch bundle without its receipts: what the anchor commits to (its root, credits, shares, deployment). */
  header: Record<string, unknown>;
  anchor: AnchorJson | null;
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
    version: 2,
    kind: PROOFS_KIND,
    network: bundle.network,
    epoch: bundle.epoch,
    root: bundle.root,
    header: epochHeader(bundle),
    anchor: bundle.anchor ?? null,
    contributor,
    credit: bundle.credits[contributor] ?? '0',
    share: bundle.shares[contributor] ?? '0',
    zeroed: bundle.zeroed[contributor] ?? null,
    receipts: mine.map((index, k) => ({ ...leaves[index]!, proof: proofs[k]! })),
  };
}

/** The deployment operator the file's header names, if any. */
export function proofsOperator(file: ContributorProofs): string | null {
  const ref = file.header.deployment as { operator?: unknown } | null | undefined;
  return typeof ref?.operator === 'string' ? ref.operator : null;
}

/**
 * Every receipt is the contributor's, signed, and in the header's root by its path; the credit, share and zeroing
 * are the header's; the anchor is the operator's and commits to the header. Returns the problems (empty: holds).
 */
export async function verifyContributorProofs(
  file: ContributorProofs,
  operator: string,
  checks: ReceiptChecks = checkReceiptsHere,
): Promise<string[]> {
  const problems: string[] = [];
  const h = file.header;
  const field = (name: string, key: string) =>
    ((h[name] as Record<string, string> | undefined) ?? {})[key] ?? null;
  if (h.root !== file.root || h.epoch !== file.epoch || h.network !== file.network)
    problems.push("the file's root, epoch or network is not its header's");
  if ((field('credits', file.contributor) ?? '0') !== file.credit)
    problems.push(
      `the file says a credit of ${file.credit}; its header says ${field('credits', file.contributor) ?? 0}`,
    );
  if ((field('shares', file.contributor) ?? '0') !== file.share)
    problems.push(
      `the file says a share of ${file.share}; its header says ${field('shares', file.contributor) ?? 0}`,
    );
  if (field('zeroed', file.contributor) !== file.zeroed)
    problems.push("the file's zeroing is not its header's");
  if (file.anchor)
    problems.push(
      ...checkAnchorBytes(file.anchor, {
        kind: 'epoch',
        subject: file.epoch,
        hash: canonicalHash(h),
        operator,
        network: file.network,
      }),
    );
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

export const proofsSchema = z.strictObject({
  version: z.literal(2),
  kind: z.literal(PROOFS_KIND),
  network: z.enum(['mainnet', 'testnet']),
  epoch: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  root: hex64,
  header: z.record(z.string(), z.unknown()),
  anchor: anchorSchema.nullable(),
  contributor: z.string().max(100),
  credit: z.string().max(40),
  share: z.string().max(40),
  zeroed: z.string().max(500).nullable(),
  receipts: z
    .array(
      z.strictObject({
        receipt: receiptShape,
        leaf: hex64,
        proof: z.array(z.strictObject({ side: z.enum(['left', 'right']), hash: hex64 })).max(64),
      }),
    )
    .max(1_000_000),
});
