import { defineConfig } from 'drizzle-kit';

/** PostgreSQL migrations: `npx drizzle-kit generate --config drizzle.pg.config.ts` beside the SQLite ones. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema-pg.ts',
  out: './db/migrations-pg',
});
