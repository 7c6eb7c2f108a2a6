// `npx pactus-bot contribute` as a child process: the real CLI, its key file, its port.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PrivateKey } from '../../pactus/keys.js';
import { freePort } from './ports.js';

export interface ContributorProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  kill(): Promise<void>;
}

export async function spawnContributor(
  dir: string,
  name: string,
  key: PrivateKey,
  args: string[],
): Promise<ContributorProcess> {
  const keyFile = join(dir, `${name}.key`);
  writeFileSync(keyFile, key.toString('testnet'), { mode: 0o600 });
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['bin/pactus-bot.js', 'contribute', '--key', keyFile, '--port', String(port), ...args],
    { env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`contributor ${name} did not start: ${output}`)), 30_000);
    child.stdout!.on('data', () => {
      if (output.includes('contributing as')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`contributor ${name} exited ${code}: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
