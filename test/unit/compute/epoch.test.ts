import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bundleOf,
  closeEpoch,
  inclusionProof,
  proRata,
  epochHash,
  orderedLeaves,
  treeLeaf,
  verifyProof,
} from '../../../compute/epoch.js';
import { verifyEpochBundle } from '../../../compute/epoch-verify.js';
import {
  anchoredRecord,
  operatorKey,
  operatorOf,
  signAnchor,
  testManifest,
} from '../../support/deployment.js';
import { merkleProofs, merkleRoot } from '../../../pactus/merkle.js';
import { contributorProofs } from '../../../compute/proofs.js';
import { digest, receiptLeaf, verifyReceipt } from '../../../compute/receipt.js';
import { receiptKey, testReceipt, TINY_MODEL, validatorOf } from '../../support/receipts.js';

const key = receiptKey;
const MODEL = TINY_MODEL;
const validator = validatorOf;

const receipt = testReceipt;

describe('compute epoch books', () => {
  it('splits a budget exactly: shares add up to it and follow credit', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 18n }), { minLength: 1, maxLength: 12 }),
        (budget, list) => {
          const credits = new Map(list.map((c, i) => [`c${String(i).padStart(2, '0')}`, c]));
          const shares = proRata(budget, credits);
          const total = list.reduce((a, b) => a + b, 0n);
          if (total === 0n) return shares.size === 0;
          const sum = [...shares.values()].reduce((a, b) => a + b, 0n);
          if (sum !== budget) return false;
          // Each share is within one NanoPAC of its exact proportion.
          return [...credits].every(([k, c]) => {
            const exact = (budget * c) / total;
            const got = shares.get(k) ?? 0n;
            return got === exact || got === exact + 1n;
          });
        },
      ),
    );
  });

  it('credits 2 x parameters x tokens, zeroes a failed contributor, and roots the receipts in any order', () => {
    const a = key(1);
    const b = key(2);
    const receipts = [receipt(a, 1), receipt(a, 2), receipt(b, 3, 200)];
    const books = {
      epoch: 3,
      startHeight: 30,
      endHeight: 40,
      rewardPerBlock: 350_000_000n,
      models: { [MODEL]: 1_000n },
      receipts,
      zeroed: {},
    };
    const result = closeEpoch(books);
    expect(result.credits.get(validator(a))).toBe(2n * 1_000n * 300n);
    expect(result.credits.get(validator(b))).toBe(2n * 1_000n * 300n);
    expect(result.budget).toBe(3_500_000_000n);
    expect(result.shares.get(validator(a))).toBe(1_750_000_000n);
    expect(closeEpoch({ ...books, receipts: [...receipts].reverse() }).root).toBe(result.root);
    const zeroed = closeEpoch({ ...books, zeroed: { [validator(b)]: 'failed a spot check' } });
    expect(zeroed.shares.get(validator(a))).toBe(3_500_000_000n);
    expect(zeroed.shares.has(validator(b))).toBe(false);
    // An unapproved model earns nothing.
    expect(closeEpoch({ ...books, models: {} }).shares.size).toBe(0);
  });

  it('gives each receipt an inclusion proof against the root', () => {
    const receipts = Array.from({ length: 7 }, (_, i) => receipt(key(1 + (i % 3)), i));
    const root = closeEpoch({
      epoch: 0,
      startHeight: 0,
      endHeight: 1,
      rewardPerBlock: 1n,
      models: {},
      receipts,
      zeroed: {},
    }).root;
    for (const r of receipts) {
      const leaf = receiptLeaf(r);
      expect(verifyProof(leaf, inclusionProof(receipts, leaf)!, root)).toBe(true);
      expect(verifyProof(digest('other'), inclusionProof(receipts, leaf)!, root)).toBe(false);
    }
    expect(inclusionProof(receipts, digest('nothing'))).toBeNull();
    const leaves = ['01', '02', '03'].map((x) => digest(x));
    const tree = leaves.map(treeLeaf);
    expect(verifyProof(leaves[2]!, merkleProofs(tree, [2])[0]!, merkleRoot(tree))).toBe(true);
    // A contributor's file: only its receipts, each with the same path as asked one by one.
    const books = {
      epoch: 0,
      startHeight: 0,
      endHeight: 1,
      rewardPerBlock: 1n,
      models: {},
      receipts,
      zeroed: {},
    };
    const file = contributorProofs(bundleOf(books, 'testnet'), validator(key(2)))!;
    expect(file.header).not.toHaveProperty('receipts');
    expect(file.receipts.map((r) => r.receipt)).toHaveLength(2);
    for (const r of file.receipts) expect(r.proof).toEqual(inclusionProof(receipts, r.leaf));
    expect(contributorProofs(bundleOf(books, 'testnet'), validator(key(9)))).toBeNull();
  });

  it('the bundle verifies under its manifest, and a tampered receipt, credit, share, root or parameter does not', async () => {
    const op = operatorKey(40);
    const manifest = testManifest(op, {
      compute: {
        pool: null,
        models: { [MODEL]: '7' },
        minStake: '1',
        epochBlocks: 10,
        rewardPerBlock: '350000000',
        spotCheckPpm: 0,
      },
    });
    const record = anchoredRecord(op, manifest, 1);
    const receipts = [receipt(key(1), 1), receipt(key(2), 2)];
    const books = {
      epoch: 1,
      startHeight: 10,
      endHeight: 20,
      rewardPerBlock: 350_000_000n,
      models: { [MODEL]: 7n },
      receipts,
      zeroed: {},
    };
    const bundle = bundleOf(books, 'testnet', closeEpoch(books), {
      deployment: { operator: operatorOf(op), version: 1, manifest: record.hash },
      closeHeight: 22,
    });
    expect(await verifyEpochBundle(bundle, manifest)).toEqual({
      problems: [],
      why: 'the epoch is not anchored on chain yet',
    });
    bundle.anchor = signAnchor(op, 'epoch', 1, epochHash(bundle), 23);
    expect(await verifyEpochBundle(bundle, manifest)).toEqual({ problems: [], why: null });
    const tampered = async (change: (b: typeof bundle) => void) => {
      const copy = JSON.parse(JSON.stringify(bundle)) as typeof bundle;
      change(copy);
      return (await verifyEpochBundle(copy, manifest)).problems.join('\n');
    };
    expect(await tampered((b) => (b.receipts[0]!.completionTokens += 1))).toMatch(/root is/);
    expect(await tampered((b) => (b.credits[validator(key(1))] = '1'))).toMatch(/the credit of/);
    expect(await tampered((b) => (b.shares[validator(key(2))] = '1'))).toMatch(/the share of/);
    expect(await tampered((b) => (b.root = digest('x')))).toMatch(/root is/);
    expect(await tampered((b) => (b.rewardPerBlock = '3500000000'))).toMatch(
      /reward per block is 3500000000/,
    );
    expect(await tampered((b) => (b.endHeight = 2000))).toMatch(/epoch 1 is blocks 10-19/);
    expect(await tampered((b) => (b.zeroed = { [validator(key(1))]: 'made up' }))).toMatch(
      /epoch anchor commits to/,
    );
    // Re-anchored by someone else: the numbers hold, the signer does not.
    expect(
      await tampered((b) => (b.anchor = signAnchor(operatorKey(41), 'epoch', 1, epochHash(b), 23))),
    ).toMatch(/signed by tpc1\w+, not by the deployment's operator/);
    // A signature that does not verify is found once the cheap checks pass.
    const resigned = JSON.parse(JSON.stringify(bundle)) as typeof bundle;
    resigned.receipts[1]!.signature = resigned.receipts[0]!.signature;
    resigned.receipts = orderedLeaves(resigned.receipts).map((l) => l.receipt);
    const honestBooks = closeEpoch({ ...books, receipts: resigned.receipts });
    resigned.root = honestBooks.root;
    resigned.anchor = signAnchor(op, 'epoch', 1, epochHash(resigned), 23);
    expect((await verifyEpochBundle(resigned, manifest)).problems.join('\n')).toMatch(
      /signature does not verify/,
    );
  });

  it("a receipt binds the contributor's own key", () => {
    const r = receipt(key(1), 1);
    expect(() => verifyReceipt(r, 'testnet')).not.toThrow();
    expect(() => verifyReceipt({ ...r, contributor: validator(key(2)) }, 'testnet')).toThrow(
      /not the contributor's/,
    );
    expect(() => verifyReceipt({ ...r, promptTokens: -1 }, 'testnet')).toThrow(/malformed/);
  });
});
