import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Sql } from '../../db/connection.js';

/** Rows of a hand-written query as objects, on SQLite or PostgreSQL. */
export function rows<T = Record<string, unknown>>(db: Sql, query: SQL | string): Promise<T[]> {
  return queryRows<T>(db, typeof query === 'string' ? sql.raw(query) : query);
}

/** The first row of a hand-written query (the test fails on none). */
export async function row<T = Record<string, unknown>>(db: Sql, query: SQL | string): Promise<T> {
  const [first] = await rows<T>(db, query);
  if (!first) throw new Error('the query returned no row');
  return first;
}

/** How many rows a table holds (COUNT(*) is a string on PostgreSQL, a number on SQLite). */
export async function countRows(db: Sql, table: string, where = 'TRUE'): Promise<number> {
  return Number(
    (await row<{ n: number | string }>(db, `SELECT count(*) AS n FROM ${table} WHERE ${where}`)).n,
  );
}

/** A JSON column read by a hand-written query: text on SQLite, already parsed on PostgreSQL. */
export function jsonOf(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
