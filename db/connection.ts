import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** A database handle or an open transaction: query helpers take this so they compose inside transactions. */
export type Sql = BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema>;

export const DEFAULT_DATABASE_URL = './data/bot.db';
const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

/** Accepts a path, `file:` URL or `sqlite:` URL; `:memory:` for throwaway databases. */
export function databasePath(url: string): string {
  if (url === ':memory:') return url;
  return url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
}

/** Opens SQLite (WAL, foreign keys, busy timeout) and applies the committed drizzle-kit migrations. */
/** The database could not be opened, created or migrated (the cause says why: a path, a permission, a lock). */
export class DatabaseOpenError extends Error {
  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`cannot open the database ${url}: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

export function openDatabase(url: string = DEFAULT_DATABASE_URL): Db {
  const path = databasePath(url);
  let sqlite: Database.Database | null = null;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    sqlite = new Database(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = drizzle(sqlite, { schema }) as Db;
    migrate(db, { migrationsFolder: MIGRATIONS });
    return db;
  } catch (error) {
    sqlite?.close();
    throw new DatabaseOpenError(url, error);
  }
}

export function closeDatabase(db: Db): void {
  db.$client.close();
}
