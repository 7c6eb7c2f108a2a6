/** Every sequence stayed busy longer than the configured wait: the caller answers without the model. */
export class ModelBusyError extends Error {
  constructor(readonly waitedMs: number) {
    super(`the language model stayed busy for ${waitedMs} ms`);
  }
}

interface Slot<T> {
  value: T;
  busy: boolean;
  /** Who used it last: their conversation prefix is still in this sequence's KV cache. */
  lastKey: string | null;
  lastUsed: number;
}

interface Waiter<T> {
  key: string;
  grant: (slot: Slot<T>) => void;
  fail: (error: Error) => void;
}

/** Task durations the pace is the median of. */
const PACE_SAMPLES = 8;

/**
 * Hands out a model context's sequences. Each keeps one person's conversation in the model's cache; at most
 * `active` of them generate at once (decoded together in one batch by node-llama-cpp). A person gets back the
 * sequence they used last when it is free (their prefix is cached there), else the one idle longest. When none
 * may start, waiters are served taking turns between people, and one that would wait past `maxWaitMs` is refused
 * with ModelBusyError instead of waiting for a timeout: at once when the pace of recent tasks (the median of the
 * last eight) says the line ahead of it will not be done in time, else when the wait runs out.
 */
export class SequencePool<T> {
  private readonly slots: Slot<T>[];
  private readonly waiting = new Map<string, Waiter<T>[]>();
  private order: string[] = [];
  private clock = 0;
  private running = 0;
  private readonly durations: number[] = [];

  constructor(
    values: T[],
    private readonly maxWaitMs: number,
    private readonly active = values.length,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (active < 1 || active > values.length) throw new Error('active must be 1 to the number of sequences');
    this.slots = values.map((value) => ({ value, busy: false, lastKey: null, lastUsed: 0 }));
  }

  get size(): number {
    return this.slots.length;
  }

  get pending(): number {
    let n = 0;
    for (const q of this.waiting.values()) n += q.length;
    return n;
  }

  /** Runs `task` on a sequence; `key` is the person (platform:user). */
  async run<R>(key: string, task: (value: T) => Promise<R>, signal?: AbortSignal): Promise<R> {
    const slot = await this.acquire(key, signal);
    const started = this.now();
    try {
      return await task(slot.value);
    } finally {
      this.durations.push(this.now() - started);
      if (this.durations.length > PACE_SAMPLES) this.durations.shift();
      this.release(slot);
    }
  }

  private take(slot: Slot<T>, key: string): Slot<T> {
    this.running++;
    slot.busy = true;
    slot.lastKey = key;
    slot.lastUsed = ++this.clock;
    return slot;
  }

  private acquire(key: string, signal?: AbortSignal): Promise<Slot<T>> {
    signal?.throwIfAborted();
    const free = this.running < this.active ? this.freeFor(key) : undefined;
    if (free) return Promise.resolve(this.take(free, key));
    if (this.expectedWait() > this.maxWaitMs) return Promise.reject(new ModelBusyError(0));
    return new Promise<Slot<T>>((resolve, reject) => {
      const started = Date.now();
      const waiter: Waiter<T> = {
        key,
        grant: (slot) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(this.take(slot, key));
        },
        fail: reject,
      };
      const remove = () => {
        const queue = this.waiting.get(key);
        const i = queue?.indexOf(waiter) ?? -1;
        if (queue && i >= 0) queue.splice(i, 1);
        if (queue?.length === 0) {
          this.waiting.delete(key);
          this.order = this.order.filter((k) => k !== key);
        }
      };
      const timer = setTimeout(() => {
        remove();
        reject(new ModelBusyError(Date.now() - started));
      }, this.maxWaitMs);
      const onAbort = () => {
        clearTimeout(timer);
        remove();
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const queue = this.waiting.get(key) ?? [];
      if (!this.waiting.has(key)) {
        this.waiting.set(key, queue);
        this.order.push(key);
      }
      queue.push(waiter);
    });
  }

  /**
   * When a newcomer would start, by the pace of recent tasks: the running ones end (half a task on average) and
   * the line ahead goes `active` at a time. Zero until there is a pace to go by.
   */
  private expectedWait(): number {
    if (this.durations.length < 3) return 0;
    const sorted = [...this.durations].sort((a, b) => a - b);
    const pace = sorted[Math.floor(sorted.length / 2)]!;
    return pace * (0.5 + Math.floor(this.pending / this.active));
  }

  /** The person's own sequence when free (their conversation is cached there), else the one idle longest. */
  private freeFor(key: string): Slot<T> | undefined {
    const free = this.slots.filter((s) => !s.busy);
    return free.find((s) => s.lastKey === key) ?? free.sort((a, b) => a.lastUsed - b.lastUsed)[0];
  }

  private release(slot: Slot<T>): void {
    slot.busy = false;
    this.running--;
    // Taking turns: the next person in line, then they go to the back if they have more waiting.
    const key = this.order.shift();
    if (key === undefined) return;
    const queue = this.waiting.get(key)!;
    const waiter = queue.shift()!;
    if (queue.length) this.order.push(key);
    else this.waiting.delete(key);
    waiter.grant(this.freeFor(key)!);
  }
}
