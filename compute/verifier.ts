import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Network } from '../pactus/network.js';
import { ComputeError } from './errors.js';
import { BAD_SIGNATURE, receiptKey, receiptText, type Receipt } from './receipt.js';
import type { SignedText } from './verify-task.js';

const WORKER = fileURLToPath(new URL('./verify-worker.mjs', import.meta.url));
/** Signatures per task when checking many at once: enough that passing messages costs little next to pairings. */
const BATCH = 32;

/** One thread fewer than the machine has, so the event loop keeps a core; at least one. */
export const defaultVerifyThreads = () => Math.max(1, availableParallelism() - 1);

/**
 * Checks receipt signatures in worker threads. A BLS verification takes ~35 ms of CPU; on the event loop, a busy
 * pool's receipts would stall every chat, page and health check behind them. The cheap checks (shape, the key's
 * binding to the contributor) run first, here, so junk costs no pairing.
 */
export class ReceiptVerifier {
  private readonly pool: Piscina<SignedText[], boolean[]>;

  constructor(threads = defaultVerifyThreads()) {
    this.pool = new Piscina({ filename: WORKER, minThreads: 1, maxThreads: threads, idleTimeout: 60_000 });
  }

  /** Tasks run so far (each a batch of signatures). */
  get completed(): number {
    return this.pool.completed;
  }

  /** Throws ComputeError when the receipt is malformed, not the contributor's key, or its signature fails. */
  async verify(receipt: Receipt, network: Network): Promise<void> {
    receiptKey(receipt, network);
    const [ok] = await this.pool.run([signed(receipt)]);
    if (!ok) throw new ComputeError('bad_receipt', BAD_SIGNATURE);
  }

  /** Each receipt's problem, or null when it holds; spread over every thread. */
  async problems(receipts: Receipt[], network: Network): Promise<(string | null)[]> {
    const problems: (string | null)[] = receipts.map((r) => {
      try {
        receiptKey(r, network);
        return null;
      } catch (error) {
        return (error as ComputeError).message;
      }
    });
    const todo = receipts.flatMap((r, i) => (problems[i] === null ? [i] : []));
    const batches: number[][] = [];
    for (let i = 0; i < todo.length; i += BATCH) batches.push(todo.slice(i, i + BATCH));
    await Promise.all(
      batches.map(async (batch) => {
        const results = await this.pool.run(batch.map((i) => signed(receipts[i]!)));
        batch.forEach((i, k) => {
          if (!results[k]) problems[i] = BAD_SIGNATURE;
        });
      }),
    );
    return problems;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

const signed = (r: Receipt): SignedText => ({
  publicKey: r.publicKey,
  text: receiptText(r),
  signature: r.signature,
});
