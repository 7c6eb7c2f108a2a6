// Binary Merkle trees as RFC 9162 §2.1 defines them (Certificate Transparency's): a leaf hashes H(0x00 || data),
// a node H(0x01 || left || right), with BLAKE2b-256 as Pactus hashes. The DAO's ballot set and the compute
// layer's receipts are both such trees. Built level by level, an odd node at the end of a level moving up
// unchanged: the same tree as RFC 9162's split at the largest power of two below n, and every leaf's path comes
// from one pass.
import { bytesToHex, concatBytes, hash256, tryHexToBytes } from './bytes.js';

export const leafHash = (data: Uint8Array) => hash256(concatBytes(Uint8Array.of(0), data));
export const nodeHash = (left: Uint8Array, right: Uint8Array) =>
  hash256(concatBytes(Uint8Array.of(1), left, right));

/** The empty tree's root: BLAKE2b-256 of nothing. */
export const EMPTY_ROOT = bytesToHex(hash256(new Uint8Array(0)));

/** One step of a path: the sibling's hash (hex), and on which side of the path it lies. */
export interface ProofStep {
  side: 'left' | 'right';
  hash: string;
}

function levels(leaves: Uint8Array[]): Uint8Array[][] {
  const all = [leaves];
  while (all.at(-1)!.length > 1) {
    const level = all.at(-1)!;
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? nodeHash(level[i]!, level[i + 1]!) : level[i]!);
    all.push(next);
  }
  return all;
}

/** The root (hex) of a tree of leaf hashes. */
export function merkleRoot(leaves: Uint8Array[]): string {
  return leaves.length ? bytesToHex(levels(leaves).at(-1)![0]!) : EMPTY_ROOT;
}

/**
 * The paths of several leaves, bottom to top, building the tree once. The steps' hashes are RFC 9162's audit path
 * (§2.1.3.1); the sides spare a verifier the index arithmetic.
 */
export function merkleProofs(leaves: Uint8Array[], indexes: number[]): ProofStep[][] {
  const tree = levels(leaves).slice(0, -1);
  return indexes.map((index) => {
    if (!Number.isInteger(index) || index < 0 || index >= leaves.length)
      throw new RangeError('leaf index out of range');
    const proof: ProofStep[] = [];
    let i = index;
    for (const level of tree) {
      const sibling = i ^ 1;
      if (sibling < level.length)
        proof.push({ side: sibling < i ? 'left' : 'right', hash: bytesToHex(level[sibling]!) });
      i = Math.floor(i / 2);
    }
    return proof;
  });
}

/** Whether `proof` leads from the leaf hash to `root`. */
export function verifyProof(leaf: Uint8Array, proof: ProofStep[], root: string): boolean {
  let hash = leaf;
  for (const step of proof) {
    const sibling = tryHexToBytes(step.hash);
    if (sibling?.length !== 32) return false;
    hash = step.side === 'left' ? nodeHash(sibling, hash) : nodeHash(hash, sibling);
  }
  return bytesToHex(hash) === root;
}
