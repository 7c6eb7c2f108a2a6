import { afterAll, describe, expect, it } from 'vitest';
import { checkReceiptsHere } from '../../../compute/epoch.js';
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

  it('checks many receipts in batches over the threads and finds the same problems as checking one by one', async () => {
    const receipts = Array.from({ length: 40 }, (_, i) => receipt(key(1 + (i % 3)), i));
    receipts[5] = { ...receipts[5]!, promptTokens: 999 };
    receipts[36] = { ...receipts[36]!, signature: receipts[35]!.signature };
    receipts[20] = { ...receipts[20]!, contributor: validator(key(9)) };
    const pooled = await verifier.problems(receipts, 'testnet');
    const here = await checkReceiptsHere(receipts, 'testnet');
    expect(pooled).toEqual(here);
    expect(pooled.filter((p) => p?.includes('signature does not verify'))).toHaveLength(2);
    expect(pooled.filter((p) => p !== null)).toHaveLength(3);
  });
});
