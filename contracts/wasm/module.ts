import { Reader, WasmDecodeError } from './bytes.js';
import {
  FEATURES,
  refType,
  scanBody,
  scanConstant,
  Unsupported,
  valType,
  type BodyMarks,
  type CodeFacts,
  type ValType,
} from './code.js';

export type ExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag';
const KINDS: ExternKind[] = ['function', 'table', 'memory', 'global', 'tag'];

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

/** A memory's or table's size limits (pages or entries); `shared` is the threads proposal's flag. */
export interface Limits {
  min: number;
  max: number | null;
  shared: boolean;
}

export interface Section {
  id: number;
  /** Where the section's id byte is. */
  start: number;
  /** Where its contents begin (after the size). */
  body: number;
  end: number;
}

export interface Body {
  /** The body's bytes: its locals start at `start`, its instructions at `code`. */
  start: number;
  code: number;
  end: number;
  locals: number;
  marks: BodyMarks;
}

export interface DecodedModule {
  sections: Section[];
  types: FuncType[];
  imports: { module: string; name: string; kind: ExternKind; type?: number; limits?: Limits }[];
  /** Imported functions, tables, memories and globals come first in their index spaces. */
  imported: Record<'function' | 'table' | 'memory' | 'global', number>;
  /** The type index of each function the module defines. */
  functions: number[];
  tables: Limits[];
  memories: Limits[];
  globals: number;
  exports: { name: string; kind: ExternKind; index: number }[];
  start: number | null;
  bodies: Body[];
  customSections: string[];
  floats: boolean;
  growsMemory: boolean;
  /** Features outside the contract instruction set, each named once (code.ts FEATURES). */
  unsupported: string[];
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function limits(r: Reader, isMemory: boolean): Limits {
  const at = r.at;
  const flags = r.byte();
  if (flags > 7 || (!isMemory && flags > 1)) r.fail(`unknown limits flags 0x${flags.toString(16)}`, at);
  if (flags & 4) throw new Unsupported(FEATURES.memory64);
  const min = r.u32();
  const max = flags & 1 ? r.u32() : null;
  return { min, max, shared: (flags & 2) !== 0 };
}

function vec<T>(r: Reader, item: (i: number) => T): T[] {
  const n = r.u32();
  // Every item takes at least one byte: a count past what is left is malformed, and is not allocated.
  if (n > r.end - r.at) r.fail('vector longer than its section');
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(item(i));
  return out;
}

/**
 * Reads a WebAssembly module's structure: types, imports, functions, tables, memories, globals, exports, start,
 * custom section names, and every instruction of every body (floating point, memory.grow, loops). Linear in the
 * input and allocation-bounded by it; malformed input ends in a WasmDecodeError. The jail runs it only after V8
 * has validated the module, so it need not re-check types, but it never trusts a length or a count.
 */
export function decodeModule(wasm: Uint8Array): DecodedModule {
  const r = new Reader(wasm);
  for (const b of MAGIC) if (r.byte() !== b) r.fail('not a WebAssembly 1.0 module', 0);
  const m: DecodedModule = {
    sections: [],
    types: [],
    imports: [],
    imported: { function: 0, table: 0, memory: 0, global: 0 },
    functions: [],
    tables: [],
    memories: [],
    globals: 0,
    exports: [],
    start: null,
    bodies: [],
    customSections: [],
    floats: false,
    growsMemory: false,
    unsupported: [],
  };
  const facts: CodeFacts = m;
  const note = (error: unknown) => {
    if (!(error instanceof Unsupported)) throw error;
    if (!m.unsupported.includes(error.feature)) m.unsupported.push(error.feature);
  };
  while (!r.done) {
    const start = r.at;
    const id = r.byte();
    const size = r.u32();
    const s = r.sub(size);
    m.sections.push({ id, start, body: s.at, end: s.end });
    try {
      section(id, s, m, facts, note);
    } catch (error) {
      // A whole section outside the instruction set (a tag, a v128 global): named, and the rest still read.
      note(error);
      continue;
    }
    if (!s.done) s.fail('section longer than its contents');
  }
  if (m.memories.length + m.imported.memory > 1) note(new Unsupported(FEATURES.multiMemory));
  if (
    [...m.memories, ...m.imports.filter((i) => i.kind === 'memory').map((i) => i.limits!)].some(
      (l) => l.shared,
    )
  )
    note(new Unsupported(FEATURES.threads));
  if (m.bodies.length !== m.functions.length) r.fail('function and code sections disagree', wasm.length);
  return m;
}

function section(
  id: number,
  s: Reader,
  m: DecodedModule,
  facts: CodeFacts,
  note: (error: unknown) => void,
): void {
  switch (id) {
    case 0: {
      const name = s.name();
      m.customSections.push(name.slice(0, 64));
      s.at = s.end;
      return;
    }
    case 1:
      m.types = vec(s, () => {
        const form = s.byte();
        if (form !== 0x60) {
          if (form >= 0x4e && form <= 0x5f) throw new Unsupported(FEATURES.gc);
          s.fail(`unknown type form 0x${form.toString(16)}`);
        }
        return { params: vec(s, () => valType(s, facts)), results: vec(s, () => valType(s, facts)) };
      });
      return;
    case 2:
      m.imports = vec(s, () => {
        const module = s.name();
        const name = s.name();
        const at = s.at;
        const kind = KINDS[s.byte()];
        if (!kind) s.fail('unknown import kind', at);
        if (kind === 'function') {
          m.imported.function++;
          return { module, name, kind, type: s.u32() };
        }
        if (kind === 'table') {
          refType(s);
          m.imported.table++;
          return { module, name, kind, limits: limits(s, false) };
        }
        if (kind === 'memory') {
          m.imported.memory++;
          return { module, name, kind, limits: limits(s, true) };
        }
        if (kind === 'global') {
          valType(s, facts);
          s.byte();
          m.imported.global++;
          return { module, name, kind };
        }
        s.byte();
        s.u32();
        note(new Unsupported(FEATURES.exceptions));
        return { module, name, kind };
      });
      return;
    case 3:
      m.functions = vec(s, () => s.u32());
      return;
    case 4:
      m.tables = vec(s, () => {
        refType(s);
        return limits(s, false);
      });
      return;
    case 5:
      m.memories = vec(s, () => limits(s, true));
      return;
    case 6:
      vec(s, () => {
        valType(s, facts);
        s.byte();
        scanConstant(s, facts);
        m.globals++;
      });
      return;
    case 7:
      m.exports = vec(s, () => {
        const name = s.name();
        const at = s.at;
        const kind = KINDS[s.byte()];
        if (!kind) s.fail('unknown export kind', at);
        return { name, kind, index: s.u32() };
      });
      return;
    case 8:
      m.start = s.u32();
      return;
    case 9:
      vec(s, () => element(s, facts));
      return;
    case 10:
      m.bodies = vec(s, () => body(s, facts, note));
      return;
    case 11:
      vec(s, () => {
        const at = s.at;
        const flags = s.u32();
        if (flags > 2) s.fail('unknown data segment flags', at);
        if (flags === 2 && s.u32() !== 0) throw new Unsupported(FEATURES.multiMemory);
        if (flags !== 1) scanConstant(s, facts);
        s.skip(s.u32());
      });
      return;
    case 12:
      s.u32();
      return;
    case 13:
      throw new Unsupported(FEATURES.exceptions);
    default:
      s.fail(`unknown section ${id}`);
  }
}

/** An element segment, in any of the reference types proposal's eight encodings (flags 0-7). */
function element(s: Reader, facts: CodeFacts): void {
  const at = s.at;
  const flags = s.u32();
  if (flags > 7) s.fail('unknown element segment flags', at);
  const passiveOrDeclared = (flags & 1) !== 0;
  const explicitTable = (flags & 2) !== 0;
  const expressions = (flags & 4) !== 0;
  if (!passiveOrDeclared) {
    if (explicitTable) s.u32();
    scanConstant(s, facts);
  }
  if (passiveOrDeclared || explicitTable) {
    if (expressions) refType(s);
    else if (s.byte() !== 0x00) s.fail('unknown element kind');
  }
  vec(s, () => (expressions ? scanConstant(s, facts) : s.u32()));
}

function body(s: Reader, facts: CodeFacts, note: (error: unknown) => void): Body {
  const size = s.u32();
  const b = s.sub(size);
  const start = b.at;
  let locals = 0;
  const marks: BodyMarks = { loops: [], grows: [] };
  try {
    vec(b, () => {
      locals += b.u32();
      valType(b, facts);
    });
    if (locals > 50_000) b.fail('more than 50,000 locals'); // V8's limit (wasm-limits.h kV8MaxWasmFunctionLocals)
    const code = b.at;
    scanBody(b, facts, marks);
    return { start, code, end: b.end, locals, marks };
  } catch (error) {
    if (error instanceof WasmDecodeError) throw error;
    note(error);
    // Not read to its end: no marks, so nothing instruments a body that was not fully understood.
    return { start, code: b.end, end: b.end, locals, marks: { loops: [], grows: [] } };
  }
}
