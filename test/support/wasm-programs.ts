// Terminating programs generated from a small grammar, compiled two ways by the same code generator: plainly (what
// the instrumenter gets) and with `call $tick` (an import) at every function entry and loop iteration, an
// independent count of what fuel must measure. Both are built with test/support/wasm-build.ts.
import fc from 'fast-check';
import { buildModule, op, s, u, type Func, type ModuleSpec } from './wasm-build.js';

export type Stmt =
  | { k: 'loop'; n: number; body: Stmt[] }
  | { k: 'block'; body: Stmt[]; exit: boolean; after: Stmt[] }
  | { k: 'if'; cond: boolean; then: Stmt[]; else: Stmt[] }
  | { k: 'add'; v: number }
  | { k: 'call'; helper: number }
  | { k: 'store'; slot: number; v: number }
  | { k: 'load'; slot: number }
  | { k: 'grow'; pages: number }
  | { k: 'size' }
  | { k: 'switch'; index: number };

export interface Program {
  /** helpers[i] may call only helpers after it, so every program ends. */
  helpers: Stmt[][];
  main: Stmt[];
  memory: { min: number; max: number };
}

export function programArb(maxHelpers = 3): fc.Arbitrary<Program> {
  const leaf = (helperCount: number) =>
    fc.oneof(
      fc.record({ k: fc.constant('add' as const), v: fc.integer({ min: -1000, max: 1000 }) }),
      fc.record({ k: fc.constant('store' as const), slot: fc.nat(63), v: fc.integer() }),
      fc.record({ k: fc.constant('load' as const), slot: fc.nat(63) }),
      fc.record({ k: fc.constant('grow' as const), pages: fc.nat(3) }),
      fc.record({ k: fc.constant('size' as const) }),
      fc.record({ k: fc.constant('switch' as const), index: fc.nat(3) }),
      ...(helperCount
        ? [fc.record({ k: fc.constant('call' as const), helper: fc.nat(helperCount - 1) })]
        : []),
    );
  const stmts = (helperCount: number) =>
    fc.letrec<{ list: Stmt[]; stmt: Stmt }>((tie) => ({
      list: fc.array(tie('stmt'), { maxLength: 4 }),
      stmt: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf(helperCount),
        fc.record({ k: fc.constant('loop' as const), n: fc.nat(4), body: tie('list') }),
        fc.record({
          k: fc.constant('block' as const),
          body: tie('list'),
          exit: fc.boolean(),
          after: tie('list'),
        }),
        fc.record({
          k: fc.constant('if' as const),
          cond: fc.boolean(),
          then: tie('list'),
          else: tie('list'),
        }),
      ),
    })).list;
  return fc.nat(maxHelpers).chain((n) =>
    fc.record({
      // Helper i calls helpers after it: generated with the count of those, then shifted.
      helpers: fc
        .tuple(...Array.from({ length: n }, (_, i) => stmts(n - i - 1)))
        .map((hs) => hs.map((h, i) => shiftCalls(h, i + 1))),
      main: stmts(n),
      memory: fc
        .integer({ min: 1, max: 4 })
        .chain((min) => fc.record({ min: fc.constant(min), max: fc.integer({ min, max: 8 }) })),
    }),
  );
}

function shiftCalls(list: Stmt[], by: number): Stmt[] {
  return list.map((st) => {
    switch (st.k) {
      case 'call':
        return { ...st, helper: st.helper + by };
      case 'loop':
        return { ...st, body: shiftCalls(st.body, by) };
      case 'block':
        return { ...st, body: shiftCalls(st.body, by), after: shiftCalls(st.after, by) };
      case 'if':
        return { ...st, then: shiftCalls(st.then, by), else: shiftCalls(st.else, by) };
      default:
        return st;
    }
  });
}

/** Code for a function body: local 0 is the i64 accumulator, locals 1.. the loop counters. */
class Emitter {
  readonly code: number[] = [];
  counters = 0;
  loops = 0;
  grows = 0;

  constructor(
    private readonly tick: number | null,
    private readonly firstHelper: number,
  ) {}

  private acc(...compute: number[]) {
    // acc = acc + <compute, an i64>
    this.code.push(op.local_get, 0, ...compute, op.i64_add, op.local_set, 0);
  }

