// `.env` in the working directory, read as Node's own --env-file reads it (process.loadEnvFile): a variable
// already set in the environment wins over the file, so `FOO=1 npm start` still overrides it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export class EnvFileError extends Error {}

/** Loads ./.env when there is one; returns its path, or null when there is none. */
export function loadEnvFile(cwd = process.cwd()): string | null {
  const path = resolve(cwd, '.env');
  if (!existsSync(path)) return null;
  try {
    process.loadEnvFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new EnvFileError(`.env could not be read (${reason}); fix or remove ${path}.`);
  }
  return path;
}
