import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ContractError } from '../errors.js';
import type { ContractLimits } from '../limits.js';
import type { JailJob, JailMessage } from './protocol.js';

/*
 * Every contract check and simulation runs in a jail: a fresh Node process per request, started from child.ts
 * (bundled once per bot process), whose limits the kernel and V8 enforce, not the code they are meant to stop:
 *   - RLIMIT_DATA (prlimit) bounds all the process can allocate: heap, WebAssembly memories, compiler zones,
 *     malloc. An allocation past it fails, and the process ends.
 *   - --max-old-space-size bounds the JavaScript heap.
 *   - --wasm-max-mem-pages bounds every WebAssembly memory in it: the WAT compiler's (wabt is an Emscripten
 *     build that grows its memory on demand); a contract's own is clamped far lower (wasm/instrument.ts).
 *   - a wall-clock timer kills it (SIGKILL): readMs for reading, timeMs for each call.
 * Its environment is empty (no token or key of the bot's reaches it) and it exits after its one job, so a parser
 * that one input breaks (wabt after a stack overflow) never sees another. At most `jails` run at once and
 * `queued` wait, so the bot's machine holds at most jails x processMb for contracts whatever is sent.
 */

const ENTRY = fileURLToPath(new URL('./child.ts', import.meta.url));
const WABT = createRequire(import.meta.url).resolve('wabt');
const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p)) ?? null;

let bundled: Promise<string> | null = null;
/** child.ts and what it imports as one CommonJS script (wabt stays outside, loaded by path). */
function childProgram(): Promise<string> {
  bundled ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return bundled;
}

/** How a jail ended when it did not finish its job, in words for a person. */
export interface JailStop {
  limit: 'time' | 'heap' | 'memory' | 'crash';
  /** While reading the contract, or while running its calls. */
  phase: 'reading' | 'running';
  words: string;
}

export interface JailEnd {
  stopped: JailStop | null;
  /** The jail's own peak resident memory, when it finished (null when it was stopped). */
  peakKb: number | null;
}

class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  async enter(limits: ContractLimits): Promise<void> {
    if (this.running < limits.jails) {
      this.running++;
      return;
    }
    if (this.waiting.length >= limits.queued)
      throw new ContractError('The contract checker is busy with other requests; try again in a minute.');
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

const gate = new Gate();

/** A job as callers give it; the jail adds where wabt is. */
export type JailRequest =
  | Omit<Extract<JailJob, { op: 'load' }>, 'wabt'>
  | Omit<Extract<JailJob, { op: 'check' }>, 'wabt'>
  | Extract<JailJob, { op: 'run' }>;

/**
 * Runs one job in a fresh jail, handing each message to `on` as it comes. A 'refused' message becomes a
 * ContractError; a jail stopped while reading becomes one too (which limit, in plain words); a jail stopped
 * while running calls ends with `stopped` set, and the caller reports it on the call under way.
 */
export async function inJail(request: JailRequest, on: (message: JailMessage) => void): Promise<JailEnd> {
  const { limits } = request;
  await gate.enter(limits);
  try {
    const job: JailJob = request.op === 'run' ? request : { ...request, wabt: WABT };
    return await runJail(job, await childProgram(), on);
  } finally {
    gate.leave();
  }
}

function runJail(job: JailJob, program: string, on: (message: JailMessage) => void): Promise<JailEnd> {
  const { limits } = job;
  const command = [
    ...(PRLIMIT ? [PRLIMIT, `--data=${limits.processMb * 2 ** 20}`, '--core=0', '--'] : []),
    process.execPath,
    `--max-old-space-size=${limits.heapMb}`,
    `--wasm-max-mem-pages=${limits.wasmMemoryMb * 16}`,
    '--disallow-code-generation-from-strings',
    '-',
  ];
  return new Promise<JailEnd>((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      stdio: ['pipe', 'ignore', 'pipe', 'ipc'],
      env: {},
      cwd: tmpdir(),
      serialization: 'advanced',
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4096); // the end says why it died; the rest is noise
    });
    child.stdin!.on('error', () => {}); // a jail that dies at once closes its stdin: its exit says why
    child.stdin!.end(program);
    // Queued on the channel until the program, once read from stdin, listens (its first statement does).
    child.send(job, (error) => {
      if (error) child.kill('SIGKILL'); // it died before reading its job: 'close' reports how
    });
    let phase: JailStop['phase'] = 'reading';
    let refused: string | null = null;
    let peakKb: number | null = null;
    let done = false;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, ms);
    };
    arm(limits.readMs);
    child.on('message', (message: JailMessage) => {
      if (message.kind === 'running') {
        phase = 'running';
        arm(limits.timeMs);
      } else if (message.kind === 'outcome') arm(limits.timeMs);
      else if (message.kind === 'refused') refused = message.message;
      else if (message.kind === 'done') {
        done = true;
        peakKb = message.peakKb;
      }
      if (message.kind !== 'done' && message.kind !== 'refused') on(message);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ContractError(`The contract sandbox could not start (${error.message}).`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (refused !== null) return reject(new ContractError(refused));
      if (done) return resolve({ stopped: null, peakKb });
      const stop = why(timedOut, code, signal, stderr, phase, limits);
      if (phase === 'reading') return reject(new ContractError(stop.words));
      resolve({ stopped: stop, peakKb: null });
    });
  });
}

/** Which limit ended a jail, from how it ended and the last words V8 printed. */
function why(
  timedOut: boolean,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
  phase: JailStop['phase'],
  limits: ContractLimits,
): JailStop {
  const reading = phase === 'reading';
  if (timedOut)
    return reading
      ? {
          limit: 'time',
          phase,
          words: `Reading the contract took longer than ${limits.readMs / 1000} s, so it was stopped.`,
        }
      : { limit: 'time', phase, words: `time limit: stopped after ${limits.timeMs / 1000} s` };
  if (/heap out of memory|Reached heap limit/i.test(stderr))
    return reading
      ? {
          limit: 'heap',
          phase,
          words: `Reading the contract needed more than ${limits.heapMb} MiB of JavaScript heap, so it was stopped.`,
        }
      : { limit: 'heap', phase, words: `heap limit: used more than ${limits.heapMb} MiB` };
  if (/out of memory|Cannot allocate|bad_alloc|OOM/i.test(stderr))
    return reading
      ? {
          limit: 'memory',
          phase,
          words: `Reading the contract needed more than ${limits.processMb} MiB of memory, so it was stopped.`,
        }
      : {
          limit: 'memory',
          phase,
          words: `memory limit: the sandbox needed more than ${limits.processMb} MiB`,
        };
  const how = signal ? `signal ${signal}` : `exit code ${code}`;
  return reading
    ? {
        limit: 'crash',
        phase,
        words: `The contract reader stopped unexpectedly on this input (${how}), so it was refused.`,
      }
    : { limit: 'crash', phase, words: `failed: the sandbox stopped unexpectedly (${how})` };
}
