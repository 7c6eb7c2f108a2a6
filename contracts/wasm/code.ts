import { Reader } from './bytes.js';

/**
 * The instruction set a contract may use: WebAssembly 1.0 plus the finished proposals that keep a contract
 * deterministic and bounded (sign extension, multi-value, bulk memory, reference types, tail calls, saturating
 * conversions). Anything else is named as a feature the contract may not use; floating point is allowed here and
 * flagged, because the checks name it separately.
 */
export const FEATURES = {
  simd: 'SIMD (v128 vectors)',
  threads: 'threads (atomics or shared memory)',
  exceptions: 'exception handling',
  gc: 'garbage-collected or typed references',
  multiMemory: 'more than one memory',
  memory64: '64-bit memory',
} as const;

/** Thrown where an instruction or type outside the contract instruction set begins. */
export class Unsupported extends Error {
  constructor(readonly feature: string) {
    super(feature);
  }
}

/** What a module's code contains, gathered while reading it. */
export interface CodeFacts {
  floats: boolean;
  growsMemory: boolean;
}

/** Where a function body needs instrumenting: after each loop's block type, and each memory.grow. */
export interface BodyMarks {
  loops: number[];
  grows: { start: number; end: number }[];
}

const INT_TYPES: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64' };
const FLOAT_TYPES: Record<number, string> = { 0x7d: 'f32', 0x7c: 'f64' };
const REF_TYPES: Record<number, string> = { 0x70: 'funcref', 0x6f: 'externref' };

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'funcref' | 'externref';

/**
 * A GC (or exception-handling) proposal reference type: 0x63/0x64 (ref null ht / ref ht), the abbreviations
 * 0x69-0x6e (exnref, array, struct, i31, eq, any) and 0x71-0x74 (none, noextern, nofunc, noexn). Node 20's V8
 * refuses them; Node 22+ accepts them, so they must read as "unsupported", not as malformed.
 */
const isGcType = (b: number) => (b >= 0x60 && b < 0x70) || (b >= 0x71 && b <= 0x74);

/** A value type; v128 and the GC proposal's types are outside the instruction set. */
export function valType(r: Reader, facts: CodeFacts): ValType {
  const at = r.at;
  const b = r.byte();
  if (b === 0x7b) throw new Unsupported(FEATURES.simd);
  const name = INT_TYPES[b] ?? FLOAT_TYPES[b] ?? REF_TYPES[b];
  if (!name) {
    if (isGcType(b)) throw new Unsupported(FEATURES.gc);
    r.fail(`unknown value type 0x${b.toString(16)}`, at);
  }
  if (FLOAT_TYPES[b]) facts.floats = true;
  return name as ValType;
}

export function refType(r: Reader): void {
  const at = r.at;
  const b = r.byte();
  if (!REF_TYPES[b]) {
    if (isGcType(b)) throw new Unsupported(FEATURES.gc);
    r.fail(`unknown reference type 0x${b.toString(16)}`, at);
  }
}

function blockType(r: Reader, facts: CodeFacts): void {
  // 0x40 is empty; other single bytes with the sign bit (0x41-0x7f) are value types; else a type index (s33 >= 0).
  const b = r.done ? undefined : r.bytes[r.at];
  if (b === 0x40) r.at++;
  else if (b !== undefined && b > 0x40 && b < 0x80) valType(r, facts);
  else if (r.signed(33) < 0) r.fail('negative block type');
}

function memarg(r: Reader): void {
  const align = r.u32();
  if (align >= 64) throw new Unsupported(FEATURES.multiMemory); // bit 6 announces a memory index
  r.u32();
}

/** memory.size and memory.grow name memory 0 with one zero byte; another index is multi-memory. */
function memoryIndex(r: Reader): void {
  if (r.u32() !== 0) throw new Unsupported(FEATURES.multiMemory);
}

