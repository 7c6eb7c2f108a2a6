// What a newcomer sees in a terminal: the conversation and nothing else (logs go to a file the banner names);
// and the README's scripting example (`npm start --silent` with piped input) prints JSON lines only.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../../support/wait.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'terminal-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = (name: string) => {
  const { LOG_LEVEL: _unset, ...rest } = process.env;
  return { ...rest, DATABASE_URL: join(dir, name, 'bot.db'), SIGNER_PORT: '0' };
};

it('in a real terminal (a pseudo-terminal via script(1)) the transcript holds the chat and no log line', async () => {
  // script gives the bot a TTY for stdin and stdout, as a person's terminal would.
  const child = spawn('script', ['-qfec', `${process.execPath} --import tsx bot/main.ts`, '/dev/null'], {
    env: env('tty'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let transcript = '';
  child.stdout.on('data', (d) => (transcript += d));
  child.stderr.on('data', (d) => (transcript += d));
  await waitFor(() => transcript.includes('you>'), 30_000);
  child.stdin.write('what is the fee\r');
  await waitFor(() => /bot> .*fee/.test(transcript), 15_000);
  child.stdin.write('\u0004'); // Ctrl-D ends the chat
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  expect(code).toBe(0);
  expect(transcript).toMatch(/Logs go to .*tty[/\\]bot\.log/);
  expect(transcript).not.toMatch(/"level":\d+/); // no pino line in the conversation
  const logFile = join(dir, 'tty', 'bot.log');
  expect(existsSync(logFile)).toBe(true);
  expect(readFileSync(logFile, 'utf8')).toMatch(/"msg":"turn"/); // the logs are there instead
}, 60_000);

it('`npm start --silent` with piped input prints JSON lines only', async () => {
  const child = spawn('npm', ['start', '--silent'], { env: env('piped'), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stdin.end("what's my balance\n");
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  expect(code).toBe(0);
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  expect(JSON.stringify(lines.map((l) => JSON.parse(l)))).toMatch(/100,00\d/);
}, 60_000);
