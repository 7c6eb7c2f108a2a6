import { createHash } from 'node:crypto';
import type { ValType } from './wasm/code.js';
import { decodeModule, type DecodedModule, type ExternKind, type FuncType } from './wasm/module.js';

export type { ExternKind };
export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'ref';

export interface Signature {
  params: ValueType[];
  results: ValueType[];
}

export interface ModuleReport {
  size: number;
  sha256: string;
  functions: number;
  exports: ({ name: string; kind: ExternKind } & Partial<Signature>)[];
  imports: ({ module: string; name: string; kind: ExternKind } & Partial<Signature>)[];
  memory: { initialPages: number; maxPages: number | null } | null;
  tables: { initial: number; max: number | null }[];
  globals: number;
  startFunction: boolean;
  customSections: string[];
  /** Floating-point types or instructions anywhere in the code. */
  usesFloats: boolean;
  /** memory.grow anywhere in the code. */
  growsMemory: boolean;
  /** WebAssembly features outside the contract instruction set (wasm/code.ts FEATURES). */
  unsupported: string[];
}

const valueType = (t: ValType): ValueType => (t === 'funcref' || t === 'externref' ? 'ref' : t);
const signature = (type: FuncType | undefined): Partial<Signature> =>
  type ? { params: type.params.map(valueType), results: type.results.map(valueType) } : {};

/** The type of function `index` (imported functions first, as in the module's function index space). */
function typeOfFunction(m: DecodedModule, index: number): FuncType | undefined {
  const imported = m.imports.filter((i) => i.kind === 'function');
  const typeIndex = index < imported.length ? imported[index]!.type : m.functions[index - imported.length];
  return typeIndex === undefined ? undefined : m.types[typeIndex];
}

/**
 * What a module is made of, read by the project's own decoder (wasm/module.ts): no external parser, so a
 * module's shape cannot exhaust one. The bytes must be a module V8 validated (loadContract).
 */
export function inspectModule(wasm: Uint8Array): ModuleReport {
  return reportOf(wasm, decodeModule(wasm));
}

export function reportOf(wasm: Uint8Array, m: DecodedModule): ModuleReport {
  const memoryImport = m.imports.find((i) => i.kind === 'memory');
  const memory = memoryImport?.limits ?? m.memories[0];
  return {
    size: wasm.length,
    sha256: createHash('sha256').update(wasm).digest('hex'),
    functions: m.functions.length,
    exports: m.exports.map((e) =>
      e.kind === 'function'
        ? { name: e.name, kind: e.kind, ...signature(typeOfFunction(m, e.index)) }
        : { name: e.name, kind: e.kind },
    ),
    imports: m.imports.map((i) =>
      i.kind === 'function'
        ? { module: i.module, name: i.name, kind: i.kind, ...signature(m.types[i.type!]) }
        : { module: i.module, name: i.name, kind: i.kind },
    ),
    memory: memory ? { initialPages: memory.min, maxPages: memory.max } : null,
    tables: [...m.imports.filter((i) => i.kind === 'table').map((i) => i.limits!), ...m.tables].map((t) => ({
      initial: t.min,
      max: t.max,
    })),
    globals: m.imported.global + m.globals,
    startFunction: m.start !== null,
    customSections: m.customSections,
    usesFloats: m.floats,
    growsMemory: m.growsMemory,
    unsupported: m.unsupported,
  };
}
