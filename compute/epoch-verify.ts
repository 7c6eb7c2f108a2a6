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
  type EpochBundle,
  type ReceiptChecks,
} from './epoch.js';
import { receiptLeaf } from './receipt.js';
import { spotCheckProblems } from './spot-sampling.js';
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

export interface EpochVerification {
  problems: string[];
  /** Why the epoch is not final (not anchored yet), or null. */
  why: string | null;
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
  const problems: string[] = [];
  const params = epochParams(manifest);
  if (!params)
    return {
      problems: [`the deployment's manifest (version ${manifest.version}) has no compute layer`],
      why: null,
    };
  const stated = `the deployment's manifest (version ${manifest.version}) says`;
  if (bundle.rewardPerBlock !== params.rewardPerBlock.toString())
    problems.push(
      `the bundle's reward per block is ${bundle.rewardPerBlock} NanoPAC; ${stated} ${params.rewardPerBlock}`,
    );
  if (canonicalJson(bundle.models) !== canonicalJson(manifest.compute!.models))
    problems.push(`the bundle's approved models differ from the ones ${stated}`);
  const start = bundle.epoch * params.epochBlocks;
  if (bundle.startHeight !== start || bundle.endHeight !== start + params.epochBlocks)
    problems.push(
      `epoch ${bundle.epoch} is blocks ${start}-${start + params.epochBlocks - 1} (${params.epochBlocks} blocks per epoch, as ${stated.replace(/ says$/, '')} says); the bundle says ${bundle.startHeight}-${bundle.endHeight - 1}`,
    );
  if (bundle.closeHeight < bundle.endHeight)
    problems.push(`the bundle says the epoch closed at block ${bundle.closeHeight}, before it ended`);

  const leaves = bundle.receipts.map(receiptLeaf);
  const sorted = [...leaves].sort();
  const seen = new Set<string>();
  for (const leaf of leaves)
    if (seen.has(leaf)) problems.push(`receipt ${leaf.slice(0, 16)}… is listed more than once`);
    else seen.add(leaf);
  if (leaves.some((leaf, i) => leaf !== sorted[i])) problems.push('the receipts are not in leaf order');

  const result = closeEpoch({
    epoch: bundle.epoch,
    startHeight: start,
    endHeight: start + params.epochBlocks,
    rewardPerBlock: params.rewardPerBlock,
    models: params.models,
    receipts: bundle.receipts,
    zeroed: bundle.zeroed,
    counted: bundle.counted,
  });
  // Which requests were due for a re-run follows from the revealed seed and the manifest's rate, not the bundle's.
  if (params.spotCheckPpm > 0 && !bundle.spotChecks)
    problems.push(
      `the bundle has no spot checks; ${stated} ${params.spotCheckPpm} ppm of requests are re-run`,
    );
  if (bundle.spotChecks) {
    if (bundle.spotChecks.ratePpm !== params.spotCheckPpm)
      problems.push(
        `the bundle's spot-check rate is ${bundle.spotChecks.ratePpm} ppm; ${stated} ${params.spotCheckPpm}`,
      );
    problems.push(...spotCheckProblems(bundle.receipts, bundle.spotChecks, bundle.zeroed));
  }
  if (result.root !== bundle.root) problems.push(`the receipts' root is ${result.root}, not ${bundle.root}`);
  if (result.budget.toString() !== bundle.budget)
    problems.push(`the budget is ${result.budget}, not ${bundle.budget}`);
  const compare = (what: string, computed: Map<string, bigint>, given: Record<string, string>) => {
    for (const k of new Set([...computed.keys(), ...Object.keys(given)]))
      if ((computed.get(k) ?? 0n).toString() !== (given[k] ?? '0'))
        problems.push(`${what} of ${k} is ${computed.get(k) ?? 0n}, not ${given[k] ?? 0}`);
  };
  compare('the credit', result.credits, bundle.credits);
  compare('the share', result.shares, bundle.shares);
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

/** Receipts are re-checked field by field by compute/receipt.ts; here only that they are objects of strings/ints. */
export const receiptShape = z.looseObject({
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
});

/** Loose at the top: a field added to the format is still hashed (epochHeader), and so committed to. */
export const epochBundleSchema = z.looseObject({
  version: z.literal(EPOCH_BUNDLE_VERSION),
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
