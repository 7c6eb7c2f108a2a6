import { concat, encodeName, encodeSection, Reader, sleb, uleb } from './bytes.js';
import type { DecodedModule, Limits, Section } from './module.js';

/**
 * The module the sandbox runs: the contract's own code, made to respect limits the runtime enforces rather than
 * ones the host checks now and then.
 *
 * - Fuel: a mutable i64 global, decremented at every function entry and loop iteration; at zero the code traps
 *   (`unreachable`) before doing anything more. The host sets it before a call and reads what is left after.
 *   Straight-line code between two ticks is bounded by the code size, so fuel bounds the work of a call.
 * - Memory: every memory's maximum is clamped to the cap (a memory declared without one gets the cap), so
 *   `memory.grow` past it returns -1 as the spec allows (core spec, "memory.grow": "the operation may fail").
 *   V8 never reserves or commits more than the clamped maximum. Each `memory.grow` becomes a call to an added
 *   function that refuses a grow past the maximum itself and counts refused grows in a second global, so a report
 *   can say the contract hit the cap.
 * - Tables: every table's maximum is clamped the same way, so `table.grow` past it returns -1.
 *
 * Only additions at the end of each index space (a type, a function, two globals, two exports), so no existing
 * index changes and the names section stays true. The global starts at zero: a start function, if one slipped
 * through, traps at its first instruction before the host has given any fuel.
 */
export interface SandboxModule {
  wasm: Uint8Array<ArrayBuffer>;
  /** Export names of the fuel global (i64, units left) and the refused-grow counter (i32). */
  fuel: string;
  refusedGrows: string;
}

export interface Caps {
  memoryPages: number;
  tableEntries: number;
}

/** A limit the module's own declaration breaks before anything runs; the checks name these first. */
export class OverCap extends Error {}

// Section order of the core spec (custom sections aside): type, import, function, table, memory, tag, global,
// export, start, element, data count, code, data.
const ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
const rank = (id: number) => ORDER.indexOf(id);

function clampLimits(l: Limits, cap: number, what: string): number[] {
  if (l.min > cap) throw new OverCap(`its ${what} starts at ${l.min}, above the cap of ${cap}`);
  return [0x01, ...uleb(l.min), ...uleb(Math.min(l.max ?? cap, cap))];
}

function unusedName(m: DecodedModule, wanted: string): string {
  let name = wanted;
  for (let i = 1; m.exports.some((e) => e.name === name); i++) name = `${wanted}${i}`;
  return name;
}

