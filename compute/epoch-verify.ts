// Re-checks an epoch bundle under the deployment's manifest: the reward per block, the approved models and the epoch
// length come from the manifest, never from the bundle; the books are recomputed from the receipts; the anchor's
// bytes must be the operator's and commit to this bundle. What needs the chain (that the anchor is in a block after
// the epoch, and the contributors' stake) is for the CLI with --node (bot/cli/verify-epoch.ts).
import { z } from 'zod';
import { count as int, decimal, hex64, text } from '../deployment/shape.js';
import { checkAnchorBytes } from '../deployment/anchors.js';
import { canonicalJson } from '../deployment/canonical.js';
import { anchorSchema, recordSchema, refSchema, type Manifest } from '../deployment/manifest.js';
import {
  EPOCH_BUNDLE_VERSION,
  checkReceiptsHere,
  closeEpoch,
  epochHash,
  proRata,
  type EpochBundle,
  type ReceiptChecks,
} from './epoch.js';
import { receiptLeaf, type Receipt } from './receipt.js';
import { spotHeaderProblems, spotReceiptProblems } from './spot-sampling.js';
import { PIP55_ERA_ENDS, halvingSum } from '../pactus/reward-schedule.js';
import { stakeThen, type ValidatorFacts } from '../deployment/stake.js';
import { pacText } from '../pactus/amount.js';

export interface EpochParams {
  rewardPerBlock: bigint;
  models: Record<string, bigint>;
  epochBlocks: number;
  minStake: bigint;
  spotCheckPpm: number;
}

export function epochParams(m: Manifest): EpochParams | null {
  const c = m.compute;
  return c
    ? {
        rewardPerBlock: BigInt(c.rewardPerBlock),
        models: Object.fromEntries(Object.entries(c.models).map(([k, v]) => [k, BigInt(v)])),
        epochBlocks: c.epochBlocks,
        minStake: BigInt(c.minStake),
        spotCheckPpm: c.spotCheckPpm,
      }
    : null;
}

/** How a contributor zeroed by the stake check at an epoch's close is named in the bundle (service.ts closeDue). */
export const STAKE_ZEROED = 'stake check at the close: ';

export interface EpochVerification {
  problems: string[];
  /** Why the epoch is not final (not anchored yet), or null. */
  why: string | null;
}

/** An epoch bundle without its receipts and evidence: what its anchor commits to, and what a proofs file carries. */
export type EpochHeader = Omit<EpochBundle, 'receipts' | 'anchor' | 'manifest'>;

/**
 * What an epoch's header shows under the deployment's manifest without any receipt: the parameters are the
 * manifest's (reward per block, approved models, the epoch's blocks, the spot-check rate), the budget is what those
 * blocks pay, the shares split it by the stated credits, a zeroed contributor has no credit, and the spot checks
 * hang together (spot-sampling.ts spotHeaderProblems). Problems in words.
 */
export function headerProblems(h: EpochHeader, manifest: Manifest): string[] {
  const params = epochParams(manifest);
  if (!params) return [`the deployment's manifest (version ${manifest.version}) has no compute layer`];
  const problems: string[] = [];
  const stated = `the deployment's manifest (version ${manifest.version}) says`;
  if (h.rewardPerBlock !== params.rewardPerBlock.toString())
    problems.push(
      `the bundle's reward per block is ${h.rewardPerBlock} NanoPAC; ${stated} ${params.rewardPerBlock}`,
    );
  if (canonicalJson(h.models) !== canonicalJson(manifest.compute!.models))
    problems.push(`the bundle's approved models differ from the ones ${stated}`);
  const start = h.epoch * params.epochBlocks;
  if (h.startHeight !== start || h.endHeight !== start + params.epochBlocks)
    problems.push(
      `epoch ${h.epoch} is blocks ${start}-${start + params.epochBlocks - 1} (${params.epochBlocks} blocks per epoch, as ${stated.replace(/ says$/, '')} says); the bundle says ${h.startHeight}-${h.endHeight - 1}`,
    );
  if (h.closeHeight < h.endHeight)
    problems.push(`the bundle says the epoch closed at block ${h.closeHeight}, before it ended`);
  const budget = halvingSum(params.rewardPerBlock, start, start + params.epochBlocks, PIP55_ERA_ENDS);
  if (budget.toString() !== h.budget) problems.push(`the budget is ${budget}, not ${h.budget}`);
  // The shares are the budget split by the credits the header states (the receipts, where a verifier has them all,
  // show the credits): recomputed here from the manifest's budget.
  const credits = new Map(Object.entries(h.credits).map(([k, v]) => [k, BigInt(v)]));
  const shares = proRata(budget, credits);
  for (const k of new Set([...shares.keys(), ...Object.keys(h.shares)]))
    if ((shares.get(k) ?? 0n).toString() !== (h.shares[k] ?? '0'))
      problems.push(`the share of ${k} is ${shares.get(k) ?? 0n}, not ${h.shares[k] ?? 0}`);
  for (const k of Object.keys(h.zeroed))
    if ((h.credits[k] ?? '0') !== '0') problems.push(`${k} is zeroed but credited ${h.credits[k]}`);
  // Which requests were due for a re-run follows from the revealed seed and the manifest's rate, not the bundle's.
  if (params.spotCheckPpm > 0 && !h.spotChecks)
    problems.push(
      `the bundle has no spot checks; ${stated} ${params.spotCheckPpm} ppm of requests are re-run`,
    );
  if (h.spotChecks) {
    if (h.version < EPOCH_BUNDLE_VERSION)
      problems.push(
        `the bundle is version ${h.version}, whose spot checks were drawn by request: the operator, who writes every request, could choose which answers were checked (version ${EPOCH_BUNDLE_VERSION} draws them by the contributor's signed receipt)`,
      );
    if (h.spotChecks.ratePpm !== params.spotCheckPpm)
      problems.push(
        `the bundle's spot-check rate is ${h.spotChecks.ratePpm} ppm; ${stated} ${params.spotCheckPpm}`,
      );
    // The bot counts every answer it meters: a metered epoch without counts would pay every claim in full.
    if (!h.counted) problems.push('the bundle has spot checks but no token counts');
    problems.push(...spotHeaderProblems(h.spotChecks, h.zeroed));
  }
  return problems;
}

