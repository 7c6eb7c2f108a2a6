import { randomBytes } from 'node:crypto';
import { and, eq, gte } from 'drizzle-orm';
import { first, tables, type Sql } from '../../db/connection.js';

/**
 * Short-lived values behind short random ids, in the database so any bot process can resolve an id another made:
 * Telegram callback data (64 bytes at most) and deep-link payloads (64 characters) carry only the id, never the
 * request itself. Each kind has its own ids; an expired id resolves to nothing.
 */
export class ShortIds<T> {
  constructor(
    private readonly db: Sql,
    private readonly kind: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async put(value: T): Promise<string> {
    const { shortIds: s } = tables(this.db);
    const id = randomBytes(12).toString('base64url'); // 16 characters
    await this.db.insert(s).values({ id, kind: this.kind, value, expiresAt: this.now() + this.ttlMs });
    return id;
  }

  async get(id: string): Promise<T | undefined> {
    const { shortIds: s } = tables(this.db);
    const row = await first(
      this.db
        .select({ value: s.value })
        .from(s)
        .where(and(eq(s.id, id), eq(s.kind, this.kind), gte(s.expiresAt, this.now())))
        .limit(1),
    );
    return row?.value as T | undefined;
  }

  /** Resolves and deletes in one statement: of two processes taking one id, one gets the value. */
  async take(id: string): Promise<T | undefined> {
    const { shortIds: s } = tables(this.db);
    const [row] = await this.db
      .delete(s)
      .where(and(eq(s.id, id), eq(s.kind, this.kind)))
      .returning({ value: s.value, expiresAt: s.expiresAt });
    return row && row.expiresAt >= this.now() ? (row.value as T) : undefined;
  }
}