export function instrumentModule(wasm: Uint8Array, m: DecodedModule, caps: Caps): SandboxModule {
  if (m.unsupported.length) throw new OverCap(`it uses ${m.unsupported.join(', ')}`);
  if (m.imported.memory || m.imported.table)
    throw new OverCap('it imports a memory or table, which the host does not provide');
  const fuelGlobal = m.imported.global + m.globals;
  const refusedGlobal = fuelGlobal + 1;
  const hookType = m.types.length;
  const hookFunction = m.imported.function + m.functions.length;
  const fuel = unusedName(m, '__fuel');
  const refusedGrows = unusedName(m, '__refused_grows');
  const G = uleb(fuelGlobal);
  const R = uleb(refusedGlobal);
  // global.get F; i64.eqz; if; unreachable; end; global.get F; i64.const 1; i64.sub; global.set F
  const tick = [0x23, ...G, 0x50, 0x04, 0x40, 0x00, 0x0b, 0x23, ...G, 0x42, 0x01, 0x7d, 0x24, ...G];
  const callHook = [0x10, ...uleb(hookFunction)];
  const hook = m.growsMemory;

  const section = (id: number) => m.sections.find((s) => s.id === id);
  const contents = (s: Section | undefined) => (s ? wasm.subarray(s.body, s.end) : new Uint8Array([0]));
  /** A vector section's contents with items appended (the count rewritten). */
  const appended = (s: Section | undefined, items: number[][]): Uint8Array => {
    const r = new Reader(wasm, s?.body ?? 0, s?.end ?? 0);
    const count = s ? r.u32() : 0;
    return concat([uleb(count + items.length), wasm.subarray(r.at, r.end), ...items]);
  };
  /** A limits vector section (tables or memories) with each entry's maximum clamped. */
  const clamped = (list: Limits[], cap: number, what: string, prefix: (i: number) => number[]) =>
    concat([uleb(list.length), ...list.map((l, i) => [...prefix(i), ...clampLimits(l, cap, what)])]);

  const replaced = new Map<number, Uint8Array>();
  if (hook) {
    replaced.set(1, appended(section(1), [[0x60, 0x01, 0x7f, 0x01, 0x7f]]));
    replaced.set(3, appended(section(3), [uleb(hookType)]));
  }
  if (m.tables.length) {
    const types = tableTypes(wasm, section(4)!, m.tables.length);
    replaced.set(
      4,
      clamped(m.tables, caps.tableEntries, 'table', (i) => [types[i]!]),
    );
  }
  if (m.memories.length)
    replaced.set(
      5,
      clamped(m.memories, caps.memoryPages, 'memory', () => []),
    );
  replaced.set(
    6,
    appended(section(6), [
      [0x7e, 0x01, 0x42, 0x00, 0x0b], // (mut i64) (i64.const 0)
      [0x7f, 0x01, 0x41, 0x00, 0x0b], // (mut i32) (i32.const 0)
    ]),
  );
  replaced.set(
    7,
    appended(section(7), [
      [...encodeName(fuel), 0x03, ...G],
      [...encodeName(refusedGrows), 0x03, ...R],
    ]),
  );
  if (m.bodies.length || hook) {
    const bodies = m.bodies.map((b) => {
      const out: ArrayLike<number>[] = [wasm.subarray(b.start, b.code), tick];
      let at = b.code;
      const cuts = [
        ...b.marks.loops.map((p) => ({ start: p, end: p, insert: tick })),
        ...b.marks.grows.map((g) => ({ start: g.start, end: g.end, insert: callHook })),
      ].sort((x, y) => x.start - y.start);
      for (const cut of cuts) {
        out.push(wasm.subarray(at, cut.start), cut.insert);
        at = cut.end;
      }
      out.push(wasm.subarray(at, b.end));
      const code = concat(out);
      return concat([uleb(code.length), code]);
    });
    if (hook) {
      // A grow past the clamped maximum is refused here without asking the engine: a failed memory.grow is a
      // slow runtime call, and a loop of them would outlast the time limit before fuel ran out.
      // (func (param $d i32) (result i32) (local $r i32)
      //   (if (result i32) (i64.gt_u (i64.add (memory.size) (d)) (i64.const MAX))
      //     (then refused++ (i32.const -1))
      //     (else (local.set $r (memory.grow (d))) (if (r == -1) refused++) (r))))
      const refused = [0x23, ...R, 0x41, 0x01, 0x6a, 0x24, ...R];
      const max = Math.min(m.memories[0]?.max ?? caps.memoryPages, caps.memoryPages);
      const code = [
        ...[0x01, 0x01, 0x7f],
        ...[0x3f, 0x00, 0xad, 0x20, 0x00, 0xad, 0x7c, 0x42, ...sleb(max), 0x56, 0x04, 0x7f],
        ...[...refused, 0x41, 0x7f],
        ...[
          0x05,
          0x20,
          0x00,
          0x40,
          0x00,
          0x22,
          0x01,
          0x41,
          0x7f,
          0x46,
          0x04,
          0x40,
          ...refused,
          0x0b,
          0x20,
          0x01,
        ],
        ...[0x0b, 0x0b],
      ];
      bodies.push(concat([uleb(code.length), code]));
    }
    replaced.set(10, concat([uleb(bodies.length), ...bodies]));
  }

  const out: ArrayLike<number>[] = [wasm.subarray(0, 8)];
  const pending = [...replaced.keys()].filter((id) => !section(id)).sort((a, b) => rank(a) - rank(b));
  for (const s of m.sections) {
    if (s.id !== 0) while (pending.length && rank(pending[0]!) < rank(s.id)) emit(pending.shift()!);
    if (replaced.has(s.id) && s.id !== 0) out.push(encodeSection(s.id, replaced.get(s.id)!));
    else out.push(wasm.subarray(s.start, s.end));
  }
  while (pending.length) emit(pending.shift()!);
  function emit(id: number) {
    out.push(encodeSection(id, replaced.get(id) ?? contents(undefined)));
  }
  return { wasm: concat(out), fuel, refusedGrows };
}

/** The reference type byte of each table in the table section (the limits are rewritten, the type kept). */
function tableTypes(wasm: Uint8Array, s: Section, count: number): number[] {
  const r = new Reader(wasm, s.body, s.end);
  r.u32();
  const types: number[] = [];
  for (let i = 0; i < count; i++) {
    types.push(r.byte());
    const flags = r.byte();
    r.u32();
    if (flags & 1) r.u32();
  }
  return types;
}
