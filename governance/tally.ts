import type { Choice } from './messages.js';

export interface TallyBallot {
  choice: Choice;
  /** Position in the committed ballot set (the order the server accepted them): an address's latest counts. */
  order: number;
  addresses: string[];
}

export interface TallyRules {
  voteMin: bigint;
  ballotCap: bigint;
  quorumBps: number;
}

export interface Tally {
  yes: bigint;
  no: bigint;
  abstain: bigint;
  cast: bigint;
  quorum: bigint;
  quorumMet: boolean;
  /** Addresses whose latest ballot counted, and ballots that carried any weight. */
  voters: number;
  outcome: 'passed' | 'rejected' | 'no_quorum';
}

/**
 * PIP-44's tally. Each address counts once, in its latest ballot (latest signed and accepted, not the time its
 * signing link was made); a ballot weighs the snapshot power of the
 * addresses it still speaks for, capped at `ballotCap`, and only if that reaches `voteMin`. Quorum is the total
 * weight cast (abstain included) against `quorumBps` of the snapshot's total; a proposal passes when quorum is
 * met and yes > no (a tie is rejected).
 */
export function tally(
  ballots: TallyBallot[],
  power: Map<string, bigint>,
  totalPower: bigint,
  rules: TallyRules,
): Tally {
  const latest = new Map<string, TallyBallot>();
  const ordered = [...ballots].sort((a, b) => a.order - b.order);
  for (const ballot of ordered) for (const address of ballot.addresses) latest.set(address, ballot);
  const result: Record<Choice, bigint> = { yes: 0n, no: 0n, abstain: 0n };
  let voters = 0;
  for (const ballot of ordered) {
    const own = ballot.addresses.filter((a, i, list) => latest.get(a) === ballot && list.indexOf(a) === i);
    const sum = own.reduce((s, a) => s + (power.get(a) ?? 0n), 0n);
    if (sum < rules.voteMin || sum === 0n) continue;
    result[ballot.choice] += sum > rules.ballotCap ? rules.ballotCap : sum;
    voters += own.length;
  }
  const cast = result.yes + result.no + result.abstain;
  const quorum = (totalPower * BigInt(rules.quorumBps)) / 10_000n;
  const quorumMet = cast > 0n && cast >= quorum;
  return {
    ...result,
    cast,
    quorum,
    quorumMet,
    voters,
    outcome: !quorumMet ? 'no_quorum' : result.yes > result.no ? 'passed' : 'rejected',
  };
}
