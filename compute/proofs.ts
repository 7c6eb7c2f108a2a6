// What a contributor keeps to prove its work without the whole epoch: each of its receipts with the Merkle path to
// the epoch's root, the epoch's header (every field of the bundle but the receipts: compute/epoch.ts epochHeader)
// and the operator's anchor of that header. `verify-epoch --deployment ... <proofs.json>` re-checks such a file
// offline (and against the chain with --node), so a contributor need not trust the bot's books about its own work.
import { z } from 'zod';
import { hex64 } from '../deployment/shape.js';
import { checkAnchorBytes, type AnchorJson } from '../deployment/anchors.js';
import { canonicalHash } from '../deployment/canonical.js';
import { anchorSchema, recordSchema, type Manifest, type ManifestRecord } from '../deployment/manifest.js';
import type { Network } from '../pactus/network.js';
import {
  checkReceiptsHere,
  creditOf,
  epochHeader,
  orderedLeaves,
  treeLeaf,
  verifyProof,
  type EpochBundle,
  type ReceiptChecks,
} from './epoch.js';
import {
  epochHeaderSchema,
  headerProblems,
  meteringProblems,
  receiptShape,
  type EpochHeader,
} from './epoch-verify.js';
import { spotReceiptProblems } from './spot-sampling.js';
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
  /** The manifest the header names, with its anchor: evidence, like a bundle's (not part of what is anchored). */
  manifest?: ManifestRecord | null;
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
    manifest: bundle.manifest ?? null,
  };
}

/** The deployment operator the file's header names, if any. */
export function proofsOperator(file: ContributorProofs): string | null {
  const ref = file.header.deployment as { operator?: unknown } | null | undefined;
  return typeof ref?.operator === 'string' ? ref.operator : null;
}

/**
 * The file holds: its header is the epoch's under the deployment's manifest (compute/epoch-verify.ts
 * headerProblems: parameters, budget, shares from credits, spot checks), the anchor is the operator's and commits to
 * the header, every receipt is the contributor's, signed, in the root by its path, counted, signed under the
 * epoch's commitment and checked exactly when due, and together they make the credit the header states: so the
 * file holds all of the contributor's receipts, and no other contributor's file can pass for it. Returns the
 * problems (empty: holds).
 */
export async function verifyContributorProofs(
  file: ContributorProofs,
  manifest: Manifest,
  checks: ReceiptChecks = checkReceiptsHere,
): Promise<string[]> {
  const h = file.header as unknown as EpochHeader;
  const problems = headerProblems(h, manifest);
  const who = file.contributor;
  if (h.root !== file.root || h.epoch !== file.epoch || h.network !== file.network)
    problems.push("the file's root, epoch or network is not its header's");
  if ((h.credits[who] ?? '0') !== file.credit)
    problems.push(`the file says a credit of ${file.credit}; its header says ${h.credits[who] ?? 0}`);
  if ((h.shares[who] ?? '0') !== file.share)
    problems.push(`the file says a share of ${file.share}; its header says ${h.shares[who] ?? 0}`);
  if ((h.zeroed[who] ?? null) !== file.zeroed) problems.push("the file's zeroing is not its header's");
  if (!file.receipts.length) problems.push(`the file holds no receipt of ${who}: it proves nothing`);
  if (file.anchor)
    problems.push(
      ...checkAnchorBytes(file.anchor, {
        kind: 'epoch',
        subject: file.epoch,
        hash: canonicalHash(h),
        operator: manifest.operator,
        network: file.network,
      }),
    );
  const receipts = file.receipts.map((r) => r.receipt);
  const leaves = receipts.map(receiptLeaf);
  if (new Set(leaves).size !== leaves.length) problems.push('a receipt is listed more than once');
  file.receipts.forEach(({ receipt, leaf, proof }, i) => {
    const name = `receipt ${leaf.slice(0, 16)}…`;
    if (receipt.contributor !== who) problems.push(`${name} names ${receipt.contributor}`);
    if (leaves[i] !== leaf) problems.push(`${name}: its leaf is not the hash of the receipt`);
    else if (!verifyProof(leaf, proof, file.root))
      problems.push(`${name}: its path does not lead to the root`);
  });
  problems.push(...meteringProblems(receipts, leaves, h, false));
  if (h.spotChecks) problems.push(...spotReceiptProblems(receipts, h.spotChecks, false));
  // The credit its receipts earn under the header's counts: a receipt left out (or one of another epoch) shows.
  const models = Object.fromEntries(Object.entries(h.models).map(([k, v]) => [k, BigInt(v)]));
  const earned =
    h.zeroed[who] !== undefined
      ? 0n
      : receipts.reduce((sum, r, i) => sum + creditOf(r, models, h.counted?.[leaves[i]!]), 0n);
  if (earned.toString() !== (h.credits[who] ?? '0'))
    problems.push(
      `the file's receipts earn a credit of ${earned}; its header credits ${who} with ${h.credits[who] ?? 0}: receipts are missing or do not belong`,
    );
  if (problems.length) return [...problems, 'receipt signatures were not checked: the file already fails'];
  const found = await checks(receipts, file.network);
  found.forEach((problem, i) => {
    if (problem) problems.push(`receipt ${leaves[i]!.slice(0, 16)}…: ${problem}`);
  });
  return problems;
}

export const proofsSchema = z.strictObject({
  version: z.literal(2),
  kind: z.literal(PROOFS_KIND),
  network: z.enum(['mainnet', 'testnet']),
  epoch: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  root: hex64,
  header: epochHeaderSchema,
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
  manifest: recordSchema.nullable().optional(),
});
