// An epoch's books, as pure functions: the same code closes an epoch in the bot and re-checks its bundle offline
// (`npx pactus-bot verify-epoch`). Credit is PIP-44's FLOPs estimate, 2 x parameters x tokens, for accepted
// receipts of approved models; the budget is the per-block reward times the epoch's blocks, split pro-rata.
import { NANO_PER_PAC } from '../pactus/amount.js';
import { PIP55_ERA_ENDS, halvingSum } from '../pactus/reward-schedule.js';
import type { Network } from '../pactus/network.js';
import { ComputeError } from './errors.js';
import {
  leafHash,
  merkleProofs,
  merkleRoot,
  verifyProof as verifyPath,
  type ProofStep,
} from '../pactus/merkle.js';
import { tryHexToBytes } from '../pactus/bytes.js';
import { receiptLeaf, verifyReceipt, type Receipt } from './receipt.js';
import type { AnchorJson } from '../deployment/anchors.js';
import { canonicalHash } from '../deployment/canonical.js';
import type { DeploymentRef, ManifestRecord } from '../deployment/manifest.js';
import type { SpotChecks } from './spot-sampling.js';
import type { TokenCount } from './token-count.js';

/**
 * PIP-44: 0.35 PAC per block for compute contributors, half of the validators' 0.7 PAC. It is the first era's
 * amount: from block 8,000,001 on it halves with the validators' reward (PIP-55, pactus/reward-schedule.ts).
 */
export const DEFAULT_REWARD_PER_BLOCK = (35n * NANO_PER_PAC) / 100n;

export interface EpochBooks {
  epoch: number;
  /** Blocks [startHeight, endHeight) belong to the epoch. */
  startHeight: number;
  endHeight: number;
  rewardPerBlock: bigint;
  /**
   * The chain's reward era ends (PIP-55's when absent): the budget halves after each, as the block reward does. Only
   * a test moves them: bundles never carry them, so a verifier always applies PIP-55's.
   */
  rewardEraEnds?: readonly number[];
  /** Approved models: GGUF SHA-256 -> parameter count. */
  models: Record<string, bigint>;
  receipts: Receipt[];
  /** Contributors whose credit is zero this epoch, and why (failed spot check, bad receipt, stake below floor). */
  zeroed: Record<string, string>;
  /** Metering (issue 30): tokens the bot counted per receipt leaf; a receipt is credited min(claimed, counted). */
  counted?: Record<string, TokenCount>;
  /** Metering: receipts whose claim exceeds the count by more than the chat template's overhead, and by how much. */
  flagged?: Record<string, string>;
  /** Metering: the revealed spot-check seed, its commitment, and every due request's check. */
  spotChecks?: SpotChecks;
}

export interface EpochResult {
  root: string;
  budget: bigint;
  credits: Map<string, bigint>;
  shares: Map<string, bigint>;
}

/** PIP-44's work estimate: a forward pass costs about 2 FLOPs per parameter per token. */
export const flops = (params: bigint, tokens: bigint) => 2n * params * tokens;

/** The receipt's credit; with the bot's own count, each part is the smaller of claimed and counted tokens. */
export function creditOf(receipt: Receipt, models: Record<string, bigint>, counted?: TokenCount): bigint {
  const params = models[receipt.modelHash];
  if (params === undefined) return 0n;
  const tokens = counted
    ? Math.min(receipt.promptTokens, counted.prompt) + Math.min(receipt.completionTokens, counted.completion)
    : receipt.promptTokens + receipt.completionTokens;
  return flops(params, BigInt(tokens));
}

/**
 * Shares of `budget` in proportion to `credits`, exactly: floors first, then the few NanoPAC left over go one each
 * to the largest remainders (ties by address), so the shares always add up to the budget when anyone earned.
 */
export function proRata(budget: bigint, credits: Map<string, bigint>): Map<string, bigint> {
  const total = [...credits.values()].reduce((a, b) => a + b, 0n);
  const shares = new Map<string, bigint>();
  if (total === 0n) return shares;
  const rest: { address: string; remainder: bigint }[] = [];
  let given = 0n;
  for (const [address, credit] of [...credits].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (credit === 0n) continue;
    const exact = budget * credit;
    shares.set(address, exact / total);
    given += exact / total;
    rest.push({ address, remainder: exact % total });
  }
  rest.sort((a, b) =>
    a.remainder === b.remainder ? (a.address < b.address ? -1 : 1) : a.remainder > b.remainder ? -1 : 1,
  );
  for (let i = 0; given < budget; i++, given++) {
    const r = rest[i % rest.length]!;
    shares.set(r.address, shares.get(r.address)! + 1n);
  }
  return shares;
}

/** The receipts in leaf order (by leaf hash), so the root does not depend on arrival order. */
export function orderedLeaves(receipts: Receipt[]): { receipt: Receipt; leaf: string }[] {
  return receipts
    .map((receipt) => ({ receipt, leaf: receiptLeaf(receipt) }))
    .sort((a, b) => (a.leaf < b.leaf ? -1 : 1));
}

/** A receipt's place in the tree: the RFC 9162 leaf hash of its leaf id (the hex `receiptLeaf`). */
export const treeLeaf = (leaf: string) => leafHash(tryHexToBytes(leaf) ?? new Uint8Array(0));

