// Receipts for unit tests: BLS validator keys from a seed byte, and a signed receipt of request `n` under the tiny
// model, its completion half its prompt.
import { digest, signReceipt, type Receipt } from '../../compute/receipt.js';
import { PrivateKey } from '../../pactus/keys.js';

export const TINY_MODEL = digest('tiny.gguf');
export const receiptKey = (seed: number) => PrivateKey.fromBytes('bls', new Uint8Array(32).fill(seed));
export const validatorOf = (k: PrivateKey) => k.publicKey().validatorAddress().toString('testnet');

export function testReceipt(k: PrivateKey, n: number, tokens = 100): Receipt {
  return signReceipt(
    k,
    {
      contributor: validatorOf(k),
      requestHash: digest(`request ${n}`),
      responseHash: digest(`response ${n}`),
      promptTokens: tokens,
      completionTokens: tokens / 2,
      model: 'tiny',
      modelHash: TINY_MODEL,
      timestamp: 1_700_000_000_000 + n,
    },
    'testnet',
  );
}
