// A contributor's proofs file attacked as an outsider would: every field of it and of its header forged (re-anchored
// by a stranger's key, and by the operator's own key), another contributor's file passed off as this one's, receipts
// dropped, duplicated or brought from another epoch, and a real anchor replayed for another epoch. Each must be
// refused by name; the honest file holds. Pure functions over a small real epoch: many cases per second.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bundleOf,
  closeEpoch,
  epochHash,
  type EpochBooks,
  type EpochBundle,
} from '../../../compute/epoch.js';
import {
  contributorProofs,
  verifyContributorProofs,
  type ContributorProofs,
} from '../../../compute/proofs.js';
import type { EpochHeader } from '../../../compute/epoch-verify.js';
import { receiptLeaf, type Receipt } from '../../../compute/receipt.js';
import { canonicalHash } from '../../../deployment/canonical.js';
import type { Manifest } from '../../../deployment/manifest.js';
import { receiptKey, testReceipt, TINY_MODEL, validatorOf } from '../../support/receipts.js';
import {
  anchoredRecord,
  operatorKey,
  operatorOf,
  signAnchor,
  testManifest,
} from '../../support/deployment.js';
import { forgeries } from '../../support/forge.js';

const MODEL = TINY_MODEL;
const key = receiptKey;
const validator = validatorOf;
const node = (seed: number) => ({ k: key(seed), address: validator(key(seed)) });
const [A, B, C] = [node(1), node(2), node(3)];
/** A file's header with the bundle's field types (the file keeps it as JSON). */
const headerOf = (file: ContributorProofs) => file.header as unknown as EpochHeader;
const op = operatorKey(60);
const stranger = operatorKey(61);

const receipt = testReceipt;

let manifest: Manifest;
const epochs = new Map<number, EpochBundle>();
// Signatures were checked once on the honest files below; forgeries leave or drop receipts without re-signing.
const signaturesHold = async (receipts: Receipt[]) => receipts.map(() => null);

/** Epoch `n`'s bundle, closed and anchored by the operator: A with three receipts, B with two, C one (zeroed). */
function epoch(n: number): EpochBundle {
  const receipts = [
    receipt(A.k, n * 100 + 1, 100),
    receipt(A.k, n * 100 + 2, 60),
    receipt(A.k, n * 100 + 3, 40),
    receipt(B.k, n * 100 + 4, 200),
    receipt(B.k, n * 100 + 5, 20),
    receipt(C.k, n * 100 + 6, 80),
  ];
  // The bot counted fewer prompt tokens than B claimed on one answer: B is credited the count and flagged.
  const counted = Object.fromEntries(
    receipts.map((r, i) => [
      receiptLeaf(r),
      { prompt: i === 3 ? r.promptTokens - 50 : r.promptTokens, completion: r.completionTokens },
    ]),
  );
  const books: EpochBooks = {
    epoch: n,
    startHeight: n * 10,
    endHeight: n * 10 + 10,
    rewardPerBlock: 350_000_000n,
    models: { [MODEL]: 7n },
    receipts,
    zeroed: { [C.address]: 'its answer differed from two other contributors on a spot check' },
    counted,
    flagged: { [receiptLeaf(receipts[3]!)]: '200 prompt tokens claimed, 150 counted' },
  };
  const bundle = bundleOf(books, 'testnet', closeEpoch(books), {
    deployment: { operator: operatorOf(op), version: 1, manifest: anchoredRecord(op, manifest, 1).hash },
    closeHeight: n * 10 + 12,
  });
  bundle.anchor = signAnchor(op, 'epoch', n, epochHash(bundle), n * 10 + 13);
  return bundle;
}

const proofsOf = (n: number, who: string) => contributorProofs(epochs.get(n)!, who)!;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const problemsOf = (file: ContributorProofs) => verifyContributorProofs(file, manifest, signaturesHold);

beforeAll(() => {
  manifest = testManifest(op, {
    compute: {
      pool: null,
      models: { [MODEL]: '7' },
      minStake: '1',
      epochBlocks: 10,
      rewardPerBlock: '350000000',
      spotCheckPpm: 0,
    },
  });
  for (const n of [2, 3]) epochs.set(n, epoch(n));
});

