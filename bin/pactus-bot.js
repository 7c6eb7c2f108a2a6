#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx pactus-bot ...` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
// The CLI reads ./.env like `npm start` does (a variable already set in the environment wins).
const { loadEnvFile } = await import('../bot/env-file.ts');
try {
  loadEnvFile();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const { main } = await import('../bot/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
