/**
 * Runs one task at a time, taking turns between keys (users): a user with ten queued requests does not make
 * everyone else wait for all ten. Used to serialize generations on one model context.
 */
export class FairQueue {
  private readonly queues = new Map<string, (() => Promise<void>)[]>();
  private order: string[] = [];
  private busy = false;

  get pending(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queue = this.queues.get(key) ?? [];
      if (!this.queues.has(key)) {
        this.queues.set(key, queue);
        this.order.push(key);
      }
      queue.push(() => task().then(resolve, reject));
      void this.next();
    });
  }

  private async next(): Promise<void> {
    if (this.busy) return;
    const key = this.order.shift();
    if (key === undefined) return;
    const queue = this.queues.get(key)!;
    const task = queue.shift()!;
    if (queue.length) this.order.push(key);
    else this.queues.delete(key);
    this.busy = true;
    try {
      await task();
    } finally {
      this.busy = false;
      void this.next();
    }
  }
}
