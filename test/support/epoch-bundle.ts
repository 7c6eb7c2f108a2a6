// Epoch bundles for unit tests: a deployment with a compute layer, and an epoch's books closed and anchored by its
// operator (offline: signed anchor bytes, no chain), the way the bot's close and the operator's anchor make them.
import { bundleOf, closeEpoch, epochHash, type EpochBooks, type EpochBundle } from '../../compute/epoch.js';
import type { Manifest } from '../../deployment/manifest.js';
import type { PrivateKey } from '../../pactus/keys.js';
import type { Receipt } from '../../compute/receipt.js';
import { TINY_MODEL } from './receipts.js';
import { anchoredRecord, operatorOf, signAnchor, testManifest } from './deployment.js';

/** Version 1 of a deployment whose approved models are `models` (hash -> parameters), 10 blocks per epoch. */
export function computeManifest(op: PrivateKey, models: Record<string, string>, spotCheckPpm = 0): Manifest {
  return testManifest(op, {
    compute: {
      pool: null,
      models,
      minStake: '1',
      epochBlocks: 10,
      rewardPerBlock: '350000000',
      spotCheckPpm,
    },
  });
}

/** The books closed under manifest version 1, anchored by `op` at `anchorHeight` (two blocks after the close). */
export function anchoredEpoch(
  op: PrivateKey,
  manifest: Manifest,
  books: EpochBooks,
  closeHeight = books.endHeight + 2,
): EpochBundle {
  const bundle = bundleOf(books, 'testnet', closeEpoch(books), {
    deployment: { operator: operatorOf(op), version: 1, manifest: anchoredRecord(op, manifest, 1).hash },
    closeHeight,
  });
  bundle.anchor = signAnchor(op, 'epoch', books.epoch, epochHash(bundle), closeHeight + 1);
  return bundle;
}

/** Epoch `epoch`'s books (10 blocks an epoch) of receipts under the tiny model (7 parameters), as computeManifest says. */
export const tinyBooks = (
  epoch: number,
  receipts: Receipt[],
  more: Partial<EpochBooks> = {},
): EpochBooks => ({
  epoch,
  startHeight: epoch * 10,
  endHeight: epoch * 10 + 10,
  rewardPerBlock: 350_000_000n,
  models: { [TINY_MODEL]: 7n },
  receipts,
  zeroed: {},
  ...more,
});
