import { createHash } from 'node:crypto';
import { readModule } from './binaryen-host.js';

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

/** What a valid module is made of, read by binaryen (the module was validated by loadContract). */
export async function inspectModule(wasm: Uint8Array): Promise<ModuleReport> {
  const raw = await readModule(wasm);
  const typeName = (type: number): ValueType =>
    type === raw.types.i32
      ? 'i32'
      : type === raw.types.i64
        ? 'i64'
        : type === raw.types.f32
          ? 'f32'
          : type === raw.types.f64
            ? 'f64'
            : type === raw.types.v128
              ? 'v128'
              : 'ref';
  const kindName = (kind: number): ExternKind =>
    (Object.entries(raw.kinds).find(([, v]) => v === kind)?.[0] as ExternKind | undefined) ?? 'function';
  const imports: ModuleReport['imports'] = [];
  for (const fn of raw.functions)
    if (fn.module)
      imports.push({
        module: fn.module,
        name: fn.base ?? '',
        kind: 'function',
        params: fn.params.map(typeName),
        results: fn.results.map(typeName),
      });
  for (const g of raw.globals)
    if (g.module) imports.push({ module: g.module, name: g.base ?? '', kind: 'global' });
  for (const t of raw.tables)
    if (t.module) imports.push({ module: t.module, name: t.base ?? '', kind: 'table' });
  if (raw.memory?.module)
    imports.push({ module: raw.memory.module, name: raw.memory.base ?? '', kind: 'memory' });
  // Names and strings stripped, so "$f32_total" or a data string do not count as floating point.
  const code = raw.text.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\$[^\s()]+/g, '$');
  return {
    size: wasm.length,
    sha256: createHash('sha256').update(wasm).digest('hex'),
    functions: raw.functions.filter((f) => !f.module).length,
    exports: raw.exports.map((e) => {
      const kind = kindName(e.kind);
      return kind === 'function'
        ? {
            name: e.name,
            kind,
            params: (e.params ?? []).map(typeName),
            results: (e.results ?? []).map(typeName),
          }
        : { name: e.name, kind };
    }),
    imports,
    memory: raw.memory ? { initialPages: raw.memory.initial, maxPages: raw.memory.max } : null,
    tables: raw.tables.map((t) => ({ initial: t.initial, max: t.max })),
    globals: raw.globals.length,
    startFunction: raw.start,
    customSections: customSectionNames(wasm),
    usesFloats: /\bf(32|64)\b/.test(code),
    growsMemory: /\bmemory\.grow\b/.test(code),
  };
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
