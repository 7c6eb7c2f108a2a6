// Deployments for tests: a manifest under an operator key, and anchors that key signs (offline: no chain needed).
import { anchorMemo, type AnchorJson, type AnchorKind } from '../../deployment/anchors.js';
import { manifestHash, nextManifest, type Manifest, type ManifestRecord } from '../../deployment/manifest.js';
import { PrivateKey } from '../../pactus/keys.js';
import {
  PayloadType,
  encodeTransactionHex,
  newTransaction,
  signTransaction,
  transactionId,
} from '../../pactus/tx.js';

/** Ed25519: an operator may be any account, and these sign and verify in microseconds. */
export const operatorKey = (seed: number) => PrivateKey.fromBytes('ed25519', new Uint8Array(32).fill(seed));
export const operatorOf = (key: PrivateKey) => key.publicKey().accountAddress().toString('testnet');

/** The operator's 0-PAC memo transaction to itself, signed; `height` as a bundle would state it. */
export function signAnchor(
  key: PrivateKey,
  kind: AnchorKind,
  subject: number,
  hash: string,
  height: number | null = null,
  lockTime = 1,
): AnchorJson {
  const self = key.publicKey().accountAddress();
  const tx = signTransaction(
    newTransaction({
      lockTime,
      fee: 10_000_000n,
      memo: anchorMemo(kind, subject, hash),
      payload: { type: PayloadType.Transfer, from: self, to: self, amount: 0n },
    }),
    key,
  );
  return { txId: transactionId(tx), signedTx: encodeTransactionHex(tx), height };
}

export function testManifest(
  key: PrivateKey,
  changes: Partial<Pick<Manifest, 'governance' | 'compute'>> = {},
  previous: Manifest | null = null,
): Manifest {
  return nextManifest(
    {
      network: 'testnet',
      operator: operatorOf(key),
      governance: {
        proposeMin: '100000000000',
        voteMin: '10000000000',
        ballotCap: '420000000000000',
        quorumBps: 1000,
        teamKeys: [],
        vetoThreshold: 1,
        vetoWindowMs: 72 * 3_600_000,
        minDurationMs: 0,
        maxDurationMs: 30 * 86_400_000,
      },
      compute: {
        pool: null,
        models: {},
        minStake: '100000000000',
        epochBlocks: 10,
        rewardPerBlock: '350000000',
        spotCheckPpm: 0,
      },
      rewards: { pool: null },
      ...changes,
    },
    previous,
    '2025-01-01T00:00:00.000Z',
  )!;
}

/** A published version, anchored at `height` by the manifest's operator. */
export function anchoredRecord(key: PrivateKey, manifest: Manifest, height: number | null): ManifestRecord {
  const hash = manifestHash(manifest);
  return {
    manifest,
    hash,
    anchor: signAnchor(key, 'manifest', manifest.version, hash, height, manifest.version),
  };
}
