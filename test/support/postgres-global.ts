import type { TestProject } from 'vitest/node';
import { startPostgresServer, type PostgresServer } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

let server: PostgresServer | undefined;

/** One PostgreSQL server for the whole run (TEST_POSTGRES_URL points at an existing one instead). */
export async function setup(project: TestProject): Promise<void> {
  const existing = process.env.TEST_POSTGRES_URL;
  if (existing) {
    project.provide('postgresUrl', existing);
    return;
  }
  server = await startPostgresServer();
  project.provide('postgresUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
