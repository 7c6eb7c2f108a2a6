// The binary Merkle tree of an epoch's receipts. Leaves and inner nodes are hashed with different prefixes (so a
// leaf can never pass for a node), and an odd node at the end of a level moves up unchanged.
import { bytesToHex, concatBytes, hash256, tryHexToBytes } from '../pactus/bytes.js';

function hexToBytes(hex: string): Uint8Array {
  const bytes = tryHexToBytes(hex);
  if (!bytes) throw new RangeError('a Merkle hash must be hex');
  return bytes;
}

const node = (left: string, right: string) =>
  bytesToHex(hash256(concatBytes(Uint8Array.of(1), hexToBytes(left), hexToBytes(right))));

/** A leaf's hash from its content hash (hex). */
export const leafHash = (content: string) =>
  bytesToHex(hash256(concatBytes(Uint8Array.of(0), hexToBytes(content))));

export const EMPTY_ROOT = bytesToHex(hash256(new Uint8Array(0)));

export interface ProofStep {
  side: 'left' | 'right';
  hash: string;
}

function levels(leaves: string[]): string[][] {
  const all = [leaves.map(leafHash)];
  while (all.at(-1)!.length > 1) {
    const level = all.at(-1)!;
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? node(level[i]!, level[i + 1]!) : level[i]!);
    all.push(next);
  }
  return all;
}

export function merkleRoot(leaves: string[]): string {
  return leaves.length ? levels(leaves).at(-1)![0]! : EMPTY_ROOT;
}

export function merkleProof(leaves: string[], index: number): ProofStep[] {
  return merkleProofs(leaves, [index])[0]!;
}

/** Proofs of several leaves, building the tree once. */
export function merkleProofs(leaves: string[], indexes: number[]): ProofStep[][] {
  const tree = levels(leaves).slice(0, -1);
  return indexes.map((index) => {
    const proof: ProofStep[] = [];
    let i = index;
    for (const level of tree) {
      const sibling = i ^ 1;
      if (sibling < level.length) proof.push({ side: sibling < i ? 'left' : 'right', hash: level[sibling]! });
      i = Math.floor(i / 2);
    }
    return proof;
  });
}

export function verifyProof(content: string, proof: ProofStep[], root: string): boolean {
  let hash = leafHash(content);
  for (const step of proof) hash = step.side === 'left' ? node(step.hash, hash) : node(hash, step.hash);
  return hash === root;
}
