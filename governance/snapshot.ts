import { bytesToHex, hash256, utf8ToBytes } from '../pactus/bytes.js';
import type { SnapshotDelegation } from './delegation.js';

/** Voting power of one address in a snapshot: a validator's stake, or the sum of validators delegated to an owner. */
export interface SnapshotEntry {
  address: string;
  power: bigint;
  validators: string[];
}

export interface Snapshot {
  height: number;
  entries: SnapshotEntry[];
  total: bigint;
  /** The delegations and revocations in force at the snapshot, one per holder, by holder. */
  delegations: SnapshotDelegation[];
  hash: string;
}

/** Canonical order (by address) and hash, so anyone can re-check a published snapshot. */
export function finalizeSnapshot(
  height: number,
  entries: SnapshotEntry[],
  delegations: SnapshotDelegation[] = [],
): Snapshot {
  const sorted = [...entries].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const total = sorted.reduce((sum, e) => sum + e.power, 0n);
  const held = [...delegations].sort((a, b) => (a.signature.address < b.signature.address ? -1 : 1));
  return { height, entries: sorted, total, delegations: held, hash: snapshotHash(height, sorted, held) };
}

/**
 * The snapshot's hash, which the signed proposal text names: it covers the stake and every delegation in force
 * (its text, key and signature), so the proposer's signature and the operator's anchors commit to the delegation
 * set too. Without delegations it is the hash it always was, so earlier proposals keep theirs.
 */
export function snapshotHash(
  height: number,
  entries: SnapshotEntry[],
  delegations: SnapshotDelegation[] = [],
): string {
  const canonical = JSON.stringify({
    height,
    entries: entries.map((e) => [e.address, e.power.toString(), [...e.validators].sort()]),
    ...(delegations.length && {
      delegations: delegations.map((d) => [
        d.signature.address,
        d.signature.publicKey,
        d.signature.signature,
        d.message,
      ]),
    }),
  });
  return bytesToHex(hash256(utf8ToBytes(canonical)));
}

/**
 * Builds the entries from validators as the chain reports them: unbonded validators carry no power; a delegated
 * validator's stake counts for its delegate owner's account address (PIP-49).
 */
export function entriesFromValidators(
  validators: { address: string; stake: bigint; unbondingHeight: number; delegateOwner: string | null }[],
): SnapshotEntry[] {
  const byAddress = new Map<string, SnapshotEntry>();
  for (const v of validators) {
    if (v.unbondingHeight > 0 || v.stake <= 0n) continue;
    const holder = v.delegateOwner ?? v.address;
    const entry = byAddress.get(holder) ?? { address: holder, power: 0n, validators: [] };
    entry.power += v.stake;
    entry.validators.push(v.address);
    byAddress.set(holder, entry);
  }
  return [...byAddress.values()];
}
