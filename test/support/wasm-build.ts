// A WebAssembly module builder for tests, written apart from contracts/wasm (so a mistake there is not mirrored
// here): modules are generated at test time from a plain description, never committed as binaries.

export type Val = 'i32' | 'i64' | 'f32' | 'f64' | 'funcref' | 'externref' | 'v128';
const VAL: Record<Val, number> = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
  funcref: 0x70,
  externref: 0x6f,
};

export interface Limits {
  min: number;
  max?: number;
}

export type Import =
  | { module: string; name: string; kind: 'func'; type: number }
  | { module: string; name: string; kind: 'global'; val: Val; mutable?: boolean }
  | { module: string; name: string; kind: 'memory'; limits: Limits }
  | { module: string; name: string; kind: 'table'; limits: Limits };

export interface Func {
  type: number;
  locals?: [count: number, val: Val][];
  /** The instructions, without the final `end`. */
  body: number[] | Uint8Array;
}

export interface ModuleSpec {
  types?: [params: Val[], results: Val[]][];
  imports?: Import[];
  funcs?: Func[];
  tables?: Limits[];
  memories?: Limits[];
  globals?: { val: Val; mutable?: boolean; init: number[] }[];
  exports?: { name: string; kind: 'func' | 'table' | 'memory' | 'global'; index: number }[];
  start?: number;
  /** Active element segments on table 0: offset, function indices. */
  elems?: { offset: number; funcs: number[] }[];
  /** Active data segments on memory 0. */
  datas?: { offset: number; bytes: Uint8Array }[];
  customs?: { name: string; bytes: Uint8Array }[];
}

export function u(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const low = n & 0x7f;
    n = Math.floor(n / 128);
    if (n === 0) return [...out, low];
    out.push(low | 0x80);
  }
}

export function s(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  for (;;) {
    const low = Number(BigInt.asUintN(7, v));
    v >>= 7n;
    const done = (v === 0n && (low & 0x40) === 0) || (v === -1n && (low & 0x40) !== 0);
    out.push(done ? low : low | 0x80);
    if (done) return out;
  }
}

const str = (t: string) => {
  const b = [...new TextEncoder().encode(t)];
  return [...u(b.length), ...b];
};
const vector = (items: number[][]) => [...u(items.length), ...items.flat()];
const limits = (l: Limits) => (l.max === undefined ? [0x00, ...u(l.min)] : [0x01, ...u(l.min), ...u(l.max)]);
const KIND = { func: 0, table: 1, memory: 2, global: 3 } as const;

function section(id: number, contents: number[] | Uint8Array): Uint8Array {
  const head = [id, ...u(contents.length)];
  const out = new Uint8Array(head.length + contents.length);
  out.set(head);
  out.set(contents, head.length);
  return out;
}

export function buildModule(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])];
  const add = (id: number, contents: number[] | Uint8Array) => parts.push(section(id, contents));
  for (const c of spec.customs ?? []) add(0, [...str(c.name), ...c.bytes]);
  if (spec.types?.length)
    add(
      1,
      vector(
        spec.types.map(([p, r]) => [
          0x60,
          ...vector(p.map((t) => [VAL[t]])),
          ...vector(r.map((t) => [VAL[t]])),
        ]),
      ),
    );
  if (spec.imports?.length)
    add(
      2,
      vector(
        spec.imports.map((i) => {
          const head = [...str(i.module), ...str(i.name), KIND[i.kind]];
          if (i.kind === 'func') return [...head, ...u(i.type)];
          if (i.kind === 'global') return [...head, VAL[i.val], i.mutable ? 1 : 0];
          if (i.kind === 'memory') return [...head, ...limits(i.limits)];
          return [...head, 0x70, ...limits(i.limits)];
        }),
      ),
    );
  if (spec.funcs?.length) add(3, vector(spec.funcs.map((f) => u(f.type))));
  if (spec.tables?.length) add(4, vector(spec.tables.map((t) => [0x70, ...limits(t)])));
  if (spec.memories?.length) add(5, vector(spec.memories.map(limits)));
  if (spec.globals?.length)
    add(6, vector(spec.globals.map((g) => [VAL[g.val], g.mutable ? 1 : 0, ...g.init, 0x0b])));
  if (spec.exports?.length)
    add(7, vector(spec.exports.map((e) => [...str(e.name), KIND[e.kind], ...u(e.index)])));
  if (spec.start !== undefined) add(8, u(spec.start));
  if (spec.elems?.length)
    add(9, vector(spec.elems.map((e) => [0x00, 0x41, ...s(e.offset), 0x0b, ...vector(e.funcs.map(u))])));
  if (spec.funcs?.length) {
    const bodies = spec.funcs.map((f) => {
      const locals = vector((f.locals ?? []).map(([n, t]) => [...u(n), VAL[t]]));
      const length = locals.length + f.body.length + 1;
      const out = new Uint8Array(u(length).length + length);
      out.set(u(length));
      out.set(locals, u(length).length);
      out.set(f.body, u(length).length + locals.length);
      out[out.length - 1] = 0x0b;
      return out;
    });
    const size = bodies.reduce((n, b) => n + b.length, 0);
    const contents = new Uint8Array(u(bodies.length).length + size);
    contents.set(u(bodies.length));
    let at = u(bodies.length).length;
    for (const b of bodies) {
      contents.set(b, at);
      at += b.length;
    }
    add(10, contents);
  }
  if (spec.datas?.length)
    add(
      11,
      vector(spec.datas.map((d) => [0x00, 0x41, ...s(d.offset), 0x0b, ...u(d.bytes.length), ...d.bytes])),
    );
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Opcodes the generators use, by name. */
export const op = {
  unreachable: 0x00,
  nop: 0x01,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  br_table: 0x0e,
  return: 0x0f,
  call: 0x10,
  call_indirect: 0x11,
  drop: 0x1a,
  select: 0x1b,
  local_get: 0x20,
  local_set: 0x21,
  local_tee: 0x22,
  global_get: 0x23,
  global_set: 0x24,
  i32_load: 0x28,
  i64_load: 0x29,
  i32_store: 0x36,
  i64_store: 0x37,
  i32_store8: 0x3a,
  memory_size: 0x3f,
  memory_grow: 0x40,
  i32_const: 0x41,
  i64_const: 0x42,
  f32_const: 0x43,
  f64_const: 0x44,
  i32_eqz: 0x45,
  i32_eq: 0x46,
  i32_lt_u: 0x49,
  i64_eqz: 0x50,
  i32_add: 0x6a,
  i32_sub: 0x6b,
  i32_mul: 0x6c,
  i32_xor: 0x73,
  i64_add: 0x7c,
  i64_mul: 0x7e,
  f64_add: 0xa0,
  i64_extend_i32_u: 0xad,
  i32_extend8_s: 0xc0,
  prefix_fc: 0xfc,
  empty: 0x40,
} as const;
