import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { containsSecret } from '../../pactus/secrets/index.js';

/**
 * Texts up to this long are read on the calling thread; longer ones (a contract file's text, up to 1 MiB) in a
 * worker. The detector reads about 1 MiB a second of non-Latin text (look-alike folding), which on the main thread
 * would stall every chat, webhook and gateway heartbeat for that long per file sent.
 */
export const INLINE_SCAN_CHARS = 16 * 1024;

const ENTRY = fileURLToPath(new URL('./secret-scan-worker.ts', import.meta.url));

let program: Promise<string> | null = null;
let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (found: boolean) => void; reject: (error: Error) => void }>();

/** The worker's code as one CommonJS script (it runs under plain node, whatever loader runs the bot). */
function workerProgram(): Promise<string> {
  program ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return program;
}

async function scanner(): Promise<Worker> {
  if (worker) return worker;
  const code = await workerProgram();
  if (worker) return worker;
  const started = new Worker(code, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 256 } });
  started.unref(); // it never keeps the process alive
  started.on('message', ({ id, found }: { id: number; found: boolean }) => {
    pending.get(id)?.resolve(found);
    pending.delete(id);
  });
  // A worker that dies (out of memory) fails what it was reading; the next scan starts a fresh one.
  const fail = (error: Error) => {
    if (worker === started) worker = null;
    for (const [, job] of pending) job.reject(error);
    pending.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`secret scanner exited with ${code}`)));
  worker = started;
  return started;
}

/**
 * Whether `text` holds a private key or recovery phrase (pactus/secrets containsSecret), without holding up the
 * thread for a long text. A scan that fails counts as a secret found: a text that cannot be checked is refused.
 */
export async function textContainsSecret(text: string): Promise<boolean> {
  if (text.length <= INLINE_SCAN_CHARS) return containsSecret(text);
  try {
    const w = await scanner();
    const id = nextId++;
    return await new Promise<boolean>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ id, text });
    });
  } catch {
    return true;
  }
}
