import { Worker } from 'node:worker_threads';
import { instrumentForFuel } from './binaryen-host.js';
import { ContractError } from './errors.js';
import type { ModuleReport } from './inspect.js';
import { CONTRACT_LIMITS, type ContractLimits } from './limits.js';
import type { CallOutcome, CallRequest, SandboxJob, SandboxResult } from './sandbox-protocol.js';

export type { CallOutcome };

export interface SimulationCall {
  fn: string;
  args: (bigint | string)[];
}

export interface Simulation {
  outcomes: CallOutcome[];
  /** Storage after the calls (hex key -> hex value): the next simulation in a session starts from it. */
  storage: Record<string, string>;
  ms: number;
}

// The worker is TypeScript, like the rest: it registers tsx in its own thread, then loads sandbox-worker.ts.
const WORKER_FILE = new URL('./sandbox-worker.ts', import.meta.url).href;
const WORKER_CODE = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_FILE)}); })`;

/**
 * Runs calls of a checked contract in a worker thread with a fuel budget per call, a memory cap, a heap limit and
 * a time limit. An infinite loop, a trap, a memory bomb or a crash ends as an outcome with its reason, never as a
 * hung or crashed bot. Storage carries over from call to call (each call is a fresh instance, as a transaction
 * would be) and comes back for the next simulation.
 */
export async function simulate(
  wasm: Uint8Array,
  report: ModuleReport,
  calls: SimulationCall[],
  options: { storage?: Record<string, string>; caller: string; height: number; limits?: ContractLimits },
): Promise<Simulation> {
  const limits = options.limits ?? { ...CONTRACT_LIMITS };
  if (calls.length > limits.calls) throw new ContractError(`At most ${limits.calls} calls at a time.`);
  const requests: CallRequest[] = calls.map((call) => {
    const fn = report.exports.find((e) => e.kind === 'function' && e.name === call.fn);
    if (!fn) throw new ContractError(`The contract has no function ${call.fn.slice(0, 40)}.`);
    const params = fn.params ?? [];
    if (!params.every((p) => p === 'i32' || p === 'i64'))
      throw new ContractError(`${call.fn} takes parameters other than i32 and i64; it cannot be called.`);
    return {
      fn: call.fn,
      params: params as ('i32' | 'i64')[],
      args: call.args.map((a) => (typeof a === 'bigint' ? { number: a.toString() } : { text: a })),
    };
  });
  const job: SandboxJob = {
    wasm: await instrumentForFuel(wasm),
    calls: requests,
    storage: options.storage ?? {},
    caller: options.caller,
    height: options.height,
    fuel: limits.fuel,
    memoryPages: limits.memoryPages,
    maxEvents: limits.events,
  };
  const started = performance.now();
  const outcomes: CallOutcome[] = [];
  let storage = options.storage ?? {};
  const finished = await new Promise<SandboxResult | { stopped: string }>((resolve) => {
    const worker = new Worker(WORKER_CODE, {
      eval: true,
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 16 },
      stdout: true,
      stderr: true,
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ stopped: `time limit: stopped after ${limits.timeMs / 1000} s` });
    }, limits.timeMs + 1000); // + the worker's own start (tsx)
    const end = (value: SandboxResult | { stopped: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(value);
    };
    worker.on(
      'message',
      (message: {
        outcome?: CallOutcome;
        storage?: Record<string, string>;
        result?: SandboxResult;
        failed?: string;
      }) => {
        if (message.outcome) {
          outcomes.push(message.outcome);
          storage = message.storage ?? storage;
        } else if (message.result) end(message.result);
        else end({ stopped: `failed: ${message.failed ?? 'unknown'}` });
      },
    );
    worker.on('error', (error: Error & { code?: string }) =>
      end({
        stopped:
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `heap limit: used more than ${limits.heapMb} MiB`
            : `failed: ${error.message.slice(0, 200)}`,
      }),
    );
    worker.on('exit', () => end({ stopped: 'failed: the sandbox stopped' }));
  });
  if ('outcomes' in finished)
    return { outcomes: finished.outcomes, storage: finished.storage, ms: performance.now() - started };
  // Stopped from outside: the call under way gets the reason, the ones after it did not run.
  const done = outcomes.length;
  for (const [i, request] of requests.entries())
    if (i >= done)
      outcomes.push({
        fn: request.fn,
        ok: false,
        result: null,
        error: i === done ? finished.stopped : 'not run (an earlier call was stopped)',
        events: [],
        writes: [],
        fuelUsed: 0,
      });
  return { outcomes, storage, ms: performance.now() - started };
}