/** Credits, budget and shares without the tree: what an open epoch's projection needs. */
export function epochShares(books: EpochBooks): Omit<EpochResult, 'root'> {
  const credits = new Map<string, bigint>();
  for (const receipt of books.receipts) {
    const counted = books.counted?.[receiptLeaf(receipt)];
    const credit =
      books.zeroed[receipt.contributor] !== undefined ? 0n : creditOf(receipt, books.models, counted);
    credits.set(receipt.contributor, (credits.get(receipt.contributor) ?? 0n) + credit);
  }
  // The same fraction of the validators' reward at every height: halved per block as the chain halves it.
  const budget = halvingSum(
    books.rewardPerBlock,
    books.startHeight,
    books.endHeight,
    books.rewardEraEnds ?? PIP55_ERA_ENDS,
  );
  return { budget, credits, shares: proRata(budget, credits) };
}

export function closeEpoch(books: EpochBooks): EpochResult {
  const root = merkleRoot(orderedLeaves(books.receipts).map((l) => treeLeaf(l.leaf)));
  return { root, ...epochShares(books) };
}

/** A contributor's proof that one of its receipts is in the epoch's anchored root. */
export function inclusionProof(receipts: Receipt[], leaf: string): ProofStep[] | null {
  const leaves = orderedLeaves(receipts);
  const index = leaves.findIndex((l) => l.leaf === leaf);
  return index < 0
    ? null
    : merkleProofs(
        leaves.map((l) => treeLeaf(l.leaf)),
        [index],
      )[0]!;
}

/** Whether `proof` leads from the receipt with leaf id `leaf` to `root`. */
export const verifyProof = (leaf: string, proof: ProofStep[], root: string) =>
  verifyPath(treeLeaf(leaf), proof, root);

// ---------------------------------------------------------------- the public bundle

/** 3: spot checks drawn by receipt leaf (spot-sampling.ts isDue); 2 drew them by request, and is refused with them. */
export const EPOCH_BUNDLE_VERSION = 3;

export interface EpochBundle {
  version: 2 | typeof EPOCH_BUNDLE_VERSION;
  network: Network;
  /** The deployment and manifest version whose parameters settled the epoch (in force at its first block). */
  deployment: DeploymentRef | null;
  epoch: number;
  startHeight: number;
  endHeight: number;
  /** The chain's height when the books closed: stakes were checked then. */
  closeHeight: number;
  rewardPerBlock: string;
  models: Record<string, string>;
  zeroed: Record<string, string>;
  receipts: Receipt[];
  root: string;
  budget: string;
  credits: Record<string, string>;
  shares: Record<string, string>;
  /** Metering (issue 30): see EpochBooks. Absent in bundles of epochs closed before it. */
  counted?: Record<string, TokenCount>;
  flagged?: Record<string, string>;
  spotChecks?: SpotChecks;
  /** The operator's anchor of the epoch's hash (epochHash), once confirmed: evidence, not part of the hash. */
  anchor?: AnchorJson | null;
  /** The manifest the deployment names, with its anchor: evidence, checked against what --deployment says. */
  manifest?: ManifestRecord | null;
}

/**
 * What the epoch's anchor commits to: every field of the bundle (any field added later too), except the receipts,
 * which the root commits to, and the evidence about the bundle (its anchor and manifest).
 */
export function epochHeader(bundle: EpochBundle): Record<string, unknown> {
  const { receipts: _r, anchor: _a, manifest: _m, ...header } = bundle;
  return header;
}

export const epochHash = (bundle: EpochBundle): string => canonicalHash(epochHeader(bundle));

const record = (m: Map<string, bigint>) => Object.fromEntries([...m].map(([k, v]) => [k, v.toString()]));

export function bundleOf(
  books: EpochBooks,
  network: Network,
  result = closeEpoch(books),
  context: { deployment: DeploymentRef | null; closeHeight: number } = {
    deployment: null,
    closeHeight: books.endHeight,
  },
): EpochBundle {
  return {
    version: EPOCH_BUNDLE_VERSION,
    network,
    deployment: context.deployment,
    epoch: books.epoch,
    startHeight: books.startHeight,
    endHeight: books.endHeight,
    closeHeight: context.closeHeight,
    rewardPerBlock: books.rewardPerBlock.toString(),
    models: Object.fromEntries(Object.entries(books.models).map(([k, v]) => [k, v.toString()])),
    zeroed: books.zeroed,
    receipts: orderedLeaves(books.receipts).map((l) => l.receipt),
    root: result.root,
    budget: result.budget.toString(),
    credits: record(result.credits),
    shares: record(result.shares),
    ...(books.counted && { counted: books.counted }),
    ...(books.flagged && { flagged: books.flagged }),
    ...(books.spotChecks && { spotChecks: books.spotChecks }),
  };
}

/** Each receipt's problem or null; the default checks them one by one on this thread. */
export type ReceiptChecks = (receipts: Receipt[], network: Network) => Promise<(string | null)[]>;

export const checkReceiptsHere: ReceiptChecks = async (receipts, network) =>
  receipts.map((r) => {
    try {
      verifyReceipt(r, network);
      return null;
    } catch (error) {
      return (error as ComputeError).message;
    }
  });

/**
 * What the epoch-closed post says (agents/render/notifications.ts compute_epoch): the split, who was zeroed and why,
 * who claimed more tokens than the bot counted (credited the count), and how many requests were re-run.
 */
export function closedPost(bundle: EpochBundle) {
  return {
    deployment: bundle.deployment,
    epoch: bundle.epoch,
    root: bundle.root,
    budget: bundle.budget,
    receipts: bundle.receipts.length,
    shares: bundle.shares,
    zeroed: bundle.zeroed,
    flagged: [
      ...new Set(bundle.receipts.filter((r) => bundle.flagged?.[receiptLeaf(r)]).map((r) => r.contributor)),
    ],
    // Checks that re-ran their request (a due one no other contributor could take is not counted).
    spotChecks: bundle.spotChecks?.checks.filter((c) => c.reruns.length > 0).length ?? 0,
  };
}
