/** Messages between the sandbox (sandbox.ts) and its worker (sandbox-worker.ts). Plain data only. */

export interface CallRequest {
  fn: string;
  /** The function's parameter types, from the module report. */
  params: ('i32' | 'i64')[];
  /** Numbers as decimal text (i64 needs more than a JS number), text as text. */
  args: ({ number: string } | { text: string })[];
}

export interface SandboxJob {
  /** The instrumented module (log-execution calls added), and the names of its exports. */
  wasm: Uint8Array;
  calls: CallRequest[];
  /** Storage before the first call, hex key -> hex value. */
  storage: Record<string, string>;
  caller: string;
  height: number;
  fuel: number;
  memoryPages: number;
  maxEvents: number;
}

export interface CallOutcome {
  fn: string;
  ok: boolean;
  /** The returned value (decimal text), or null for none. */
  result: string | null;
  /** Why the call ended without a result: a trap, abort(message), out of fuel or memory, bad arguments. */
  error: string | null;
  events: string[];
  writes: { key: string; value: string }[];
  fuelUsed: number;
}

export interface SandboxResult {
  outcomes: CallOutcome[];
  storage: Record<string, string>;
}
