// Telegram webhook workers behind nginx: 1, 2 or 3 `npm start` processes on one PostgreSQL database, or one on
// SQLite, the Telegram emulator posting 40 updates at a time. Latency is from the update being queued at
// "Telegram" to the answer's sendMessage arriving there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from '../db/connection.js';
import type { Devnet } from '../devnet/index.js';
import { spawnBot } from '../test/support/bot-process.js';
import { TelegramEmulator } from '../test/support/emulators/telegram.js';
import { startNginx } from '../test/support/nginx.js';
import { freePort } from '../test/support/ports.js';
import { newStore } from '../test/support/stores.js';
import { waitFor } from '../test/support/wait.js';
import { summarizeLatencies } from './harness.js';

const USERS = 200;
const PER_USER = 5;
const MESSAGES = ['/help', "what's my balance", 'help', '/fee 5', 'hello'];

export async function webhookWorkers(
  processes: number,
  dialect: Dialect,
  devnet: Devnet,
  postgresServer: string,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pactus-bench-'));
  const store = dialect === 'postgres' ? await newStore('postgres', postgresServer) : null;
  const tg = new TelegramEmulator();
  await tg.start();
  const ports = await Promise.all(Array.from({ length: processes }, () => freePort()));
  const nginx = await startNginx('/telegram/', ports);
  tg.webhookRoute = (url) => `http://127.0.0.1:${nginx.port}${new URL(url).pathname}`;
  const bots = ports.map((port) =>
    spawnBot({
      DATABASE_URL: store?.url ?? join(dir, 'bot.db'),
      PACTUS_GRPC: devnet.endpoint,
      TELEGRAM_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram/hook',
      TELEGRAM_WEBHOOK_PORT: String(port),
      SIGNER_PUBLIC_URL: 'https://sign.example.org',
      CONSOLE: 'false',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_BURST: '1000',
    }),
  );
  try {
    await waitFor(() => tg.sent('setWebhook').length >= processes, 120_000);
    // Warm-up: every worker answers a few before the clock starts.
    for (let i = 0; i < 30; i++) tg.dm('/help', 1);
    await waitFor(() => tg.sent().length >= 30, 60_000);
    const baseline = tg.sent().length;
    const queuedAt = new Map<number, number[]>();
    const started = Date.now();
    for (let k = 0; k < PER_USER; k++)
      for (let u = 0; u < USERS; u++) {
        const chat = 10_000 + u;
        tg.dm(MESSAGES[k]!, chat);
        queuedAt.set(chat, [...(queuedAt.get(chat) ?? []), Date.now()]);
      }
    const total = USERS * PER_USER;
    await waitFor(() => tg.sent().length - baseline >= total, 300_000);
    const answers = tg.sent().slice(baseline);
    const seconds = (Math.max(...answers.map((a) => a.at)) - started) / 1000;
    const seen = new Map<number, number>();
    const latencies: number[] = [];
    for (const answer of answers) {
      const chat = Number(answer.params.chat_id);
      const k = seen.get(chat) ?? 0;
      seen.set(chat, k + 1);
      const queued = queuedAt.get(chat)?.[k];
      if (queued !== undefined) latencies.push(answer.at - queued);
    }
    const label = `${dialect}, ${processes} worker(s) behind nginx`;
    summarizeLatencies(`${label}: ${total} messages`, latencies);
    console.log(
      `${`${label}: throughput`.padEnd(44)} ${Math.round(total / seconds).toLocaleString('en-US')} messages/s`,
    );
  } finally {
    for (const bot of bots) await bot.kill();
    await nginx.stop();
    await tg.stop();
    await store?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