  list(stmts: Stmt[]) {
    for (const st of stmts) this.stmt(st);
  }

  stmt(st: Stmt) {
    const c = this.code;
    switch (st.k) {
      case 'add':
        c.push(op.local_get, 0, op.i64_const, ...s(31), op.i64_mul, op.i64_const, ...s(st.v), op.i64_add);
        c.push(op.local_set, 0);
        return;
      case 'store':
        c.push(op.i32_const, ...s(st.slot * 8), op.i64_const, ...s(st.v), op.i64_store, 3, 0);
        return;
      case 'load':
        return this.acc(op.i32_const, ...s(st.slot * 8), op.i64_load, 3, 0);
      case 'grow':
        this.grows++;
        return this.acc(op.i32_const, ...s(st.pages), op.memory_grow, 0, 0xac); // i64.extend_i32_s
      case 'size':
        return this.acc(op.memory_size, 0, op.i64_extend_i32_u);
      case 'call':
        return this.acc(op.call, ...u(this.firstHelper + st.helper));
      case 'switch':
        // block block (i32.const index) br_table 0 1 1 end acc+=1 end acc+=2
        c.push(op.block, op.empty, op.block, op.empty, op.i32_const, ...s(st.index));
        c.push(op.br_table, 2, 0, 1, 1, op.end);
        this.acc(op.i64_const, 1);
        c.push(op.end);
        return this.acc(op.i64_const, 2);
      case 'if':
        c.push(op.i32_const, st.cond ? 1 : 0, op.if, op.empty);
        this.list(st.then);
        c.push(op.else);
        this.list(st.else);
        c.push(op.end);
        return;
      case 'block':
        c.push(op.block, op.empty);
        this.list(st.body);
        if (st.exit) c.push(op.i32_const, 1, op.br_if, 0);
        this.list(st.after);
        c.push(op.end);
        return;
      case 'loop': {
        this.loops++;
        const counter = 1 + this.counters++;
        // counter = n; block loop [tick] (br_if 1 (counter == 0)) body; counter -= 1; br 0 end end
        c.push(op.i32_const, ...s(st.n), op.local_set, counter, op.block, op.empty, op.loop, op.empty);
        if (this.tick !== null) c.push(op.call, this.tick);
        c.push(op.local_get, counter, op.i32_eqz, op.br_if, 1);
        this.list(st.body);
        c.push(
          op.local_get,
          counter,
          op.i32_const,
          1,
          op.i32_sub,
          op.local_set,
          counter,
          op.br,
          0,
          op.end,
          op.end,
        );
        return;
      }
    }
  }
}

export interface Compiled {
  wasm: Uint8Array<ArrayBuffer>;
  /** Loops and memory.grow instructions written, over all functions. */
  loops: number;
  grows: number;
}

/**
 * The program as a module: type 0 is () -> i64 (main and helpers), type 1 () -> () (the tick). With `ticks`,
 * function 0 is the imported env.tick and every function entry and loop iteration calls it.
 */
export function compile(program: Program, ticks: boolean): Compiled {
  const tick = ticks ? 0 : null;
  const base = ticks ? 1 : 0;
  let loops = 0;
  let grows = 0;
  const fn = (stmts: Stmt[]): Func => {
    const e = new Emitter(tick, base + 1);
    if (tick !== null) e.code.push(op.call, tick);
    e.list(stmts);
    e.code.push(op.local_get, 0);
    loops += e.loops;
    grows += e.grows;
    return {
      type: 0,
      locals: [[1, 'i64'], ...(e.counters ? [[e.counters, 'i32'] as [number, 'i32']] : [])],
      body: e.code,
    };
  };
  const spec: ModuleSpec = {
    types: [
      [[], ['i64']],
      [[], []],
    ],
    imports: ticks ? [{ module: 'env', name: 'tick', kind: 'func', type: 1 }] : [],
    funcs: [fn(program.main), ...program.helpers.map(fn)],
    memories: [program.memory],
    exports: [
      { name: 'main', kind: 'func', index: base },
      { name: 'memory', kind: 'memory', index: 0 },
    ],
  };
  return { wasm: buildModule(spec), loops, grows };
}
