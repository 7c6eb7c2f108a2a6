import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { is, type SQL } from 'drizzle-orm';
import { drizzle as drizzleSqliteSync } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { PgDatabase, PgDialect } from 'drizzle-orm/pg-core';
import { SQLiteAsyncDialect, type BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { drizzle as drizzleSqliteProxy } from 'drizzle-orm/sqlite-proxy';
import pg from 'pg';
import * as schema from './schema.js';
import * as pgSchema from './schema-pg.js';
import { sqliteExecutor } from './sqlite-executor.js';

export type Tables = typeof schema;

/**
 * A database handle or an open transaction, on either store. The query code is written once against the SQLite
 * schema's types and asks `tables(db)` for the table objects, which on PostgreSQL are the pg-core twins
 * (schema-pg.ts): drizzle's builders have the same shape on both, and every test that touches the database runs
 * on both stores, so a dialect-only call (`.get()`, `.run()`) cannot pass unnoticed.
 */
export type Sql = BaseSQLiteDatabase<'async', unknown, Tables>;
export type Db = Sql;
export type Dialect = 'sqlite' | 'postgres';

export const DEFAULT_DATABASE_URL = './data/bot.db';
const SQLITE_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
const PG_MIGRATIONS = fileURLToPath(new URL('./migrations-pg', import.meta.url));

/** The database could not be opened, created or migrated (the cause says why: a path, a permission, a lock). */
export class DatabaseOpenError extends Error {
  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`cannot open the database ${redactUrl(url)}: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** A postgres:// URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/, '$1:***@');
}

export function dialectOfUrl(url: string): Dialect {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/** Accepts a path, `file:` URL or `sqlite:` URL; `:memory:` for throwaway databases. */
export function databasePath(url: string): string {
  if (url === ':memory:') return url;
  return url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
}

export function dialectOf(db: Sql): Dialect {
  return is(db, PgDatabase) ? 'postgres' : 'sqlite';
}

/** The table objects for this handle's store (see `Sql`). */
export function tables(db: Sql): Tables {
  return dialectOf(db) === 'postgres' ? (pgSchema as unknown as Tables) : schema;
}

const closers = new WeakMap<Sql, () => Promise<void>>();

/**
 * Opens the store named by the URL and applies the committed drizzle-kit migrations:
 * - a path or `sqlite:` URL: SQLite (WAL, foreign keys, busy timeout), for one process;
 * - `postgres://...`: PostgreSQL through a node-postgres pool, for one or several bot processes. Migrations run
 *   under an advisory lock, so processes starting together apply them once.
 */
export async function openDatabase(
  url: string = DEFAULT_DATABASE_URL,
  options: { poolSize?: number } = {},
): Promise<Db> {
  try {
    return dialectOfUrl(url) === 'postgres'
      ? await openPostgres(url, options.poolSize ?? 10)
      : openSqlite(url);
  } catch (error) {
    throw new DatabaseOpenError(url, error);
  }
}

function openSqlite(url: string): Db {
  const path = databasePath(url);
  let sqlite: Database.Database | null = null;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    sqlite = new Database(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    migrateSqlite(drizzleSqliteSync(sqlite), { migrationsFolder: SQLITE_MIGRATIONS });
  } catch (error) {
    sqlite?.close();
    throw error;
  }
  const client = sqlite;
  const db = drizzleSqliteProxy(
    sqliteExecutor(client, () => transactionScope.getStore()),
    { schema },
  ) as unknown as Db;
  closers.set(db, async () => void client.close());
  sqliteClients.set(db, client);
  return db;
}

/** Serializable transactions may be refused by PostgreSQL when they race; the whole body is then run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MIGRATION_LOCK = 0x70616374; // "pact": the advisory lock id held while migrating

async function openPostgres(url: string, poolSize: number): Promise<Db> {
  // BIGINT (OID 20) holds milliseconds and heights here, all below 2^53: read them as numbers, not strings.
  pg.types.setTypeParser(20, (value) => Number(value));
  const pool = new pg.Pool({ connectionString: url, max: poolSize, statement_timeout: 30_000 });
  pool.on('error', () => {
    // An idle client lost its server connection; the pool replaces it on the next query.
  });
  // A client checked out of the pool (a transaction) has no listener of the pool's: when its server session ends
  // (a restart, a failover, pg_terminate_backend), the query in flight rejects and the client then emits 'error'
  // ("Connection terminated unexpectedly"), which without a listener is an uncaught exception that kills the
  // process. The rejection is what the code sees and handles; the event needs only a listener.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  try {
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await migratePg(drizzlePg(client, { schema: pgSchema }), { migrationsFolder: PG_MIGRATIONS });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = drizzlePg(pool, { schema: pgSchema }) as unknown as Db;
  closers.set(db, () => pool.end());
  pools.set(db, pool);
  return db;
}

const pools = new WeakMap<Sql, pg.Pool>();
const sqliteClients = new WeakMap<Sql, Database.Database>();
const sqliteDialect = new SQLiteAsyncDialect();
const pgDialect = new PgDialect();

/**
 * Rows of a hand-written query as plain objects keyed by column name, on either store (for operators' tools and
 * tests that look at the tables directly; the application's queries go through drizzle's builders).
 */
export async function queryRows<T = Record<string, unknown>>(db: Sql, query: SQL): Promise<T[]> {
  const pool = pools.get(db);
  if (pool) {
    const { sql: text, params } = pgDialect.sqlToQuery(query);
    return (await pool.query(text, params)).rows as T[];
  }
  const client = sqliteClients.get(db);
  if (!client) throw new Error('queryRows needs the handle openDatabase returned');
  const { sql: text, params } = sqliteDialect.sqlToQuery(query);
  const statement = client.prepare(text);
  if (!statement.reader) {
    statement.run(...params);
    return [];
  }
  return statement.all(...params) as T[];
}

/** The node-postgres pool under a PostgreSQL handle (for advisory locks and LISTEN), undefined on SQLite. */
export function postgresPool(db: Sql): pg.Pool | undefined {
  return pools.get(db);
}

const closing = new WeakMap<Sql, Promise<void>>();

/** Closes the store once: a second call (two shutdown paths racing) waits for the first instead of closing again. */
export function closeDatabase(db: Db): Promise<void> {
  let done = closing.get(db);
  if (!done) {
    done = Promise.resolve().then(() => closers.get(db)?.());
    closing.set(db, done);
  }
  return done;
}

/**
 * PostgreSQL SQLSTATEs that mean "the server cannot serve this now" rather than "this query is wrong"
 * (postgresql.org/docs/current/errcodes-appendix.html): class 08 connection exceptions, 53300 too many
 * connections, 57P01-57P03 admin or crash shutdown and "cannot connect now" (starting up or shutting down), 57014
 * a statement cancelled by its timeout, and 40001/40P01 serialization failures and deadlocks.
 */
const UNAVAILABLE_SQLSTATES = /^(08...|53300|57P0[123]|57014|40001|40P01)$/;
/** What Node and node-postgres say when the server's socket is gone or refuses. */
const UNAVAILABLE_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end/;

/**
 * Whether an error means the database is out of reach for a while (a server stopped or restarting, a dropped
 * connection, SQLite busy past its timeout), so the same work may succeed later, rather than that the work is wrong.
 * drizzle wraps driver errors (DrizzleQueryError), so the whole cause chain is looked at.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_SYSTEM_CODES.has(code)))
      return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    // AggregateError (a connection refused on both IPv4 and IPv6) carries its causes in `errors`.
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.some((x) => isDatabaseUnavailable(x))) return true;
  }
  return false;
}

/** The transaction the current async context is inside, so a nested `transaction()` joins it. */
export interface TransactionScope {
  handle?: Sql;
}
const transactionScope = new AsyncLocalStorage<TransactionScope>();

/**
 * Runs `body` atomically and isolated from every other writer, on either store:
 * - SQLite: BEGIN IMMEDIATE (one writer at a time across processes); within the process, statements from other
 *   async contexts wait until this transaction ends (sqlite-executor.ts), so none of them lands inside it;
 * - PostgreSQL: SERIALIZABLE, and the body runs again when PostgreSQL refuses it for racing another one.
 * So the invariants the code keeps (single-use links, exact reward caps, one ballot per address) hold on both.
 * A nested call joins the open transaction. The body must only touch the database: it may run more than once.
 */
export async function transaction<T>(db: Sql, body: (tx: Sql) => Promise<T>): Promise<T> {
  const open = transactionScope.getStore()?.handle;
  if (open) return body(open);
  const scope: TransactionScope = {};
  const run = (tx: Sql): Promise<T> => {
    scope.handle = tx;
    return body(tx);
  };
  if (dialectOf(db) === 'sqlite') {
    return transactionScope.run(scope, () => db.transaction(run, { behavior: 'immediate' }));
  }
  const pgDb = db as unknown as PgDatabase<never, typeof pgSchema>;
  for (let attempt = 1; ; attempt++) {
    try {
      return await transactionScope.run(scope, () =>
        pgDb.transaction((tx) => run(tx as unknown as Sql), { isolationLevel: 'serializable' }),
      );
    } catch (error) {
      if (!isRetryable(error) || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}

function isRetryable(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code && RETRYABLE.has(e.code)) return true;
  }
  return false;
}

/** The first row of a query, or undefined (drizzle's `.get()` exists on SQLite only). */
export async function first<T>(query: PromiseLike<T[]>): Promise<T | undefined> {
  return (await query)[0];
}
