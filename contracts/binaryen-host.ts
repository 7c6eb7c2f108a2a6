import { Worker } from 'node:worker_threads';

/** What binaryen reads from a module: plain data, in binaryen's own terms (inspect.ts turns it into a report). */
export interface RawModule {
  functions: { module: string | null; base: string | null; params: number[]; results: number[] }[];
  globals: { module: string | null; base: string | null }[];
  tables: { module: string | null; base: string | null; initial: number; max: number | null }[];
  memory: { module: string | null; base: string | null; initial: number; max: number | null } | null;
  exports: { kind: number; name: string; params: number[] | null; results: number[] | null }[];
  start: boolean;
  text: string;
  types: { i32: number; i64: number; f32: number; f64: number; v128: number };
  kinds: { function: number; table: number; memory: number; global: number; tag: number };
}

/*
 * binaryen runs in a worker thread of plain JavaScript. Loaded through tsx (how the bot runs), its 14 MB module
 * is transformed on every start, which takes about 10 seconds and blocks the event loop for several of them; a
 * worker without tsx loads it in under a second, off the thread that answers chat.
 */
const HOST = `
const { parentPort } = require('node:worker_threads');
const loading = import('binaryen').then((m) => m.default);
function read(binaryen, wasm) {
  const module = binaryen.readBinary(wasm);
  const fnInfo = (ref) => binaryen.getFunctionInfo(ref);
  try {
    const functions = [];
    for (let i = 0; i < module.getNumFunctions(); i++) {
      const f = fnInfo(module.getFunctionByIndex(i));
      functions.push({ module: f.module || null, base: f.base || null, params: binaryen.expandType(f.params), results: binaryen.expandType(f.results) });
    }
    const globals = [];
    for (let i = 0; i < module.getNumGlobals(); i++) {
      const g = binaryen.getGlobalInfo(module.getGlobalByIndex(i));
      globals.push({ module: g.module || null, base: g.base || null });
    }
    const tables = [];
    for (let i = 0; i < module.getNumTables(); i++) {
      const t = binaryen.getTableInfo(module.getTableByIndex(i));
      tables.push({ module: t.module || null, base: t.base || null, initial: t.initial, max: t.max ?? null });
    }
    let memory = null;
    if (module.hasMemory()) {
      const m = module.getMemoryInfo();
      memory = { module: m.module || null, base: m.base || null, initial: m.initial, max: m.max ?? null };
    }
    const exports = [];
    for (let i = 0; i < module.getNumExports(); i++) {
      const e = binaryen.getExportInfo(module.getExportByIndex(i));
      const f = e.kind === binaryen.ExternalFunction ? fnInfo(module.getFunction(e.value)) : null;
      exports.push({ kind: e.kind, name: e.name, params: f && binaryen.expandType(f.params), results: f && binaryen.expandType(f.results) });
    }
    return {
      functions, globals, tables, memory, exports,
      start: module.getStart() !== 0,
      text: module.emitText(),
      types: { i32: binaryen.i32, i64: binaryen.i64, f32: binaryen.f32, f64: binaryen.f64, v128: binaryen.v128 },
      kinds: { function: binaryen.ExternalFunction, table: binaryen.ExternalTable, memory: binaryen.ExternalMemory, global: binaryen.ExternalGlobal, tag: binaryen.ExternalTag },
    };
  } finally {
    module.dispose();
  }
}
function instrument(binaryen, wasm) {
  const module = binaryen.readBinary(wasm);
  try {
    module.runPasses(['log-execution']);
    return module.emitBinary();
  } finally {
    module.dispose();
  }
}
parentPort.on('message', async ({ id, op, wasm }) => {
  try {
    const binaryen = await loading;
    parentPort.postMessage({ id, result: op === 'read' ? read(binaryen, wasm) : instrument(binaryen, wasm) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

function host(): Worker {
  if (worker) return worker;
  const started = new Worker(HOST, { eval: true });
  started.unref(); // never keeps the process alive
  started.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
    const w = waiting.get(id);
    waiting.delete(id);
    if (!waiting.size) started.unref();
    if (error !== undefined) w?.reject(new Error(`binaryen: ${error}`));
    else w?.resolve(result);
  });
  started.on('error', (error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
    worker = null;
  });
  worker = started;
  return started;
}

function call<T>(op: 'read' | 'instrument', wasm: Uint8Array): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    const w = host();
    w.ref(); // while an answer is awaited
    w.postMessage({ id, op, wasm });
  });
}

/** binaryen's reading of a module (it must be valid: loadContract checked it). */
export const readModule = (wasm: Uint8Array) => call<RawModule>('read', wasm);

/**
 * The module with a call to env.log_execution at every function entry, return and loop iteration (binaryen's
 * log-execution pass): the sandbox counts them as fuel.
 */
export const instrumentForFuel = (wasm: Uint8Array) => call<Uint8Array>('instrument', wasm);
