import { afterAll, describe, expect, it } from 'vitest';
import { bundleOf, closeEpoch, verifyBundle } from '../../../compute/epoch.js';
import { digest, signReceipt, type Receipt } from '../../../compute/receipt.js';
import { ReceiptVerifier } from '../../../compute/verifier.js';
import { PrivateKey } from '../../../pactus/keys.js';

const key = (seed: number) => PrivateKey.fromBytes('bls', new Uint8Array(32).fill(seed));
const MODEL = digest('tiny.gguf');
const validator = (k: PrivateKey) => k.publicKey().validatorAddress().toString('testnet');

function receipt(k: PrivateKey, n: number): Receipt {
  return signReceipt(
    k,
    {
      contributor: validator(k),
      requestHash: digest(`request ${n}`),
      responseHash: digest(`response ${n}`),
      promptTokens: 10 + n,
      completionTokens: 5,
      model: 'tiny',
      modelHash: MODEL,
      timestamp: 1_700_000_000_000 + n,
    },
    'testnet',
  );
}

const verifier = new ReceiptVerifier(2);
afterAll(() => verifier.close());

describe('receipt signatures checked in worker threads', () => {
  it('accepts a signed receipt and refuses a changed one, in a worker rather than on this thread', async () => {
    const good = receipt(key(1), 1);
    const before = verifier.completed;
    await expect(verifier.verify(good, 'testnet')).resolves.toBeUndefined();
    await expect(verifier.verify({ ...good, completionTokens: 6 }, 'testnet')).rejects.toThrow(
      "The receipt's signature does not verify.",
    );
    expect(verifier.completed - before).toBe(2);
  });

  it('refuses a receipt under another key or malformed without spending a pairing', async () => {
    const good = receipt(key(1), 2);
    const before = verifier.completed;
    await expect(verifier.verify({ ...good, contributor: validator(key(2)) }, 'testnet')).rejects.toThrow(
      "The receipt's key is not the contributor's.",
    );
    await expect(verifier.verify({ ...good, requestHash: 'zz' }, 'testnet')).rejects.toThrow(
      'The receipt is malformed.',
    );
    await expect(verifier.verify(good, 'mainnet')).rejects.toThrow(
      "The receipt's key is not the contributor's.",
    );
    expect(verifier.completed).toBe(before);
  });

  it('checks a bundle in batches over the threads and finds the same problems as checking one by one', async () => {
    const receipts = Array.from({ length: 40 }, (_, i) => receipt(key(1 + (i % 3)), i));
    const books = {
      epoch: 0,
      startHeight: 0,
      endHeight: 10,
      rewardPerBlock: 35n,
      models: { [MODEL]: 7n },
      receipts,
      zeroed: {},
    };
    const bundle = bundleOf(books, 'testnet', closeEpoch(books));
    bundle.receipts[5] = { ...bundle.receipts[5]!, promptTokens: 999 };
    bundle.receipts[36] = { ...bundle.receipts[36]!, signature: bundle.receipts[35]!.signature };
    const pooled = await verifyBundle(bundle, (r, network) => verifier.problems(r, network));
    const here = await verifyBundle(bundle);
    expect(pooled).toEqual(here);
    expect(pooled.filter((p) => p.includes('signature does not verify'))).toHaveLength(2);
  });
});
