import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { captureLogger } from './stack.js';

/** The whole bot (createApp: devnet, SQLite file, signer server, agent) with extra environment. */
export async function startApp(
  env: Record<string, string> = {},
): Promise<{ app: App; logs: string[]; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bot-app-'));
  const logs: string[] = [];
  const config = loadConfig({
    DATABASE_URL: join(dir, 'bot.db'),
    SIGNER_PORT: '0',
    DEVNET_BLOCK_MS: '200',
    DEVNET_UNBOND_INTERVAL: '3',
    // Transactions are broadcast as soon as they are signed unless a test sets an undo window (undo.test.ts).
    UNDO_SECONDS: '0',
    ...env,
  });
  const app = await createApp(config, captureLogger(logs));
  return {
    app,
    logs,
    async close() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