// Opcodes without immediates: the integer and float numeric instructions, drop, select, nop, unreachable...
const PLAIN = new Uint8Array(256);
for (const op of [0x00, 0x01, 0x05, 0x0b, 0x0f, 0x1a, 0x1b, 0xd1]) PLAIN[op] = 1;
for (let op = 0x45; op <= 0xc4; op++) PLAIN[op] = 1;
// Float instructions: loads and stores, constants, comparisons, arithmetic, conversions and reinterpretations.
const FLOAT_OP = new Uint8Array(256);
for (const op of [0x2a, 0x2b, 0x38, 0x39, 0x43, 0x44]) FLOAT_OP[op] = 1;
for (const [from, to] of [
  [0x5b, 0x66],
  [0x8b, 0xa6],
  [0xa8, 0xab],
  [0xae, 0xbf],
] as const)
  for (let op = from; op <= to; op++) FLOAT_OP[op] = 1;
const EXCEPTIONS = new Set([0x06, 0x07, 0x08, 0x09, 0x18, 0x19, 0x1f]);
const TYPED_REFS = new Set([0x14, 0x15, 0xd3, 0xd4, 0xd5, 0xd6]);

/**
 * Reads one instruction (its opcode already read as `op`), noting what it tells about the module. Throws
 * Unsupported at the first instruction outside the contract instruction set.
 */
function instruction(r: Reader, op: number, start: number, facts: CodeFacts, marks: BodyMarks | null): void {
  if (FLOAT_OP[op]) facts.floats = true;
  if (PLAIN[op]) return;
  switch (op) {
    case 0x02:
    case 0x04:
      return blockType(r, facts);
    case 0x03:
      blockType(r, facts);
      marks?.loops.push(r.at);
      return;
    case 0x0c:
    case 0x0d:
    case 0x10:
    case 0x12:
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0xd2:
      r.u32();
      return;
    case 0x0e: {
      const n = r.u32();
      for (let i = 0; i <= n; i++) r.u32();
      return;
    }
    case 0x11:
    case 0x13:
      r.u32();
      r.u32();
      return;
    case 0x1c: {
      const n = r.u32();
      for (let i = 0; i < n; i++) valType(r, facts);
      return;
    }
    case 0x3f:
      return memoryIndex(r);
    case 0x40:
      memoryIndex(r);
      facts.growsMemory = true;
      marks?.grows.push({ start, end: r.at });
      return;
    case 0x41:
      r.signed(32);
      return;
    case 0x42:
      r.signed(64);
      return;
    case 0x43:
      return r.skip(4);
    case 0x44:
      return r.skip(8);
    case 0xd0:
      return refType(r);
    case 0xfc:
      return prefixed(r, facts);
    case 0xfd:
      throw new Unsupported(FEATURES.simd);
    case 0xfe:
      throw new Unsupported(FEATURES.threads);
    case 0xfb:
      throw new Unsupported(FEATURES.gc);
  }
  if (op >= 0x28 && op <= 0x3e) return memarg(r);
  if (EXCEPTIONS.has(op)) throw new Unsupported(FEATURES.exceptions);
  if (TYPED_REFS.has(op)) throw new Unsupported(FEATURES.gc);
  r.fail(`unknown opcode 0x${op.toString(16)}`, start);
}

/** 0xFC: saturating conversions (float), bulk memory and table instructions. */
function prefixed(r: Reader, facts: CodeFacts): void {
  const at = r.at;
  const sub = r.u32();
  if (sub <= 7) facts.floats = true;
  else if (sub === 8) {
    r.u32();
    memoryIndex(r);
  } else if (sub === 10) {
    memoryIndex(r);
    memoryIndex(r);
  } else if (sub === 11) memoryIndex(r);
  else if (sub === 12 || sub === 14) {
    r.u32();
    r.u32();
  } else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) r.u32();
  else r.fail(`unknown opcode 0xfc ${sub}`, at);
}

/** A function body's instructions, to its end (the reader ends where the body does). */
export function scanBody(r: Reader, facts: CodeFacts, marks: BodyMarks | null): void {
  while (!r.done) {
    const start = r.at;
    instruction(r, r.byte(), start, facts, marks);
  }
  if (r.bytes[r.end - 1] !== 0x0b) r.fail('function body must end with end');
}

/** A constant expression (a global's value, a segment's offset): instructions up to its end. */
export function scanConstant(r: Reader, facts: CodeFacts): void {
  for (;;) {
    const start = r.at;
    const op = r.byte();
    if (op === 0x0b) return;
    if (op === 0x02 || op === 0x03 || op === 0x04) r.fail('block in a constant expression', start);
    instruction(r, op, start, facts, null);
  }
}
