import { NANO_PER_PAC, MAX_SUPPLY } from '../pactus/amount.js';
import { bytesToHex, hash256, utf8ToBytes } from '../pactus/bytes.js';

/** The DAO rules (PIP-44 defaults); every proposal records the rules it runs under and commits to their hash. */
export interface GovernanceRules {
  /** Snapshot power needed to propose (NanoPAC). */
  proposeMin: bigint;
  /** Snapshot power needed to vote (NanoPAC). */
  voteMin: bigint;
  /** Most weight one ballot can carry (NanoPAC): 1% of total supply. */
  ballotCap: bigint;
  /** Quorum as basis points of the snapshot's total staked power (1000 = 10%). */
  quorumBps: number;
  /** Team public key strings allowed to veto, and how many must sign. */
  teamKeys: string[];
  vetoThreshold: number;
  vetoWindowMs: number;
  minDurationMs: number;
  maxDurationMs: number;
  /** The account that anchors each result on chain (it signs a 0-PAC transaction whose memo holds the root). */
  operator: string | null;
}

export const DEFAULT_RULES: GovernanceRules = {
  proposeMin: 100n * NANO_PER_PAC,
  voteMin: 10n * NANO_PER_PAC,
  ballotCap: MAX_SUPPLY / 100n,
  quorumBps: 1000,
  teamKeys: [],
  vetoThreshold: 1,
  vetoWindowMs: 72 * 3_600_000,
  minDurationMs: 3_600_000,
  maxDurationMs: 30 * 24 * 3_600_000,
  operator: null,
};

export interface RulesJson {
  proposeMin: string;
  voteMin: string;
  ballotCap: string;
  quorumBps: number;
  teamKeys: string[];
  vetoThreshold: number;
  vetoWindowMs: number;
  /** Absent in proposals made before results were anchored. */
  operator?: string | null;
}

export function rulesToJson(r: GovernanceRules): RulesJson {
  return {
    proposeMin: r.proposeMin.toString(),
    voteMin: r.voteMin.toString(),
    ballotCap: r.ballotCap.toString(),
    quorumBps: r.quorumBps,
    teamKeys: [...r.teamKeys],
    vetoThreshold: r.vetoThreshold,
    vetoWindowMs: r.vetoWindowMs,
    operator: r.operator,
  };
}

export function rulesFromJson(
  j: RulesJson,
): Pick<
  GovernanceRules,
  | 'proposeMin'
  | 'voteMin'
  | 'ballotCap'
  | 'quorumBps'
  | 'teamKeys'
  | 'vetoThreshold'
  | 'vetoWindowMs'
  | 'operator'
> {
  return {
    proposeMin: BigInt(j.proposeMin),
    voteMin: BigInt(j.voteMin),
    ballotCap: BigInt(j.ballotCap),
    quorumBps: j.quorumBps,
    teamKeys: j.teamKeys,
    vetoThreshold: j.vetoThreshold,
    vetoWindowMs: j.vetoWindowMs,
    operator: j.operator ?? null,
  };
}

/** BLAKE2b-256 of the canonical JSON (fixed key order): what a proposal's text commits to. */
export function rulesHash(j: RulesJson): string {
  return bytesToHex(hash256(utf8ToBytes(JSON.stringify(j))));
}
