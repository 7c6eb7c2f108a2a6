import type Database from 'better-sqlite3';
import type { AsyncRemoteCallback } from 'drizzle-orm/sqlite-proxy';

/**
 * Runs drizzle's statements on a better-sqlite3 connection behind drizzle's async SQLite driver (sqlite-proxy), so
 * the same awaited query code runs on SQLite and PostgreSQL.
 *
 * One connection serves the whole process, and an async transaction yields between its statements. So while a
 * transaction is open, statements from any other async context (told apart by `currentScope`, an
 * AsyncLocalStorage value set by `transaction()`) wait until it commits or rolls back: nothing another request does
 * can land inside it, or be rolled back with it.
 */
export function sqliteExecutor(
  client: Database.Database,
  currentScope: () => object | undefined,
): AsyncRemoteCallback {
  const statements = new Map<string, Database.Statement>();
  let owner: object | undefined;
  let waiting: (() => void)[] = [];

  const prepare = (text: string): Database.Statement => {
    let statement = statements.get(text);
    if (!statement) {
      statement = client.prepare(text);
      if (statements.size >= 500) statements.delete(statements.keys().next().value!);
      statements.set(text, statement);
    }
    return statement;
  };

  const release = (): void => {
    owner = undefined;
    const woken = waiting;
    waiting = [];
    for (const wake of woken) wake();
  };

  return async (text, params, method) => {
    const scope = currentScope();
    while (owner !== undefined && owner !== scope)
      await new Promise<void>((resolve) => waiting.push(resolve));
    const begins = /^begin\b/i.test(text);
    const ends = /^(commit|rollback)\b/i.test(text);
    if (begins) owner = scope ?? {};
    try {
      const statement = prepare(text);
      if (!statement.reader) {
        statement.run(...params);
        return { rows: [] };
      }
      // drizzle maps rows by column position, so rows are read as arrays.
      if (method === 'get') return { rows: statement.raw().get(...params) as unknown[] };
      return { rows: statement.raw().all(...params) };
    } catch (error) {
      if (begins) release();
      throw error;
    } finally {
      if (ends) release();
    }
  };
}
