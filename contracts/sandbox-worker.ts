// Runs contract calls against an in-memory host implementing contracts/abi.md, inside a worker thread the
// sandbox terminates on its time limit. Fuel: the module was instrumented (binaryen's log-execution pass) to call
// env.log_execution at every function entry, return and loop iteration; each call costs one unit.
import { parentPort, workerData } from 'node:worker_threads';
import type { CallOutcome, SandboxJob, SandboxResult } from './sandbox-protocol.js';

class Stop extends Error {}

const PAGE = 65_536;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function run(job: SandboxJob): Promise<SandboxResult> {
  const module = await WebAssembly.compile(new Uint8Array(job.wasm));
  let storage = { ...job.storage };
  const outcomes: CallOutcome[] = [];
  for (const call of job.calls) {
    // Each call is a transaction: a fresh instance (memory and globals start over), storage as it was.
    const working = { ...storage };
    const outcome: CallOutcome = {
      fn: call.fn,
      ok: false,
      result: null,
      error: null,
      events: [],
      writes: [],
      fuelUsed: 0,
    };
    let memory: WebAssembly.Memory | null = null;
    const bytes = (ptr: number, len: number) => {
      if (!memory || ptr < 0 || len < 0 || ptr + len > memory.buffer.byteLength)
        throw new Stop(`out-of-bounds memory access (${ptr}+${len})`);
      return new Uint8Array(memory.buffer, ptr, len);
    };
    const fuelTick = () => {
      outcome.fuelUsed++;
      if (outcome.fuelUsed > job.fuel)
        throw new Stop(`out of fuel (${job.fuel.toLocaleString('en-US')} units)`);
      if (memory && memory.buffer.byteLength > job.memoryPages * PAGE)
        throw new Stop(`memory limit: grew past ${job.memoryPages} pages`);
    };
    const env = {
      log_execution: fuelTick,
      storage_get(keyPtr: number, keyLen: number, outPtr: number, outCap: number): number {
        const value = working[hex(bytes(keyPtr, keyLen))];
        if (value === undefined) return -1;
        const data = Buffer.from(value, 'hex');
        bytes(outPtr, Math.min(outCap, data.length)).set(data.subarray(0, outCap));
        return data.length;
      },
      storage_set(keyPtr: number, keyLen: number, valPtr: number, valLen: number): void {
        const key = hex(bytes(keyPtr, keyLen));
        working[key] = hex(bytes(valPtr, valLen));
        outcome.writes.push({ key, value: working[key] });
      },
      caller(outPtr: number): number {
        const data = new TextEncoder().encode(job.caller);
        bytes(outPtr, data.length).set(data);
        return data.length;
      },
      block_height: () => BigInt(job.height),
      emit_event(ptr: number, len: number): void {
        if (outcome.events.length >= job.maxEvents) throw new Stop(`more than ${job.maxEvents} events`);
        outcome.events.push(text(bytes(ptr, len)).slice(0, 500));
      },
      abort(ptr: number, len: number): never {
        throw new Stop(`aborted: ${text(bytes(ptr, Math.min(len, 500)))}`);
      },
    };
    try {
      const instance = await WebAssembly.instantiate(module, { env });
      const exports = instance.exports as Record<string, unknown>;
      memory = exports.memory instanceof WebAssembly.Memory ? exports.memory : null;
      const fn = exports[call.fn];
      if (typeof fn !== 'function') throw new Stop(`it exports no function ${call.fn}`);
      const args = marshal(call, exports, bytes);
      const result = (fn as (...a: unknown[]) => unknown)(...args);
      fuelTick(); // the memory limit, once more at the end
      outcome.ok = true;
      outcome.result = result === undefined ? null : String(result);
      storage = working;
    } catch (error) {
      outcome.error =
        error instanceof Stop
          ? error.message
          : error instanceof WebAssembly.RuntimeError
            ? `trap: ${error.message}`
            : error instanceof RangeError
              ? `memory limit: ${error.message}`
              : `failed: ${error instanceof Error ? error.message : String(error)}`;
      outcome.writes = []; // undone with the call
    }
    outcomes.push(outcome);
    parentPort!.postMessage({ outcome, storage });
  }
  return { outcomes, storage };
}

/** Numbers as the parameter's type (BigInt for i64); text through the contract's alloc export, as (ptr, len). */
function marshal(
  call: SandboxJob['calls'][number],
  exports: Record<string, unknown>,
  bytes: (ptr: number, len: number) => Uint8Array,
): unknown[] {
  const out: unknown[] = [];
  const wanted = call.args.reduce((n, a) => n + ('text' in a ? 2 : 1), 0);
  if (wanted !== call.params.length)
    throw new Stop(`${call.fn} takes ${call.params.length} parameter(s), and was given ${wanted}`);
  for (const arg of call.args) {
    const type = call.params[out.length]!;
    if ('number' in arg) {
      const value = BigInt(arg.number);
      if (type === 'i64') {
        if (value < -(2n ** 63n) || value >= 2n ** 64n)
          throw new Stop(`${arg.number} does not fit in an i64`);
        out.push(BigInt.asIntN(64, value));
      } else {
        if (value < -(2n ** 31n) || value >= 2n ** 32n)
          throw new Stop(`${arg.number} does not fit in an i32`);
        out.push(Number(BigInt.asIntN(32, value)));
      }
      continue;
    }
    const alloc = exports.alloc;
    if (typeof alloc !== 'function')
      throw new Stop(`${call.fn} was given text, and the contract exports no alloc`);
    const data = new TextEncoder().encode(arg.text);
    const ptr = Number((alloc as (n: number) => unknown)(data.length));
    bytes(ptr, data.length).set(data);
    const asType = (n: number) => (call.params[out.length] === 'i64' ? BigInt(n) : n);
    out.push(asType(ptr));
    out.push(asType(data.length));
  }
  return out;
}

const job = workerData as SandboxJob;
run(job).then(
  (result) => parentPort!.postMessage({ result }),
  (error: unknown) =>
    parentPort!.postMessage({ failed: error instanceof Error ? error.message : String(error) }),
);
