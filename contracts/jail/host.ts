// Runs inside the jail only: contract calls against an in-memory host implementing contracts/abi.md, on a module
// instrumented by wasm/instrument.ts (fuel in a global, memory and tables clamped, refused grows counted).
import type { ContractLimits } from '../limits.js';
import { PAGE_BYTES } from '../limits.js';
import type { SandboxModule } from '../wasm/instrument.js';
import type { CallContext, CallOutcome, CallRequest } from './protocol.js';

/** Ends a call with a message (abort, a limit, bad arguments); storage writes of the call are undone. */
class Stop extends Error {}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const units = (n: number) => n.toLocaleString('en-US');
const kib = (n: number) => (n % 2 ** 20 ? `${units(n / 1024)} KiB` : `${units(n / 2 ** 20)} MiB`);

/** One unit per host call and one per 64 bytes it moves, so copying is paid for like looping. */
const hostCost = (bytes: number) => 1 + Math.ceil(bytes / 64);

export async function runCalls(
  module: WebAssembly.Module,
  sandbox: SandboxModule,
  calls: CallRequest[],
  context: CallContext,
  limits: ContractLimits,
  report: (outcome: CallOutcome, storage: Record<string, string>) => Promise<void>,
): Promise<void> {
  let storage = { ...context.storage };
  for (const call of calls) {
    // Each call is a transaction: a fresh instance (memory and globals start over), storage as it was.
    const outcome = await runCall(module, sandbox, call, { ...context, storage }, limits);
    if (outcome.ok) storage = outcome.storage;
    await report(outcome.outcome, storage);
  }
}

async function runCall(
  module: WebAssembly.Module,
  sandbox: SandboxModule,
  call: CallRequest,
  context: CallContext,
  limits: ContractLimits,
): Promise<{ ok: boolean; outcome: CallOutcome; storage: Record<string, string> }> {
  const working = { ...context.storage };
  let stored = storedBytes(working);
  const writes = new Map<string, string>();
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
  let fuel: WebAssembly.Global | null = null;
  const bytes = (ptr: number, len: number) => {
    if (!memory || ptr < 0 || len < 0 || ptr + len > memory.buffer.byteLength)
      throw new Stop(`out-of-bounds memory access (${ptr}+${len})`);
    return new Uint8Array(memory.buffer, ptr, len);
  };
  const charge = (moved: number) => {
    const cost = BigInt(hostCost(moved));
    if (!fuel) return;
    const left = fuel.value as bigint;
    fuel.value = left > cost ? left - cost : 0n;
    if (left < cost) throw new Stop(`out of fuel (${units(limits.fuel)} units)`);
  };
  const env = {
    storage_get(keyPtr: number, keyLen: number, outPtr: number, outCap: number): number {
      charge(keyLen);
      const value = working[hex(bytes(keyPtr, keyLen))];
      if (value === undefined) return -1;
      const data = Buffer.from(value, 'hex');
      charge(Math.min(outCap, data.length));
      bytes(outPtr, Math.min(outCap, data.length)).set(data.subarray(0, outCap));
      return data.length;
    },
    storage_set(keyPtr: number, keyLen: number, valPtr: number, valLen: number): void {
      charge(keyLen + valLen);
      const key = hex(bytes(keyPtr, keyLen));
      const value = hex(bytes(valPtr, valLen));
      stored += (value.length - (working[key]?.length ?? -key.length)) / 2;
      if (stored > limits.storageBytes)
        throw new Stop(`storage limit: more than ${units(limits.storageBytes)} bytes stored`);
      working[key] = value;
      writes.set(key, value);
    },
    caller(outPtr: number): number {
      const data = new TextEncoder().encode(context.caller);
      charge(data.length);
      bytes(outPtr, data.length).set(data);
      return data.length;
    },
    block_height: () => {
      charge(0);
      return BigInt(context.height);
    },
    emit_event(ptr: number, len: number): void {
      charge(len);
      if (outcome.events.length >= limits.events) throw new Stop(`more than ${limits.events} events`);
      outcome.events.push(text(bytes(ptr, Math.min(len, 2000))).slice(0, 500));
    },
    abort(ptr: number, len: number): never {
      throw new Stop(`aborted: ${text(bytes(ptr, Math.min(len, 500)))}`);
    },
  };
  let refused: WebAssembly.Global | null = null;
  try {
    const instance = await WebAssembly.instantiate(module, { env });
    const exports = instance.exports as Record<string, unknown>;
    memory = exports.memory instanceof WebAssembly.Memory ? exports.memory : null;
    fuel = exports[sandbox.fuel] as WebAssembly.Global;
    refused = exports[sandbox.refusedGrows] as WebAssembly.Global;
    fuel.value = BigInt(limits.fuel);
    const fn = exports[call.fn];
    if (typeof fn !== 'function') throw new Stop(`it exports no function ${call.fn}`);
    const args = marshal(call, exports, bytes);
    const result = (fn as (...a: unknown[]) => unknown)(...args);
    outcome.ok = true;
    outcome.result = result === undefined ? null : String(result);
  } catch (error) {
    outcome.error = reason(error, fuel, limits);
    const grows = refused ? (refused.value as number) : 0;
    if (grows)
      outcome.error = `memory limit: its memory cannot grow past ${limits.memoryPages} pages (${kib(limits.memoryPages * PAGE_BYTES)}), and growing it was refused ${units(grows)} time(s); then ${outcome.error}`;
  }
  outcome.fuelUsed = fuel ? limits.fuel - Number(fuel.value as bigint) : 0;
  outcome.writes = outcome.ok ? [...writes].map(([key, value]) => ({ key, value })) : [];
  return { ok: outcome.ok, outcome, storage: working };
}

function reason(error: unknown, fuel: WebAssembly.Global | null, limits: ContractLimits): string {
  if (error instanceof Stop) return error.message;
  if (error instanceof WebAssembly.RuntimeError) {
    // The fuel tick traps with `unreachable` when the global reaches zero.
    if (fuel && fuel.value === 0n && /unreachable/.test(error.message))
      return `out of fuel (${units(limits.fuel)} units)`;
    return `trap: ${error.message}`;
  }
  if (error instanceof RangeError && /call stack/i.test(error.message))
    return 'stack limit: calls nested too deep';
  if (error instanceof RangeError) return `memory limit: ${error.message}`;
  return `failed: ${error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200)}`;
}

function storedBytes(storage: Record<string, string>): number {
  let n = 0;
  for (const [k, v] of Object.entries(storage)) n += (k.length + v.length) / 2;
  return n;
}

/** Numbers as the parameter's type (BigInt for i64); text through the contract's alloc export, as (ptr, len). */
function marshal(
  call: CallRequest,
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