/**
 * The bot's counts and flags against the receipts: every receipt counted (a receipt without a count would be
 * credited its claim) and flagged only when its claim exceeds the count. With `whole` (all the epoch's receipts are
 * here), also no count or flag of a receipt that is not there.
 */
export function meteringProblems(
  receipts: Receipt[],
  leaves: string[],
  h: EpochHeader,
  whole: boolean,
): string[] {
  const counted = h.counted;
  if (!counted) return [];
  const problems: string[] = [];
  const short = (leaf: string) => `${leaf.slice(0, 16)}…`;
  const byLeaf = new Map(leaves.map((leaf, i) => [leaf, receipts[i]!]));
  for (const [leaf, r] of byLeaf) {
    const c = Object.hasOwn(counted, leaf) ? counted[leaf]! : null;
    if (!c) problems.push(`receipt ${short(leaf)} of ${r.contributor} has no token count`);
    else if (
      Object.hasOwn(h.flagged ?? {}, leaf) &&
      r.promptTokens <= c.prompt &&
      r.completionTokens <= c.completion
    )
      problems.push(`receipt ${short(leaf)} is flagged, but it claims no more than was counted`);
  }
  if (whole)
    for (const leaf of new Set([...Object.keys(counted), ...Object.keys(h.flagged ?? {})]))
      if (!byLeaf.has(leaf))
        problems.push(`a token count or flag names ${short(leaf)}, which is no receipt here`);
  return problems;
}

/**
 * The cheap checks first (parameters, heights, order, root, credits, shares, anchor): a bundle failing any of them is
 * refused without paying a pairing per receipt; an honest one then has every receipt's signature checked.
 */
export async function verifyEpochBundle(
  bundle: EpochBundle,
  manifest: Manifest,
  checks: ReceiptChecks = checkReceiptsHere,
): Promise<EpochVerification> {
  const params = epochParams(manifest);
  if (!params)
    return {
      problems: [`the deployment's manifest (version ${manifest.version}) has no compute layer`],
      why: null,
    };
  const problems = headerProblems(bundle, manifest);
  const leaves = bundle.receipts.map(receiptLeaf);
  const sorted = [...leaves].sort();
  const seen = new Set<string>();
  for (const leaf of leaves)
    if (seen.has(leaf)) problems.push(`receipt ${leaf.slice(0, 16)}… is listed more than once`);
    else seen.add(leaf);
  if (leaves.some((leaf, i) => leaf !== sorted[i])) problems.push('the receipts are not in leaf order');
  problems.push(...meteringProblems(bundle.receipts, leaves, bundle, true));

  const result = closeEpoch({
    epoch: bundle.epoch,
    startHeight: bundle.epoch * params.epochBlocks,
    endHeight: (bundle.epoch + 1) * params.epochBlocks,
    rewardPerBlock: params.rewardPerBlock,
    models: params.models,
    receipts: bundle.receipts,
    zeroed: bundle.zeroed,
    counted: bundle.counted,
  });
  if (bundle.spotChecks) problems.push(...spotReceiptProblems(bundle.receipts, bundle.spotChecks, true));
  if (result.root !== bundle.root) problems.push(`the receipts' root is ${result.root}, not ${bundle.root}`);
  // The header's shares follow its credits (headerProblems); the credits must follow the receipts.
  for (const k of new Set([...result.credits.keys(), ...Object.keys(bundle.credits)]))
    if ((result.credits.get(k) ?? 0n).toString() !== (bundle.credits[k] ?? '0'))
      problems.push(`the credit of ${k} is ${result.credits.get(k) ?? 0n}, not ${bundle.credits[k] ?? 0}`);
  for (const [k, v] of Object.entries(bundle.credits))
    if (v === '0' && !result.credits.has(k)) problems.push(`the bundle credits ${k}, which has no receipt`);

  if (bundle.anchor)
    problems.push(
      ...checkAnchorBytes(bundle.anchor, {
        kind: 'epoch',
        subject: bundle.epoch,
        hash: epochHash(bundle),
        operator: manifest.operator,
        network: bundle.network,
      }),
    );
  if (problems.length)
    return {
      problems: [...problems, 'receipt signatures were not checked: the bundle already fails'],
      why: null,
    };

  const found = await checks(bundle.receipts, bundle.network);
  bundle.receipts.forEach((r, i) => {
    if (found[i]) problems.push(`receipt ${leaves[i]!.slice(0, 16)}… of ${r.contributor}: ${found[i]}`);
  });
  return { problems, why: bundle.anchor ? null : 'the epoch is not anchored on chain yet' };
}

