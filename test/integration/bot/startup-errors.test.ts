// What a newcomer sees when the bot cannot start: one plain sentence naming the setting to change, exit 1, no
// stack trace. Each case runs the real entry point in its own process.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnBot } from '../../support/bot-process.js';
import { DiscordEmulator } from '../../support/emulators/discord.js';
import { TelegramEmulator } from '../../support/emulators/telegram.js';

let dir: string;
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'startup-'));
  // Holds the port, and hangs up on anyone who connects (a port in use by something that is not a Pactus node).
  busy = createServer((socket) => socket.destroy());
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((r) => busy.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const bot = spawnBot({
    CONSOLE: 'false',
    LOG_LEVEL: 'silent',
    DATABASE_URL: join(dir, `${Math.random()}.db`),
    ...env,
  });
  const code = await bot.exited(30_000);
  return { code, stderr: bot.stderr() };
}

const plain = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

it('a busy signer port names it and SIGNER_PORT', async () => {
  const r = await start({ SIGNER_PORT: String(busyPort) });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(
    `Port 127.0.0.1:${busyPort} is already in use, so the signer page cannot listen there`,
  );
  expect(r.stderr).toContain('set SIGNER_PORT to a free port');
  plain(r.stderr);
}, 40_000);

it('a busy devnet port names DEVNET_PORT', async () => {
  const r = await start({ DEVNET_PORT: String(busyPort) });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('so the embedded devnet cannot listen there');
  expect(r.stderr).toContain('set DEVNET_PORT to a free port (0 picks one)');
  plain(r.stderr);
}, 40_000);

it('an unwritable database path, a missing model file and an unreachable node each say what to change', async () => {
  const database = await start({
    DATABASE_URL: '/etc/hostname/bot.db',
    DEVNET_CHAIN_FILE: join(dir, 'c.jsonl'),
  });
  expect(database.code).toBe(1);
  expect(database.stderr).toMatch(
    /The database \/etc\/hostname\/bot\.db cannot be opened or created .*Set DATABASE_URL/,
  );
  plain(database.stderr);

  const model = await start({ LLM_MODEL_PATH: join(dir, 'missing.gguf') });
  expect(model.code).toBe(1);
  expect(model.stderr).toMatch(/There is no model file at .*missing\.gguf \(LLM_MODEL_PATH\)/);
  plain(model.stderr);

  const node = await start({ PACTUS_GRPC: `127.0.0.1:${busyPort}`, PACTUS_GRPC_DEADLINE_MS: '500' });
  expect(node.code).toBe(1);
  expect(node.stderr).toMatch(/The Pactus node at 127\.0\.0\.1:\d+ cannot be reached .*Check PACTUS_GRPC/);
  plain(node.stderr);
}, 90_000);

it('a platform that refuses the token or cannot be reached, and a PACTUS_GRPC without a port, say what to change', async () => {
  const tg = new TelegramEmulator();
  const discord = new DiscordEmulator();
  discord.botToken = 'the-real-token';
  await Promise.all([tg.start(), discord.start()]);
  try {
    const telegram = { SIGNER_PUBLIC_URL: 'https://sign.example.org', TELEGRAM_API_ROOT: tg.apiRoot };
    const [wrongTelegram, noTelegram, wrongDiscord, noPort] = await Promise.all([
      start({ ...telegram, TELEGRAM_TOKEN: '123456:NOT-THE-TOKEN' }),
      start({ ...telegram, TELEGRAM_TOKEN: tg.token, TELEGRAM_API_ROOT: `http://127.0.0.1:${busyPort}` }),
      start({ DISCORD_TOKEN: 'a-revoked-token', DISCORD_API_URL: discord.apiUrl }),
      start({ PACTUS_GRPC: 'localhost' }),
    ]);
    expect(wrongTelegram.code).toBe(1);
    expect(wrongTelegram.stderr).toMatch(/Telegram refused TELEGRAM_TOKEN \(401: Unauthorized\)/);
    expect(noTelegram.code).toBe(1);
    expect(noTelegram.stderr).toMatch(/Telegram's Bot API .* cannot be reached \(E[A-Z]+\)/);
    expect(wrongDiscord.code).toBe(1);
    expect(wrongDiscord.stderr).toMatch(/Discord refused DISCORD_TOKEN/);
    expect(noPort.code).toBe(1);
    expect(noPort.stderr).toMatch(/PACTUS_GRPC endpoint "localhost" is not host:port\. Write host:port/);
    for (const r of [wrongTelegram, noTelegram, wrongDiscord, noPort]) {
      plain(r.stderr);
      expect(r.stderr).not.toContain('NOT-THE-TOKEN'); // a secret is never repeated back
      expect(r.stderr).not.toContain('a-revoked-token');
      expect(r.stderr).not.toContain(tg.token);
    }
  } finally {
    await Promise.all([tg.stop(), discord.stop()]);
  }
}, 90_000);
