import { NodeUnavailable } from './errors.js';
import { NodeUnhealthy } from './health.js';
import type { PactusNodeClient } from './client.js';
import type { TxRecord } from './types.js';

/** A transaction is includable while height+1 - LOCK_TIME_WINDOW <= lock_time <= height+1. */
export const LOCK_TIME_WINDOW = 8640;

export function lockTimeExpired(lockTime: number, height: number): boolean {
  return height + 1 - LOCK_TIME_WINDOW > lockTime;
}

export type ConfirmationResult =
  { status: 'confirmed'; tx: TxRecord } | { status: 'expired'; height: number } | { status: 'aborted' };

export interface WatchOptions {
  lockTime: number;
  pollMs?: number;
  signal?: AbortSignal;
  onProgress?: (state: { height: number; inPool: boolean }) => void;
}

/**
 * Polls until the transaction is committed, or until its lock_time window has passed and it can never be.
 * A node outage or lag during the wait is not a failure: the transaction may still commit, so polling continues.
 */
export async function waitForConfirmation(
  client: PactusNodeClient,
  id: string,
  options: WatchOptions,
): Promise<ConfirmationResult> {
  const pollMs = options.pollMs ?? 1000;
  for (;;) {
    if (options.signal?.aborted) return { status: 'aborted' };
    try {
      const tx = await client.findTransaction(id);
      if (tx) return { status: 'confirmed', tx };
      // Only a node that keeps up may say the window has closed: a lagging one's height is in the past.
      const { height } = await client.ensureHealthy();
      if (lockTimeExpired(options.lockTime, height)) {
        // One last look: it may have been committed in the block that closed the window.
        const late = await client.findTransaction(id);
        return late ? { status: 'confirmed', tx: late } : { status: 'expired', height };
      }
      if (options.onProgress) {
        const inPool = (await client.getTxPoolContent()).some((t) => t.id === id);
        options.onProgress({ height, inPool });
      }
    } catch (error) {
      if (!(error instanceof NodeUnavailable || error instanceof NodeUnhealthy)) throw error;
    }
    await abortableSleep(pollMs, options.signal);
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