// ---------------------------------------------------------------- the shape a verifier accepts

/**
 * Receipts are re-checked field by field by compute/receipt.ts; here only that they are objects of strings/ints, and
 * hold nothing else: a field the signature and the leaf do not cover would be a second, unsigned reading of the same
 * receipt (no tool version of ours writes one).
 */
export const receiptShape = z.strictObject({
  contributor: text(100),
  requestHash: text(64),
  responseHash: text(64),
  promptTokens: z.number(),
  completionTokens: z.number(),
  model: text(100),
  modelHash: text(64),
  timestamp: z.number(),
  publicKey: text(300),
  signature: text(200),
  commitment: text(64).optional(),
});

/** Loose at the top: a field added to the format is still hashed (epochHeader), and so committed to. */
export const epochBundleSchema = z.looseObject({
  // Version 2 is read to be refused by name when it has spot checks (headerProblems): they were drawn by request.
  version: z.union([z.literal(2), z.literal(EPOCH_BUNDLE_VERSION)]),
  network: z.enum(['mainnet', 'testnet']),
  deployment: refSchema.nullable(),
  epoch: int,
  startHeight: int,
  endHeight: int,
  closeHeight: int,
  rewardPerBlock: decimal,
  models: z.record(hex64, decimal),
  zeroed: z.record(text(100), text(500)),
  receipts: z.array(receiptShape).max(10_000_000),
  root: hex64,
  budget: decimal,
  credits: z.record(text(100), decimal),
  shares: z.record(text(100), decimal),
  anchor: anchorSchema.nullable().optional(),
  manifest: recordSchema.nullable().optional(),
  counted: z.record(hex64, z.strictObject({ prompt: int, completion: int })).optional(),
  flagged: z.record(hex64, text(500)).optional(),
  spotChecks: z
    .strictObject({
      ratePpm: int.max(1_000_000),
      commitment: hex64,
      seed: hex64,
      checks: z
        .array(
          z.strictObject({
            request: hex64,
            leaf: hex64,
            contributor: text(100),
            reruns: z.array(hex64).max(16),
            outcome: text(40),
            failed: text(100).nullable(),
            detail: text(500),
          }),
        )
        .max(10_000_000),
    })
    .optional(),
});

/** A proofs file's header: the bundle's shape without its receipts and evidence (a field added later passes, hashed). */
export const epochHeaderSchema = epochBundleSchema.omit({ receipts: true, anchor: true, manifest: true });

/**
 * A credited contributor's validator against the chain, as of the epoch's close (see deployment/stake.ts for what a node can still tell): a problem in words, null when it held the floor, or "unknown".
 */
export function stakeAtClose(
  contributor: string,
  v: ValidatorFacts | null,
  closeHeight: number,
  minStake: bigint,
): string | null | 'unknown' {
  if (!v) return `${contributor} earned a share but is not a validator on chain`;
  const then = stakeThen(v, closeHeight);
  if (!then) return 'unknown';
  if (!then.bonded)
    return `${contributor} earned a share but had unbonded at block ${v.unbondingHeight}, before the close at block ${closeHeight}`;
  return then.stake < minStake
    ? `${contributor} earned a share with ${pacText(then.stake)} bonded at the close, below the deployment's ${pacText(minStake)} floor`
    : null;
}
