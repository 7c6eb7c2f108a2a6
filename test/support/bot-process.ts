// The real entry point (`npm start` runs `tsx bot/main.ts`) in a child process, for tests that need what only
// a process has: its exit code, its stdout in JSON-lines mode, a kill -9.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';

export interface BotProcess {
  child: ChildProcessWithoutNullStreams;
  /** The next JSON line on stdout, or null when none comes within `timeoutMs`. */
  next(timeoutMs?: number): Promise<Record<string, unknown> | null>;
  /** The next JSON line on stdout; a test failure (with the end of stderr) when none comes. */
  line(timeoutMs?: number): Promise<Record<string, unknown>>;
  stderr(): string;
  /** The exit code, once the process ends (killed after `timeoutMs`). */
  exited(timeoutMs?: number): Promise<number | null>;
  /** kill -9, resolved once the process is gone. */
  kill(): Promise<void>;
}

/**
 * Starts the bot with `env` over the current environment (a free signer port unless `env` says otherwise): the
 * program itself, or with `npm` the way people start it (`npm start`: npm, its shell, tsx's CLI, then the bot; the
 * child is then npm). `cwd` is where it runs (and looks for .env); this one by default.
 */
export function spawnBot(
  env: Record<string, string>,
  options: { npm?: boolean; cwd?: string } = {},
): BotProcess {
  // tsx resolved from here, so a working directory outside the project still finds it.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const [command, args] = options.npm
    ? ['npm', ['start', '--silent']]
    : [process.execPath, ['--import', tsx, resolve('bot/main.ts')]];
  const child = spawn(command, args, {
    // No undo window unless a test sets one: signed transactions are broadcast at once, as the tests expect.
    env: { ...process.env, SIGNER_PORT: '0', UNDO_SECONDS: '0', ...env },
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const queue: Record<string, unknown>[] = [];
  const waiters: ((v: Record<string, unknown>) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    const value = JSON.parse(l) as Record<string, unknown>;
    const waiter = waiters.shift();
    if (waiter) waiter(value);
    else queue.push(value);
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const next = (timeoutMs = 20_000): Promise<Record<string, unknown> | null> =>
    queue.length
      ? Promise.resolve(queue.shift()!)
      : new Promise((resolve) => {
          const waiter = (v: Record<string, unknown>) => {
            clearTimeout(timer);
            resolve(v);
          };
          const timer = setTimeout(() => {
            waiters.splice(waiters.indexOf(waiter), 1);
            resolve(null);
          }, timeoutMs);
          waiters.push(waiter);
        });
  return {
    child,
    next,
    async line(timeoutMs) {
      const value = await next(timeoutMs);
      if (!value) throw new Error(`no output; stderr: ${stderr.slice(-2000)}`);
      return value;
    },
    stderr: () => stderr,
    exited: (timeoutMs = 30_000) =>
      new Promise((resolve) => {
        if (gone()) return resolve(child.exitCode);
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      }),
    kill: () =>
      new Promise<void>((resolve) => {
        if (gone()) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
