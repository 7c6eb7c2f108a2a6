import { sql } from 'drizzle-orm';
import { dialectOf, tables, type Sql } from '../../db/connection.js';

/**
 * A token bucket per person: `burst` messages at once, refilled at `perMinute`. Keeps one person from flooding
 * the node, the model queue or the signer with drafts. The buckets live in the database, so every process
 * answering chat takes from the same one and a restart does not refill them.
 */
export class RateLimiter {
  constructor(
    private readonly db: Sql,
    private readonly burst: number,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token: false when the bucket is empty (and then nothing changes). */
  async take(key: string): Promise<boolean> {
    const { rateBuckets: b } = tables(this.db);
    const now = this.now();
    // One statement decides, so two processes taking the last token at once cannot both have it. A clock behind
    // the last writer's refills nothing rather than draining the bucket.
    const least = dialectOf(this.db) === 'postgres' ? sql.raw('least') : sql.raw('min');
    const greatest = dialectOf(this.db) === 'postgres' ? sql.raw('greatest') : sql.raw('max');
    const refilled = sql`${least}(CAST(${this.burst} AS DOUBLE PRECISION), ${b.tokens} + ${greatest}(0, ${now} - ${b.updatedAt}) * CAST(${this.perMinute / 60_000} AS DOUBLE PRECISION))`;
    const taken = await this.db
      .insert(b)
      .values({ key, tokens: this.burst - 1, updatedAt: now })
      .onConflictDoUpdate({
        target: b.key,
        set: { tokens: sql`${refilled} - 1`, updatedAt: now },
        setWhere: sql`${refilled} >= 1`,
      })
      .returning({ tokens: b.tokens });
    return taken.length === 1;
  }

  /** Deletes buckets idle long enough to be full again: they mean the same as no bucket. */
  async purge(): Promise<void> {
    const { rateBuckets: b } = tables(this.db);
    const fullAfterMs = Math.ceil((this.burst / this.perMinute) * 60_000);
    await this.db.delete(b).where(sql`${b.updatedAt} < ${this.now() - fullAfterMs}`);
  }
}
