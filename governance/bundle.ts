// The result bundle: everything needed to re-check a proposal without the bot's database (its verifier is
// governance/verify-bundle.ts), the shape a verifier accepts, and how the bot builds it from its rows.
import { z } from 'zod';
import { count as int, decimal, hex64, text } from '../deployment/shape.js';
import type { AnchorJson } from '../deployment/anchors.js';
import {
  anchorSchema,
  recordSchema,
  refSchema,
  type DeploymentRef,
  type ManifestRecord,
} from '../deployment/manifest.js';
import type { Network } from '../pactus/network.js';
import type { ballots, proposals, snapshotEntries, vetoSignatures } from '../db/schema.js';
import { ballotLeaf, merkleRoot } from './ballot-tree.js';
import type { ProposalJson, SignatureJson, TallyJson } from './commitments.js';
import type { SnapshotDelegation } from './delegation.js';
import type { RulesJson } from './rules.js';
import type { Tally } from './tally.js';

export type { SignatureJson } from './commitments.js';

export const BUNDLE_FORMAT = 'pactus-dao-result/3';

export type BundleOutcome = 'open' | 'passed' | 'rejected' | 'no_quorum' | 'vetoed';

export interface ResultBundle {
  format: typeof BUNDLE_FORMAT;
  network: Network;
  /** The deployment and manifest version the proposal runs under (in force at its snapshot height). */
  deployment: DeploymentRef | null;
  rules: RulesJson;
  proposal: ProposalJson;
  snapshot: {
    height: number;
    hash: string;
    total: string;
    entries: { address: string; power: string; validators: string[] }[];
    /**
     * Each holder's delegation or revocation in force at the snapshot, by holder (absent in bundles made before
     * delegation; none is the same as absent). The snapshot's hash covers them (governance/snapshot.ts).
     */
    delegations?: SnapshotDelegation[];
  };
  /** In the order the server accepted them: an address's latest ballot counts. */
  ballots: { message: string; signatures: SignatureJson[] }[];
  /** The tally when voting closed (so far, while it is open). */
  result: TallyJson;
  vetoes: { message: string; signatures: SignatureJson[] }[];
  /** "open" while voting; then the tally's outcome, or "vetoed". */
  outcome: BundleOutcome;
  /** The operator's on-chain commitments (governance/commitments.ts), once confirmed. */
  anchors: { result: AnchorJson | null; final: AnchorJson | null };
  /** The manifest the deployment names, with its anchor: evidence, checked against what --deployment says. */
  manifest: ManifestRecord | null;
}

export function tallyToJson(t: Tally): TallyJson {
  return {
    yes: t.yes.toString(),
    no: t.no.toString(),
    abstain: t.abstain.toString(),
    cast: t.cast.toString(),
    quorum: t.quorum.toString(),
    outcome: t.outcome,
  };
}

/** The bundle of a proposal from its rows. */
export function buildBundle(input: {
  proposal: typeof proposals.$inferSelect;
  entries: (typeof snapshotEntries.$inferSelect)[];
  delegations: SnapshotDelegation[];
  ballots: (typeof ballots.$inferSelect)[];
  vetoes: (typeof vetoSignatures.$inferSelect)[];
  result: Tally;
  anchors: ResultBundle['anchors'];
  deployment: ManifestRecord | null;
}): ResultBundle {
  const p = input.proposal;
  const byMessage = new Map<string, SignatureJson[]>();
  for (const v of input.vetoes)
    byMessage.set(v.message, [
      ...(byMessage.get(v.message) ?? []),
      { address: v.address, publicKey: v.publicKey, signature: v.signature },
    ]);
  const ballotList = input.ballots.map((b) => ({ message: b.message, signatures: b.signatures }));
  const record = input.deployment;
  return {
    format: BUNDLE_FORMAT,
    network: p.network,
    deployment: record && {
      operator: record.manifest.operator,
      version: record.manifest.version,
      manifest: record.hash,
    },
    rules: p.rules as unknown as RulesJson,
    proposal: {
      id: p.id,
      message: p.message,
      hash: p.hash,
      signatures: p.signatures ?? [],
      startsAt: p.startsAt!,
      endsAt: p.endsAt!,
      closedAt: p.closedAt,
      ballotRoot: merkleRoot(ballotList.map(ballotLeaf)),
      ballotCount: ballotList.length,
    },
    snapshot: {
      height: p.snapshotHeight,
      hash: p.snapshotHash,
      total: p.totalPower.toString(),
      entries: [...input.entries]
        .sort((a, b) => (a.address < b.address ? -1 : 1))
        .map((e) => ({ address: e.address, power: e.power.toString(), validators: e.validators })),
      delegations: [...input.delegations].sort((a, b) =>
        a.signature.address < b.signature.address ? -1 : 1,
      ),
    },
    ballots: ballotList,
    result: tallyToJson(input.result),
    vetoes: [...byMessage.entries()].map(([message, signatures]) => ({ message, signatures })),
    outcome: p.status === 'active' ? 'open' : (p.outcome ?? input.result.outcome),
    anchors: input.anchors,
    manifest: record,
  };
}

// ---------------------------------------------------------------- the shape a verifier accepts

const signature = z.strictObject({ address: text(100), publicKey: text(300), signature: text(200) });
const signed = z.strictObject({ message: text(10_000), signatures: z.array(signature).min(1).max(64) });

export const tallySchema = z.strictObject({
  yes: decimal,
  no: decimal,
  abstain: decimal,
  cast: decimal,
  quorum: decimal,
  outcome: z.enum(['passed', 'rejected', 'no_quorum']),
});

export const rulesSchema = z.strictObject({
  proposeMin: decimal,
  voteMin: decimal,
  ballotCap: decimal,
  quorumBps: int.max(10_000),
  teamKeys: z.array(text(300)).max(100),
  vetoThreshold: int.min(1),
  vetoWindowMs: int,
  operator: text(100).nullable().optional(),
});

export const proposalSchema = z.strictObject({
  id: int.min(1),
  message: text(10_000),
  hash: hex64,
  signatures: z.array(signature).max(64),
  startsAt: int,
  endsAt: int,
  closedAt: int.nullable(),
  ballotRoot: hex64,
  ballotCount: int,
});

export const bundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  network: z.enum(['mainnet', 'testnet']),
  deployment: refSchema.nullable(),
  rules: rulesSchema,
  proposal: proposalSchema,
  snapshot: z.strictObject({
    height: int,
    hash: hex64,
    total: decimal,
    entries: z
      .array(
        z.strictObject({ address: text(100), power: decimal, validators: z.array(text(100)).max(10_000) }),
      )
      .max(100_000),
    delegations: z
      .array(z.strictObject({ message: text(2_000), signature }))
      .max(100_000)
      .optional(),
  }),
  ballots: z.array(signed).max(1_000_000),
  result: tallySchema,
  vetoes: z.array(signed).max(1_000),
  outcome: z.enum(['open', 'passed', 'rejected', 'no_quorum', 'vetoed']),
  anchors: z.strictObject({ result: anchorSchema.nullable(), final: anchorSchema.nullable() }),
  manifest: recordSchema.nullable(),
});
