import { createHash } from 'node:crypto';
import binaryen from 'binaryen';

export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'ref';
export type ExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag';

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
}

const KINDS: Record<number, ExternKind> = {
  [binaryen.ExternalFunction]: 'function',
  [binaryen.ExternalTable]: 'table',
  [binaryen.ExternalMemory]: 'memory',
  [binaryen.ExternalGlobal]: 'global',
  [binaryen.ExternalTag]: 'tag',
};

function valueType(type: number): ValueType {
  if (type === binaryen.i32) return 'i32';
  if (type === binaryen.i64) return 'i64';
  if (type === binaryen.f32) return 'f32';
  if (type === binaryen.f64) return 'f64';
  if (type === binaryen.v128) return 'v128';
  return 'ref';
}

const signature = (fn: binaryen.FunctionInfo): Signature => ({
  params: binaryen.expandType(fn.params).map(valueType),
  results: binaryen.expandType(fn.results).map(valueType),
});

/** What a valid module is made of, read with binaryen (the module was validated by loadContract). */
export function inspectModule(wasm: Uint8Array): ModuleReport {
  const module = binaryen.readBinary(wasm);
  try {
    const imports: ModuleReport['imports'] = [];
    let functions = 0;
    for (let i = 0; i < module.getNumFunctions(); i++) {
      const fn = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
      if (fn.module)
        imports.push({ module: fn.module, name: fn.base ?? '', kind: 'function', ...signature(fn) });
      else functions++;
    }
    for (let i = 0; i < module.getNumGlobals(); i++) {
      const global = binaryen.getGlobalInfo(module.getGlobalByIndex(i));
      if (global.module) imports.push({ module: global.module, name: global.base ?? '', kind: 'global' });
    }
    const tables: ModuleReport['tables'] = [];
    for (let i = 0; i < module.getNumTables(); i++) {
      const table = binaryen.getTableInfo(module.getTableByIndex(i));
      if (table.module) imports.push({ module: table.module, name: table.base ?? '', kind: 'table' });
      tables.push({ initial: table.initial, max: table.max ?? null });
    }
    let memory: ModuleReport['memory'] = null;
    if (module.hasMemory()) {
      const info = module.getMemoryInfo();
      if (info.module) imports.push({ module: info.module, name: info.base ?? '', kind: 'memory' });
      memory = { initialPages: info.initial, maxPages: info.max ?? null };
    }
    const exports: ModuleReport['exports'] = [];
    for (let i = 0; i < module.getNumExports(); i++) {
      const info = binaryen.getExportInfo(module.getExportByIndex(i));
      const kind = KINDS[info.kind] ?? 'function';
      exports.push(
        kind === 'function'
          ? { name: info.name, kind, ...signature(binaryen.getFunctionInfo(module.getFunction(info.value))) }
          : { name: info.name, kind },
      );
    }
    // Names and strings stripped, so "$f32_total" or a data string do not count as floating point.
    const code = module
      .emitText()
      .replace(/"(?:[^"\\]|\\.)*"/g, '""')
      .replace(/\$[^\s()]+/g, '$');
    return {
      size: wasm.length,
      sha256: createHash('sha256').update(wasm).digest('hex'),
      functions,
      exports,
      imports,
      memory,
      tables,
      globals: module.getNumGlobals(),
      startFunction: module.getStart() !== 0,
      customSections: customSectionNames(wasm),
      usesFloats: /\bf(32|64)\b/.test(code),
      growsMemory: /\bmemory\.grow\b/.test(code),
    };
  } finally {
    module.dispose();
  }
}

/** Names of the custom sections (id 0), in order: binaryen keeps only some of them, so the bytes are read. */
function customSectionNames(wasm: Uint8Array): string[] {
  const names: string[] = [];
  let at = 8; // magic and version
  const leb = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = wasm[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < wasm.length) {
    const id = wasm[at++]!;
    const size = leb();
    const end = at + size;
    if (id === 0) {
      const length = leb();
      names.push(new TextDecoder().decode(wasm.subarray(at, at + length)).slice(0, 64));
    }
    at = end;
  }
  return names;
}
