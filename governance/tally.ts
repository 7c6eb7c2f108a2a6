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
  /** Holders whose power a delegate's counted ballot carried (they did not vote themselves). */
  delegated: number;
  /** Of the weight cast, how much came from delegations (before each ballot's cap). */
  delegatedPower: bigint;
  outcome: 'passed' | 'rejected' | 'no_quorum';
}

/**
 * PIP-44's tally. Each address counts once, in its latest ballot (latest signed and accepted, not the time its
 * signing link was made); a ballot weighs the snapshot power of the addresses it still speaks for, plus that of
 * the holders who delegated to one of them (`delegates`, holder -> delegate, resolved at the snapshot) and cast no
 * ballot of their own; one level only (governance/delegation.ts). The sum is capped at `ballotCap` (own and
 * delegated power together: the cap bounds what one ballot decides) and counts only if it reaches `voteMin`.
 * Quorum is the total weight cast (abstain included) against `quorumBps` of the snapshot's total; a proposal
 * passes when quorum is met and yes > no (a tie is rejected).
 */
export function tally(
  ballots: TallyBallot[],
  power: ReadonlyMap<string, bigint>,
  totalPower: bigint,
  rules: TallyRules,
  delegates: ReadonlyMap<string, string> = new Map(),
): Tally {
  const latest = new Map<string, TallyBallot>();
  const ordered = [...ballots].sort((a, b) => a.order - b.order);
  for (const ballot of ordered) for (const address of ballot.addresses) latest.set(address, ballot);
  // A holder that voted itself keeps its power; otherwise it follows its delegate's latest ballot, if any.
  const carried = new Map<TallyBallot, string[]>();
  for (const [holder, delegate] of delegates) {
    const ballot = latest.has(holder) || holder === delegate ? undefined : latest.get(delegate);
    if (ballot) carried.set(ballot, [...(carried.get(ballot) ?? []), holder]);
  }
  const result: Record<Choice, bigint> = { yes: 0n, no: 0n, abstain: 0n };
  let voters = 0;
  let delegated = 0;
  let delegatedPower = 0n;
  for (const ballot of ordered) {
    const own = ballot.addresses.filter((a, i, list) => latest.get(a) === ballot && list.indexOf(a) === i);
    const holders = (carried.get(ballot) ?? []).filter((h) => (power.get(h) ?? 0n) > 0n);
    const lent = holders.reduce((s, h) => s + power.get(h)!, 0n);
    const sum = own.reduce((s, a) => s + (power.get(a) ?? 0n), 0n) + lent;
    if (sum < rules.voteMin || sum === 0n) continue;
    result[ballot.choice] += sum > rules.ballotCap ? rules.ballotCap : sum;
    voters += own.length;
    delegated += holders.length;
    delegatedPower += lent;
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
    delegated,
    delegatedPower,
    outcome: !quorumMet ? 'no_quorum' : result.yes > result.no ? 'passed' : 'rejected',
  };
}
