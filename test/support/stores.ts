import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { closeDatabase, openDatabase, type Db, type Dialect } from '../../db/connection.js';

/** The stores every database-facing test runs on. */
export const STORES: Dialect[] = ['sqlite', 'postgres'];

export interface TestStore {
  dialect: Dialect;
  /** What DATABASE_URL would be (a file path, or a postgres:// URL of a database made for this test). */
  url: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database on the store: a SQLite file in a temp dir, or a fresh database on the test server (or on
 * `postgresServer`, outside vitest).
 */
export async function newStore(dialect: Dialect, postgresServer?: string): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pactus-db-'));
    return {
      dialect,
      url: join(dir, 'bot.db'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = postgresServer ?? inject('postgresUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.href,
    async drop() {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A migrated database on the store, and its teardown. */
export async function openTestDatabase(
  dialect: Dialect,
): Promise<{ db: Db; store: TestStore; close(): Promise<void> }> {
  const store = await newStore(dialect);
  const db = await openDatabase(store.url);
  return {
    db,
    store,
    async close() {
      await closeDatabase(db);
      await store.drop();
    },
  };
}

/** A new database on the store opened through `count` handles, as that many bot processes would, and its teardown. */
export async function sharedDatabase(
  dialect: Dialect,
  count: number,
): Promise<{ handles: Db[]; store: TestStore; close(): Promise<void> }> {
  const store = await newStore(dialect);
  const handles: Db[] = [];
  for (let i = 0; i < count; i++) handles.push(await openDatabase(store.url));
  return {
    handles,
    store,
    async close() {
      for (const db of handles) await closeDatabase(db);
      await store.drop();
    },
  };
}