describe("a contributor's proofs file", () => {
  it('holds as the bot hands it out, with every receipt signature checked', async () => {
    for (const who of [A.address, B.address, C.address])
      expect(await verifyContributorProofs(proofsOf(2, who), manifest), who).toEqual([]);
    // B's flagged receipt is credited the count, and the file's credit says so.
    expect(BigInt(proofsOf(2, B.address).credit)).toBe(2n * 7n * BigInt(150 + 100 + 20 + 10));
  });

  it('every field forged, re-anchored by a key that is not the operator, is refused', async () => {
    const honest = proofsOf(2, A.address);
    const cases = forgeries(honest, (path) => path[0] === 'receipts');
    let refused = 0;
    for (const { name, value } of cases) {
      const file = value as ContributorProofs;
      if (file.header && typeof file.header === 'object' && file.anchor)
        file.anchor = signAnchor(stranger, 'epoch', file.epoch, canonicalHash(file.header), 23);
      const problems = await problemsOf(file).catch((e: Error) => [`threw: ${e.message}`]);
      // The evidence beside the header (the manifest record, the anchor's stated height) is checked by the CLI
      // against --deployment and the chain (bot/cli/verify-epoch.ts); everything else fails here already.
      // Without its anchor the file is not final (exit 2), which is not a forgery's success.
      if (/^(manifest|anchor\.height|anchor = null)/.test(name)) continue;
      expect(problems.length, name).toBeGreaterThan(0);
      refused++;
    }
    expect(refused).toBeGreaterThan(100);
  });

  it('a header the operator rewrites and re-anchors with its own key cannot change what the file proves about its contributor', async () => {
    // The operator's key signs any header: what the manifest and A's own receipts fix must still show. What a single
    // contributor's file cannot show is the others' standing (their credits, counts, zeroing: the shares follow
    // them, so A's share may move with them); verify-epoch on the whole bundle recomputes those, and says so.
    const honest = proofsOf(2, A.address);
    let caught = 0;
    for (const { name, value } of forgeries({ header: honest.header })) {
      const header = (value as { header: ContributorProofs['header'] | null }).header;
      if (!header || typeof header !== 'object') continue;
      const file = { ...clone(honest), header };
      file.anchor = signAnchor(op, 'epoch', file.epoch, canonicalHash(file.header), 23);
      const problems = await problemsOf(file).catch((e: Error) => [`threw: ${e.message}`]);
      if (problems.length) {
        caught++;
        continue;
      }
      const h = header as unknown as EpochBundle;
      expect(h.credits?.[A.address], `${name}: A's credit`).toBe(headerOf(honest).credits[A.address]);
      expect(h.zeroed?.[A.address], `${name}: A's zeroing`).toBe(undefined);
      expect(name, `${name}: a field naming A`).not.toContain(A.address.slice(0, 12));
    }
    expect(caught).toBeGreaterThan(30);
  });

  it("another contributor's file passed off as this one's is refused, whatever it copies from the header", async () => {
    const bs = proofsOf(2, B.address);
    const forged = {
      ...clone(bs),
      contributor: A.address,
      credit: headerOf(bs).credits[A.address]!,
      share: headerOf(bs).shares[A.address]!,
      zeroed: null,
    };
    const problems = (await problemsOf(forged)).join('\n');
    expect(problems).toMatch(new RegExp(`names ${B.address}`));
    expect(problems).toMatch(
      new RegExp(`receipts earn a credit of \\d+; its header credits ${A.address} with \\d+`),
    );
  });

  it('a receipt dropped, duplicated, or brought from another epoch is refused; so is an empty file', async () => {
    const honest = proofsOf(2, A.address);
    const dropped = clone(honest);
    dropped.receipts.splice(1, 1);
    expect((await problemsOf(dropped)).join('\n')).toMatch(/receipts are missing or do not belong/);
    const twice = clone(honest);
    twice.receipts.push(clone(twice.receipts[0]!));
    expect((await problemsOf(twice)).join('\n')).toMatch(/listed more than once/);
    // Swapped for a receipt of epoch 3 (with its proof there): its path leads to epoch 3's root.
    const mixed = clone(honest);
    mixed.receipts[0] = clone(proofsOf(3, A.address).receipts[0]!);
    expect((await problemsOf(mixed)).join('\n')).toMatch(/its path does not lead to the root/);
    const empty = { ...clone(honest), receipts: [], credit: '0' };
    expect((await problemsOf(empty)).join('\n')).toMatch(/holds no receipt/);
  });

  it("a real anchor replayed for another epoch's file, or another kind's anchor, is refused", async () => {
    const file = proofsOf(3, A.address);
    const replayed = { ...clone(file), anchor: clone(epochs.get(2)!.anchor!) };
    expect((await problemsOf(replayed)).join('\n')).toMatch(/is for number 2, not 3/);
    const manifestAnchor = { ...clone(file), anchor: anchoredRecord(op, manifest, 1).anchor };
    expect((await problemsOf(manifestAnchor)).join('\n')).toMatch(/memo is a/);
    // The operator anchoring the same hash under a result anchor: another kind, not the epoch's.
    const result = { ...clone(file), anchor: signAnchor(op, 'result', 3, canonicalHash(file.header), 40) };
    expect((await problemsOf(result)).join('\n')).toMatch(/memo is a/);
  });

  it('a receipt whose signature does not verify is found once everything else holds', async () => {
    const file = clone(proofsOf(2, A.address));
    const other = clone(proofsOf(2, A.address)).receipts[1]!.receipt;
    file.receipts[0]!.receipt.signature = other.signature;
    // The leaf is the receipt's hash: a changed signature changes it, so the path no longer leads to the root.
    expect((await verifyContributorProofs(file, manifest)).join('\n')).toMatch(
      /leaf is not the hash|does not lead to the root|signature/,
    );
  });
});
