// The sandbox's instrumentation, attacked with generated modules: programs from a grammar run the same with and
// without it, fuel counts exactly what an independent tick import counts (and stops a call at that count), and
// memories and tables of any declared limits cannot grow past the caps, with every refused grow counted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instrumentModule, OverCap, type SandboxModule } from '../../../contracts/wasm/instrument.js';
import { decodeModule } from '../../../contracts/wasm/module.js';
import { buildModule, op, s, u } from '../../support/wasm-build.js';
import { compile, programArb } from '../../support/wasm-programs.js';

const CAPS = { memoryPages: 16, tableEntries: 1024 };

function instrument(wasm: Uint8Array): SandboxModule {
  return instrumentModule(wasm, decodeModule(wasm), CAPS);
}

type Outcome = { value: bigint } | { trap: string };

function runPlain(wasm: Uint8Array<ArrayBuffer>, imports: WebAssembly.Imports = {}): Outcome {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(wasm), imports);
  try {
    return { value: (exports.main as () => bigint)() };
  } catch (error) {
    return { trap: (error as Error).message };
  }
}

function runFuelled(sandbox: SandboxModule, fuel: bigint): Outcome & { left: bigint } {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(sandbox.wasm), {});
  const global = exports[sandbox.fuel] as WebAssembly.Global;
  global.value = fuel;
  try {
    return { value: (exports.main as () => bigint)(), left: global.value as bigint };
  } catch (error) {
    return { trap: (error as Error).message, left: global.value as bigint };
  }
}

describe('fuel', () => {
  it('generated programs: same result, fuel used = ticks counted by an import, and one unit less stops them', () => {
    fc.assert(
      fc.property(programArb(), (program) => {
        const plain = compile(program, false);
        const counted = compile(program, true);
        let ticks = 0n;
        const expected = runPlain(counted.wasm, { env: { tick: () => void ticks++ } });
        expect(runPlain(plain.wasm)).toEqual(expected);

        const sandbox = instrument(plain.wasm);
        expect(WebAssembly.validate(sandbox.wasm)).toBe(true);
        const budget = ticks + 1000n;
        const run = runFuelled(sandbox, budget);
        expect(run).toEqual({ ...expected, left: budget - ticks });

        const starved = runFuelled(sandbox, ticks - 1n);
        expect(starved).toEqual({ trap: 'unreachable', left: 0n });
      }),
      { numRuns: 300 },
    );
  });

  it('the decoder finds every loop and memory.grow the generator wrote', () => {
    fc.assert(
      fc.property(programArb(), (program) => {
        const { wasm, loops, grows } = compile(program, false);
        const m = decodeModule(wasm);
        expect(m.bodies.reduce((n, b) => n + b.marks.loops.length, 0)).toBe(loops);
        expect(m.bodies.reduce((n, b) => n + b.marks.grows.length, 0)).toBe(grows);
        expect(m.growsMemory).toBe(grows > 0);
        expect(m.floats).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a start function cannot run: fuel is zero until the host gives some', () => {
    const wasm = buildModule({
      types: [[[], []]],
      funcs: [{ type: 0, body: [op.loop, op.empty, op.br, 0, op.end] }],
      start: 0,
    });
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(instrument(wasm).wasm))).toThrow(
      /unreachable/,
    );
  });
});

/** A module whose g(delta) grows memory 0 (or table 0 with null entries) and returns the old size or -1. */
function growModule(kind: 'memory' | 'table', min: number, max: number | undefined): Uint8Array<ArrayBuffer> {
  const limits = max === undefined ? { min } : { min, max };
  const grow =
    kind === 'memory'
      ? [op.local_get, 0, op.memory_grow, 0]
      : [0xd0, 0x70, op.local_get, 0, op.prefix_fc, ...u(15), 0]; // ref.null func; table.grow 0
  return buildModule({
    types: [[['i32'], ['i32']]],
    funcs: [{ type: 0, body: grow }],
    ...(kind === 'memory' ? { memories: [limits] } : { tables: [limits] }),
    exports: [{ name: 'g', kind: 'func', index: 0 }],
  });
}

describe('caps', () => {
  const attempt = (kind: 'memory' | 'table', cap: number) =>
    fc.record({
      min: fc.nat(cap + 4),
      max: fc.option(fc.nat(kind === 'memory' ? 65_536 : 100_000), { nil: undefined }),
      deltas: fc.array(fc.oneof(fc.nat(4), fc.nat(cap * 2), fc.constant(0x7fff_ffff)), { maxLength: 12 }),
    });

  for (const [kind, cap] of [
    ['memory', CAPS.memoryPages],
    ['table', CAPS.tableEntries],
  ] as const)
    it(`${kind}: any declared limits, any grows: never past the cap, each refusal counted`, () => {
      fc.assert(
        fc.property(attempt(kind, cap), ({ min, max: declaredMax, deltas }) => {
          const max = declaredMax === undefined ? undefined : Math.max(min, declaredMax);
          const wasm = growModule(kind, min, max);
          if (min > cap) {
            expect(() => instrument(wasm)).toThrow(OverCap);
            return;
          }
          const sandbox = instrument(wasm);
          const { exports } = new WebAssembly.Instance(new WebAssembly.Module(sandbox.wasm), {});
          (exports[sandbox.fuel] as WebAssembly.Global).value = 1000n;
          const g = exports.g as (delta: number) => number;
          const ceiling = Math.min(max ?? Infinity, cap);
          let size = min;
          let refused = 0;
          for (const delta of deltas) {
            const result = g(delta);
            if (size + delta <= ceiling) {
              expect(result).toBe(size);
              size += delta;
            } else {
              expect(result).toBe(-1);
              refused++;
            }
          }
          const grows = exports[sandbox.refusedGrows] as WebAssembly.Global;
          // Only memory.grow is counted (tables grow through table.grow, which the spec lets fail the same way).
          expect(grows.value).toBe(kind === 'memory' ? refused : 0);
        }),
        { numRuns: 200 },
      );
    });

  it('an export already named __fuel does not collide', () => {
    const wasm = buildModule({
      types: [[[], ['i64']]],
      funcs: [{ type: 0, body: [op.i64_const, ...s(7)] }],
      exports: [
        { name: 'main', kind: 'func', index: 0 },
        { name: '__fuel', kind: 'func', index: 0 },
      ],
    });
    const sandbox = instrument(wasm);
    expect(sandbox.fuel).not.toBe('__fuel');
    expect(runFuelled(sandbox, 5n)).toEqual({ value: 7n, left: 4n });
  });
});
