// The committed set of counted ballots: an append-only Merkle tree in the order the server accepted them
// (RFC 9162 §2.1: leaves H(0x00 || entry), nodes H(0x01 || left || right), BLAKE2b-256 as Pactus hashes). Its root
// is shown as the tally moves, anchored on chain when voting closes, and every voter gets an inclusion proof.
import { bytesToHex, tryHexToBytes, utf8ToBytes } from '../pactus/bytes.js';
import { EMPTY_ROOT, leafHash, merkleProofs, merkleRoot, nodeHash as node } from '../pactus/merkle.js';

export { merkleRoot };

export interface BallotEntry {
  message: string;
  signatures: { address: string; publicKey: string; signature: string }[];
}

/** The leaf of a ballot: its signed text and every signature, in a canonical encoding. */
export function ballotLeaf(entry: BallotEntry): Uint8Array {
  const signatures = [...entry.signatures]
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
    .map((s) => ({ address: s.address, publicKey: s.publicKey, signature: s.signature.toLowerCase() }));
  return leafHash(utf8ToBytes(JSON.stringify({ message: entry.message, signatures })));
}

/**
 * The right edge of the tree: the roots of its perfect subtrees, largest first (size = sum of 2^height). Kept
 * with the proposal, so adding a ballot costs O(log n) and the root is known at once.
 */
export interface Frontier {
  size: number;
  nodes: { height: number; hash: string }[];
}

export const EMPTY_FRONTIER: Frontier = { size: 0, nodes: [] };

export function appendLeaf(frontier: Frontier, leaf: Uint8Array): Frontier {
  const nodes = [...frontier.nodes];
  let height = 0;
  let hash = leaf;
  // Equal-sized neighbours merge, exactly as the tree's perfect subtrees do.
  while (nodes.length && nodes.at(-1)!.height === height) {
    hash = node(tryHexToBytes(nodes.pop()!.hash)!, hash);
    height++;
  }
  nodes.push({ height, hash: bytesToHex(hash) });
  return { size: frontier.size + 1, nodes };
}

/** The Merkle root (hex); the empty tree's root is BLAKE2b-256 of nothing. */
export function frontierRoot(frontier: Frontier): string {
  if (frontier.nodes.length === 0) return EMPTY_ROOT;
  let root = tryHexToBytes(frontier.nodes.at(-1)!.hash)!;
  for (let i = frontier.nodes.length - 2; i >= 0; i--)
    root = node(tryHexToBytes(frontier.nodes[i]!.hash)!, root);
  return bytesToHex(root);
}

/** The audit path of leaf `index` (RFC 9162 §2.1.3.1), bottom to top, as hex. */
export function inclusionProof(leaves: Uint8Array[], index: number): string[] {
  return merkleProofs(leaves, [index])[0]!.map((step) => step.hash);
}

/** RFC 9162 §2.1.3.2: does `proof` put `leaf` at `index` of a tree of `size` leaves with this `root`? */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: string[],
  root: string,
): boolean {
  if (index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const hex of proof) {
    const p = tryHexToBytes(hex);
    if (!p || p.length !== 32 || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else r = node(r, p);
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && bytesToHex(r) === root;
}
