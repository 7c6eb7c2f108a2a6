import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_FRONTIER,
  appendLeaf,
  frontierRoot,
  inclusionProof,
  merkleRoot,
  verifyInclusion,
} from '../../../governance/ballot-tree.js';
import { bytesToHex, hash256, tryHexToBytes } from '../../../pactus/bytes.js';

const leaf = (i: number) => hash256(Uint8Array.of(i & 255, i >> 8));

describe('the ballot-set Merkle tree (RFC 9162 shape, BLAKE2b-256)', () => {
  it('the frontier root equals the full tree root at every size, and every proof verifies', () => {
    const leaves: Uint8Array[] = [];
    let frontier = EMPTY_FRONTIER;
    expect(frontierRoot(frontier)).toBe(merkleRoot([]));
    for (let n = 1; n <= 40; n++) {
      leaves.push(leaf(n));
      frontier = appendLeaf(frontier, leaf(n));
      const root = merkleRoot(leaves);
      expect(frontierRoot(frontier)).toBe(root);
      for (let i = 0; i < n; i++)
        expect(verifyInclusion(leaves[i]!, i, n, inclusionProof(leaves, i), root)).toBe(true);
    }
  });

  it('a proof fails for another leaf, index, root or a changed sibling', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 64 }), fc.nat(), (n, seed) => {
        const leaves = Array.from({ length: n }, (_, i) => leaf(i + 1000));
        const i = seed % n;
        const proof = inclusionProof(leaves, i);
        const root = merkleRoot(leaves);
        expect(verifyInclusion(leaf(9999), i, n, proof, root)).toBe(false);
        expect(verifyInclusion(leaves[i]!, (i + 1) % n, n, proof, root)).toBe(false);
        // (The size is not bound by the path alone: the anchor memo commits to the ballot count with the root.)
        expect(verifyInclusion(leaves[i]!, i, n, proof, merkleRoot(leaves.slice(1)))).toBe(false);
        if (proof.length) {
          const bad = [...proof];
          const b = tryHexToBytes(bad[0]!)!;
          b[0] = b[0]! ^ 1;
          bad[0] = bytesToHex(b);
          expect(verifyInclusion(leaves[i]!, i, n, bad, root)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});
