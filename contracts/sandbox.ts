import { ContractError } from './errors.js';
import type { ModuleReport } from './inspect.js';
import { inJail, type JailEnd } from './jail/jail.js';
import type { CallOutcome, CallRequest, JailMessage } from './jail/protocol.js';
import { CONTRACT_LIMITS, type ContractLimits } from './limits.js';

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
  /** The jail's peak resident memory (KiB) when it finished; null when a limit stopped it. */
  peakKb: number | null;
}

/** The calls as the jail takes them, checked against the report first (a wrong name or type runs nothing). */
export function callRequests(
  report: ModuleReport,
  calls: SimulationCall[],
  limits: ContractLimits,
): CallRequest[] {
  if (calls.length > limits.calls) throw new ContractError(`At most ${limits.calls} calls at a time.`);
  return calls.map((call) => {
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
}

/**
 * Collects a jail's call outcomes; when a limit stopped the jail, the call under way gets the reason and the
 * ones after it are marked as not run.
 */
export class OutcomeCollector {
  readonly outcomes: CallOutcome[] = [];
  storage: Record<string, string>;

  constructor(storage: Record<string, string>) {
    this.storage = storage;
  }

  take(message: JailMessage): void {
    if (message.kind !== 'outcome') return;
    this.outcomes.push(message.outcome);
    this.storage = message.storage;
  }

  finish(requests: CallRequest[], end: JailEnd): CallOutcome[] {
    if (!end.stopped) return this.outcomes;
    const done = this.outcomes.length;
    for (const [i, request] of requests.entries())
      if (i >= done)
        this.outcomes.push({
          fn: request.fn,
          ok: false,
          result: null,
          error: i === done ? end.stopped.words : 'not run (an earlier call was stopped)',
          events: [],
          writes: [],
          fuelUsed: 0,
        });
    return this.outcomes;
  }
}

/**
 * Runs calls of a checked contract in a jail (jail/jail.ts): fuel per call, memory and tables clamped, a heap
 * limit, a process memory ceiling and a time limit per call. An infinite loop, a trap, a memory bomb or a crash
 * ends as an outcome with its reason, never as a hung or crashed bot. Storage carries over from call to call
 * (each call is a fresh instance, as a transaction would be) and comes back for the next simulation.
 */
export async function simulate(
  wasm: Uint8Array,
  report: ModuleReport,
  calls: SimulationCall[],
  options: { storage?: Record<string, string>; caller: string; height: number; limits?: ContractLimits },
): Promise<Simulation> {
  const limits = options.limits ?? { ...CONTRACT_LIMITS };
  const requests = callRequests(report, calls, limits);
  const started = performance.now();
  const collector = new OutcomeCollector(options.storage ?? {});
  const end = await inJail(
    {
      op: 'run',
      wasm,
      calls: requests,
      limits,
      context: { caller: options.caller, height: options.height, storage: options.storage ?? {} },
    },
    (message) => collector.take(message),
  );
  return {
    outcomes: collector.finish(requests, end),
    storage: collector.storage,
    ms: performance.now() - started,
    peakKb: end.peakKb,
  };
}
