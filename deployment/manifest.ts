// A deployment's identity: who operates it (the account that signs its anchors), its pools, the team keys that may
// veto, the approved models and the rules it runs by. Published as a canonical manifest, one version per change,
// each anchored on chain by the operator (deployment/anchors.ts). Bundles name the version they were made under;
// verifiers read every parameter from the manifest, never from the bundle.
//
// Version in force at block H: the newest version anchored at a height <= H; before any anchor, version 1 (a
// deployment's rules apply from its start, and its first anchor may land a few blocks in). A proposal is under the
// version in force at its snapshot height, a compute epoch under the one in force at its first block.
import { z } from 'zod';
import { count, decimal, hex64 } from './shape.js';
import type { Network } from '../pactus/network.js';
import { checkAnchorBytes, type AnchorJson } from './anchors.js';
import { canonicalHash, canonicalJson } from './canonical.js';

export const MANIFEST_FORMAT = 'pactus-bot-deployment/1';
export const HISTORY_FORMAT = 'pactus-bot-deployment-history/1';

export interface GovernanceParams {
  /** NanoPAC, decimal. */
  proposeMin: string;
  voteMin: string;
  ballotCap: string;
  quorumBps: number;
  /** Public key strings of the team, which may veto a passed proposal. */
  teamKeys: string[];
  vetoThreshold: number;
  vetoWindowMs: number;
  minDurationMs: number;
  maxDurationMs: number;
}

export interface ComputeParams {
  /** The account that pays contributors' shares. */
  pool: string | null;
  /** Approved models: GGUF SHA-256 -> parameter count, decimal. */
  models: Record<string, string>;
  /** NanoPAC a contributor's validator must have bonded. */
  minStake: string;
  epochBlocks: number;
  /** NanoPAC per block for compute contributors. */
  rewardPerBlock: string;
  /** Parts per million of requests re-run on other contributors, decided after each answer by the epoch's seed. */
  spotCheckPpm: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  network: Network;
  version: number;
  /** The hash of the previous version (null for version 1), so a history cannot skip one. */
  previous: string | null;
  issued: string;
  /** The account whose 0-PAC transactions anchor this manifest, proposal results and compute epochs. */
  operator: string;
  governance: GovernanceParams;
  compute: ComputeParams | null;
  rewards: { pool: string | null };
}

/** What a version is about: everything but its place in the history. */
export type ManifestContent = Omit<Manifest, 'format' | 'version' | 'previous' | 'issued'>;

/** A published version: the manifest, its hash, and the operator's anchor of it once signed. */
export interface ManifestRecord {
  manifest: Manifest;
  hash: string;
  anchor: AnchorJson | null;
}

/** GET /deployment.json: every version, oldest first. */
export interface DeploymentHistory {
  format: typeof HISTORY_FORMAT;
  operator: string;
  versions: ManifestRecord[];
}

/** What a bundle names (and its anchor commits to): the deployment's operator and the version it was made under. */
export interface DeploymentRef {
  operator: string;
  version: number;
  /** The hash of that version's manifest. */
  manifest: string;
}

export const manifestHash = (m: Manifest): string => canonicalHash(m);

export function contentOf(m: Manifest): ManifestContent {
  const { format: _f, version: _v, previous: _p, issued: _i, ...content } = m;
  return content;
}

export const refOf = (r: ManifestRecord): DeploymentRef => ({
  operator: r.manifest.operator,
  version: r.manifest.version,
  manifest: r.hash,
});

/** The next version for `content`, or null when the latest version already says exactly this. */
export function nextManifest(
  content: ManifestContent,
  latest: Manifest | null,
  issued: string,
): Manifest | null {
  if (latest && canonicalJson(contentOf(latest)) === canonicalJson(content)) return null;
  return {
    format: MANIFEST_FORMAT,
    version: (latest?.version ?? 0) + 1,
    previous: latest ? manifestHash(latest) : null,
    issued,
    ...content,
  };
}

/** The version in force at `height` among versions with their anchor heights (null: not anchored). */
export function versionInForce(
  versions: { version: number; height: number | null }[],
  height: number,
): number {
  let found = 1;
  for (const v of versions)
    if (v.height !== null && v.height <= height && v.version > found) found = v.version;
  return found;
}

/**
 * A history's own consistency: versions 1..n in order, each naming its predecessor's hash, one operator and one
 * network throughout, each record's hash that of its manifest. Problems in words.
 */
export function historyProblems(history: DeploymentHistory): string[] {
  const problems: string[] = [];
  let previous: string | null = null;
  history.versions.forEach((r, i) => {
    const m = r.manifest;
    const name = `manifest version ${m.version}`;
    // Each listed anchor must be the operator's and commit to its version: none decides the version in force else.
    if (r.anchor)
      problems.push(
        ...checkAnchorBytes(r.anchor, {
          kind: 'manifest',
          subject: m.version,
          hash: r.hash,
          operator: history.operator,
          network: m.network,
        }).map((p) => `${name}: ${p}`),
      );
    if (m.version !== i + 1) problems.push(`the history lists version ${m.version} in place ${i + 1}`);
    if (manifestHash(m) !== r.hash) problems.push(`${name} does not hash to the hash it is listed with`);
    if (m.previous !== previous) problems.push(`${name} does not name the version before it`);
    if (m.operator !== history.operator) problems.push(`${name} names another operator`);
    if (m.network !== history.versions[0]!.manifest.network) problems.push(`${name} is for another network`);
    previous = manifestHash(m);
  });
  if (!history.versions.length) problems.push('the history lists no version');
  return problems;
}

// ---------------------------------------------------------------- shapes of the files

const address = z.string().regex(/^t?pc1[02-9ac-hj-np-z]{10,90}$/);

export const anchorSchema = z.strictObject({
  txId: hex64,
  signedTx: z.string().regex(/^([0-9a-f]{2}){1,4096}$/),
  height: count.nullable(),
});

export const refSchema = z.strictObject({ operator: address, version: count.min(1), manifest: hex64 });

export const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  network: z.enum(['mainnet', 'testnet']),
  version: count.min(1),
  previous: hex64.nullable(),
  issued: z.string().max(64),
  operator: address,
  governance: z.strictObject({
    proposeMin: decimal,
    voteMin: decimal,
    ballotCap: decimal,
    quorumBps: count.max(10_000),
    teamKeys: z.array(z.string().max(300)).max(100),
    vetoThreshold: count.min(1),
    vetoWindowMs: count,
    minDurationMs: count,
    maxDurationMs: count,
  }),
  compute: z
    .strictObject({
      pool: address.nullable(),
      models: z.record(hex64, decimal),
      minStake: decimal,
      epochBlocks: count.min(1),
      rewardPerBlock: decimal,
      spotCheckPpm: count.max(1_000_000),
    })
    .nullable(),
  rewards: z.strictObject({ pool: address.nullable() }),
});

export const recordSchema = z.strictObject({
  manifest: manifestSchema,
  hash: hex64,
  anchor: anchorSchema.nullable(),
});

export const historySchema = z.strictObject({
  format: z.literal(HISTORY_FORMAT),
  operator: address,
  versions: z.array(recordSchema).max(10_000),
});
