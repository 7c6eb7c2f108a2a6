// Vote delegation's rules, as pure functions the bot and the verifier share (README, "Delegation"):
// - a holder's latest delegation or revocation valid from (the block after it was made) at or before a proposal's
//   snapshot block, among those the bot had accepted when it took the snapshot, is the one in force for that
//   proposal; later ones change nothing there (and the bot refuses a link a newer snapshot could not count);
// - one level only: a delegate votes with its own power and with its holders', never with the power of holders
//   who delegated to ITS delegate (so a cycle needs no special case: nothing is passed on twice);
// - a holder's own ballot, cast before or after its delegate's, takes its power back for that proposal.
import type { SignatureJson } from './commitments.js';
import { parseDelegationMessage } from './delegation-messages.js';

/** One holder's delegation or revocation in force at a snapshot, as a result bundle carries it. */
export interface SnapshotDelegation {
  /** The signed text (governance/delegation-messages.ts). */
  message: string;
  /** The holder's signature of it: the holder is `signature.address`. */
  signature: SignatureJson;
}

/** A delegation or revocation of one holder, as resolution needs it. */
export interface DelegationEvent {
  delegator: string;
  /** Null for a revocation. */
  delegate: string | null;
  /** The block the signed text says it is valid from: the one after the block it was made in. */
  height: number;
}

/**
 * Each holder's latest event made at or before `height`, from events in the order the bot accepted them; only
 * holders in `holders` when given (the snapshot's powered addresses). Sorted by holder, one per holder.
 */
export function latestAt<T extends DelegationEvent>(events: T[], height: number, holders?: Set<string>): T[] {
  const latest = new Map<string, T>();
  for (const e of events)
    if (e.height <= height && (!holders || holders.has(e.delegator))) latest.set(e.delegator, e);
  return [...latest.values()].sort((a, b) => (a.delegator < b.delegator ? -1 : 1));
}

/** Holder -> delegate, for the holders whose latest event is a delegation to another address. */
export function delegateMap(entries: Pick<DelegationEvent, 'delegator' | 'delegate'>[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of entries)
    if (e.delegate !== null && e.delegate !== e.delegator) map.set(e.delegator, e.delegate);
    else map.delete(e.delegator);
  return map;
}

/** Holder -> delegate from a snapshot's signed delegations (texts that do not parse count for nothing). */
export function delegatesOfSnapshot(delegations: SnapshotDelegation[]): Map<string, string> {
  return delegateMap(
    delegations.map((d) => ({
      delegator: d.signature.address,
      delegate: parseDelegationMessage(d.message)?.delegate ?? null,
    })),
  );
}

/** The holders who delegated to each address. */
export function delegatorsOf(delegates: ReadonlyMap<string, string>): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const [holder, delegate] of delegates) by.set(delegate, [...(by.get(delegate) ?? []), holder]);
  return by;
}

/** What a ballot carries for holders who delegated to it, and who of them took their power back by voting. */
export interface Carried {
  power: bigint;
  holders: string[];
  overridden: string[];
}

/**
 * The power a ballot by `addresses` carries for others: every holder that delegated to one of them, holds power and
 * has not voted itself (`voted`). Holders in `skip` (by default the ballot's own addresses, which count as their
 * own) are left out; those left out because they voted are reported.
 */
export function carriedBy(
  addresses: string[],
  delegates: ReadonlyMap<string, string>,
  power: ReadonlyMap<string, bigint>,
  voted: ReadonlySet<string>,
  skip: ReadonlySet<string> = new Set(addresses),
): Carried {
  const mine = new Set(addresses);
  const holders: string[] = [];
  const overridden: string[] = [];
  let sum = 0n;
  for (const [holder, delegate] of delegates) {
    if (!mine.has(delegate) || skip.has(holder) || (power.get(holder) ?? 0n) === 0n) continue;
    if (voted.has(holder)) overridden.push(holder);
    else {
      holders.push(holder);
      sum += power.get(holder)!;
    }
  }
  return { power: sum, holders: holders.sort(), overridden: overridden.sort() };
}
