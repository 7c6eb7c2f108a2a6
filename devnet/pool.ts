// The devnet's transaction pool, capped and evicted like pactus v1.16.0's txpool: one list per payload type
// (txpool/txpool.go NewTxPool), each a linked map whose PushBack drops the oldest entry once it is over its
// capacity (util/linkedmap/linkedmap.go PushBack, prune), with capacities as shares of `max_size`
// (txpool/config.go: 1,000 by default; transfers 50%, every other type 10%).
import { PayloadType, type Transaction } from '../pactus/tx.js';

export interface PoolEntry {
  tx: Transaction;
  raw: Uint8Array;
}

/** txpool/config.go DefaultConfig MaxSize, and BasicCheck's floor. */
export const DEFAULT_POOL_MAX_SIZE = 1000;
export const MIN_POOL_MAX_SIZE = 10;

const SHARE: Record<PayloadType, number> = {
  [PayloadType.Transfer]: 0.5,
  [PayloadType.Bond]: 0.1,
  [PayloadType.Sortition]: 0.1,
  [PayloadType.Unbond]: 0.1,
  [PayloadType.Withdraw]: 0.1,
  [PayloadType.BatchTransfer]: 0.1,
};

/** Go computes `int(float32(maxSize) * share)`: float32 arithmetic, truncated. */
export function poolCapacity(maxSize: number, type: PayloadType): number {
  return Math.trunc(Math.fround(Math.fround(maxSize) * Math.fround(SHARE[type])));
}

export class DevnetPool {
  /** Insertion order across types is kept, so blocks take each type oldest first as Go's lists do. */
  private readonly entries = new Map<string, PoolEntry>();

  constructor(readonly maxSize = DEFAULT_POOL_MAX_SIZE) {
    if (!Number.isSafeInteger(maxSize) || maxSize < MIN_POOL_MAX_SIZE)
      throw new RangeError(`the pool's max size can't be less than ${MIN_POOL_MAX_SIZE}`); // config.go BasicCheck
  }

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  /** Entries oldest first, optionally of one payload type. */
  list(type?: PayloadType): [string, PoolEntry][] {
    return [...this.entries].filter(([, e]) => type === undefined || e.tx.payload.type === type);
  }

  /**
   * Appends, then evicts the oldest of the same type while that type is over its capacity. Returns the evicted
   * IDs. Like Go, eviction does not undo the pool sandbox's view of them: they are gone until rebroadcast
   * after the next block.
   */
  add(id: string, entry: PoolEntry): string[] {
    if (this.entries.has(id)) {
      this.entries.set(id, entry);
      return [];
    }
    this.entries.set(id, entry);
    const type = entry.tx.payload.type;
    const sameType = this.list(type);
    const excess = sameType.length - poolCapacity(this.maxSize, type);
    const evicted = sameType.slice(0, Math.max(0, excess)).map(([oldId]) => oldId);
    for (const oldId of evicted) this.entries.delete(oldId);
    return evicted;
  }
}
