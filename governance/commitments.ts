// What a proposal's anchors commit to. The result anchor (when voting closed) commits to the hash of the result
// header: every part of the bundle a verifier relies on, with the ballot set by its Merkle root and size and the
// snapshot by its hash, so a voter's receipt can carry the header and be checked alone. The final anchor (a passed
// proposal, once vetoed or past its veto window) commits to the result hash, the vetoes and the final outcome.
import { canonicalHash } from '../deployment/canonical.js';
import type { DeploymentRef } from '../deployment/manifest.js';
import type { Network } from '../pactus/network.js';
import type { RulesJson } from './rules.js';

export interface SignatureJson {
  address: string;
  publicKey: string;
  signature: string;
}

export interface TallyJson {
  yes: string;
  no: string;
  abstain: string;
  cast: string;
  quorum: string;
  /** The tally's outcome (before any veto): passed, rejected or no_quorum. */
  outcome: string;
}

export interface ProposalJson {
  id: number;
  message: string;
  hash: string;
  signatures: SignatureJson[];
  startsAt: number;
  endsAt: number;
  closedAt: number | null;
  /** The Merkle root and size of the ballot set (in accepted order). */
  ballotRoot: string;
  ballotCount: number;
}

export interface ResultHeader {
  format: string;
  network: Network;
  deployment: DeploymentRef | null;
  rules: RulesJson;
  proposal: ProposalJson;
  snapshot: { height: number; hash: string; total: string };
  result: TallyJson;
}

type HeaderSource = ResultHeader & { snapshot: ResultHeader['snapshot'] & { entries?: unknown } };

export function resultHeader(b: HeaderSource): ResultHeader {
  return {
    format: b.format,
    network: b.network,
    deployment: b.deployment,
    rules: b.rules,
    proposal: b.proposal,
    snapshot: { height: b.snapshot.height, hash: b.snapshot.hash, total: b.snapshot.total },
    result: b.result,
  };
}

export const resultHash = (b: HeaderSource): string => canonicalHash(resultHeader(b));

export function finalHash(b: HeaderSource & { vetoes: unknown; outcome: string }): string {
  return canonicalHash({ result: resultHash(b), vetoes: b.vetoes, outcome: b.outcome });
}
