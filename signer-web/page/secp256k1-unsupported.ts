// Swapped in for @noble/curves/secp256k1.js when the page is bundled (see signer-web/server/assets.ts): the page
// signs with BLS and Ed25519 keys only, and leaving ECDSA out keeps everything it loads under 60 KiB gzipped.
function unsupported(): never {
  throw new Error(
    'secp256k1 keys are not supported on this page; use a wallet with the pactus: link instead.',
  );
}

export const secp256k1 = {
  getPublicKey: unsupported,
  sign: unsupported,
  verify: unsupported,
  Point: { fromBytes: unsupported },
};
