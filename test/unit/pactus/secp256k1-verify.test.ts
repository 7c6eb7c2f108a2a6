// secp256k1 as the node checks it: crypto/secp256k1/public_key.go Verify hands r and s to decred's
// ecdsa.Signature.Verify, which wants r, s in [1, N-1] and has no low-S rule. The node signs low-S
// (private_key.go SignNative, RFC 6979); so do we. A high-S signature the chain accepts must not be shown invalid.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PayloadType,
  PrivateKey,
  newTransaction,
  signTransaction,
  verifyTransaction,
} from '../../../pactus/index.js';
import { bytesToHex } from '../../../pactus/bytes.js';
import { parsePublicKey } from '../../../pactus/keys.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const be32 = (n: bigint) => Uint8Array.from(Buffer.from(n.toString(16).padStart(64, '0'), 'hex'));
const scalar = (b: Uint8Array) => BigInt(`0x${bytesToHex(b)}`);
const withS = (sig: Uint8Array, s: bigint) => Uint8Array.from([...sig.slice(0, 32), ...be32(s)]);
const message = new TextEncoder().encode('pactus');

// Fixed vector: key 0x07 x 32 signs "pactus" (BLAKE2b-256, RFC 6979); its high-S twin is (r, N - s).
const key = PrivateKey.fromBytes('secp256k1', new Uint8Array(32).fill(7));
const VECTOR = {
  publicKey: '02989c0b76cb563971fdc9bef31ec06c3560f3249d6ee9e5d83c57625596e05f6f',
  lowS: 'b213c42ccc072a841564465da3a2d46f796366a1f2ed16e38b9ee845b3d949802c0443143bb9039c73c517f9c6691c4972acb4220812ce801db0a13ca604ac1d',
  highS:
    'b213c42ccc072a841564465da3a2d46f796366a1f2ed16e38b9ee845b3d94980d3fbbcebc446fc638c3ae8063996e3b5480228c4a735d1bba221bd502a319524',
};

describe('a high-S vector', () => {
  it('is accepted, and the signature we make is its low-S twin', () => {
    const low = key.sign(message);
    expect(bytesToHex(key.publicKey().bytes)).toBe(VECTOR.publicKey);
    expect(bytesToHex(low)).toBe(VECTOR.lowS);
    const pinned = Uint8Array.from(Buffer.from(VECTOR.highS, 'hex'));
    expect(key.publicKey().verify(message, pinned)).toBe(true);
    expect(parsePublicKey(`${key.publicKey().toString('mainnet')}`).key.verify(message, pinned)).toBe(true);
    const s = scalar(low.slice(32));
    expect(s <= N / 2n).toBe(true);
    const high = withS(low, N - s);
    expect(scalar(high.slice(32)) > N / 2n).toBe(true);
    expect(key.publicKey().verify(message, low)).toBe(true);
    expect(key.publicKey().verify(message, high)).toBe(true);
  });

  it('a transaction signed high-S verifies, as the node would take it', () => {
    const from = key.publicKey().accountAddress();
    const tx = signTransaction(
      newTransaction({
        lockTime: 1,
        fee: 10_000_000n,
        payload: { type: PayloadType.Transfer, from, to: from, amount: 1n },
      }),
      key,
    );
    const high = withS(tx.signature!, N - scalar(tx.signature!.slice(32)));
    expect(verifyTransaction({ ...tx, signature: high })).toMatchObject({ valid: true });
  });
});

describe('generated keys and messages', () => {
  const keys = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((b) => {
    const k = scalar(b);
    return k > 0n && k < N;
  });
  it('we always sign low-S; both twins verify; r or s of 0 or >= N never do, nor a changed message', () => {
    fc.assert(
      fc.property(
        keys,
        fc.uint8Array({ maxLength: 80 }),
        fc.integer({ min: 0, max: 63 }),
        (bytes, msg, flip) => {
          const k = PrivateKey.fromBytes('secp256k1', bytes);
          const pub = k.publicKey();
          const sig = k.sign(msg);
          const r = scalar(sig.slice(0, 32));
          const s = scalar(sig.slice(32));
          expect(s <= N / 2n).toBe(true);
          expect(pub.verify(msg, sig)).toBe(true);
          expect(pub.verify(msg, withS(sig, N - s))).toBe(true);
          // Out of [1, N-1]: decred's SetByteSlice overflows, or Verify refuses zero.
          expect(pub.verify(msg, withS(sig, 0n))).toBe(false);
          expect(pub.verify(msg, withS(sig, s + N <= 2n ** 256n - 1n ? s + N : N))).toBe(false);
          expect(pub.verify(msg, Uint8Array.from([...be32(0n), ...sig.slice(32)]))).toBe(false);
          expect(
            pub.verify(msg, Uint8Array.from([...be32(r + N < 2n ** 256n ? r + N : N), ...sig.slice(32)])),
          ).toBe(false);
          // Any one bit of the signature flipped, or one more byte of message: refused.
          const forged = sig.slice();
          forged[flip] = forged[flip]! ^ 1;
          expect(pub.verify(msg, forged)).toBe(false);
          expect(pub.verify(Uint8Array.from([...msg, 0]), sig)).toBe(false);
        },
      ),
      { numRuns: 30 },
    );
  });
});
