/**
 * Fixed-window counters by key (a link's token hash, or the hash and the client's address), so one leaked link
 * cannot be hammered; the per-IP limit over all requests comes from @fastify/rate-limit. `blocked` only looks,
 * `record` counts: a route counts an attempt once it knows it was a real one (see server.ts).
 */
export class TokenRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Looks and counts at once: false once `max` were counted in this window. */
  allow(key: string): boolean {
    if (this.blocked(key)) return false;
    this.record(key);
    return true;
  }

  blocked(key: string): boolean {
    const window = this.current(key);
    return window !== undefined && window.count >= this.max;
  }

  record(key: string): void {
    const window = this.current(key);
    if (window) window.count++;
    else {
      if (this.windows.size > 10_000) this.prune(this.now());
      this.windows.set(key, { start: this.now(), count: 1 });
    }
  }

  private current(key: string): { start: number; count: number } | undefined {
    const window = this.windows.get(key);
    return window && this.now() - window.start < this.windowMs ? window : undefined;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows)
      if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}

/**
 * Real attempts at one link (a transaction or signature that parses, a file that looks like a contract), counted
 * per link and client address: junk from elsewhere cannot use up the person's tries. A per-link total above that
 * bounds the work one link can cause from many addresses.
 */
export class LinkAttempts {
  private readonly perSource: TokenRateLimiter;
  private readonly perLink: TokenRateLimiter;

  constructor(perMinute: number, now: () => number = Date.now) {
    this.perSource = new TokenRateLimiter(perMinute, 60_000, now);
    this.perLink = new TokenRateLimiter(perMinute * 3, 60_000, now);
  }

  blocked(linkHash: string, ip: string): boolean {
    return this.perSource.blocked(`${linkHash}|${ip}`) || this.perLink.blocked(linkHash);
  }

  record(linkHash: string, ip: string): void {
    this.perSource.record(`${linkHash}|${ip}`);
    this.perLink.record(linkHash);
  }
}
