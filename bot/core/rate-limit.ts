/**
 * A token bucket per user: `burst` messages at once, refilled at `perMinute`. Keeps one person from flooding
 * the node, the model queue or the signer with drafts; memory is bounded by evicting idle users.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    private readonly burst: number,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxUsers = 50_000,
  ) {}

  take(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updated: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updated) * this.perMinute) / 60_000);
    bucket.updated = now;
    this.buckets.delete(key);
    this.buckets.set(key, bucket); // most recently used last, so eviction drops the idlest
    if (this.buckets.size > this.maxUsers) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
