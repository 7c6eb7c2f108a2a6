// The project's own WebAssembly decoder, against generated modules and V8 as the oracle: it reports what the
// generator put in (and what V8 says the imports and exports are), names every floating-point opcode V8's typing
// says is one, names features outside the instruction set, and on any bytes at all either reads them or throws
// a WasmDecodeError: never another error, never a hang, and never a refusal of a module V8 validates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectModule } from '../../../contracts/inspect.js';
import { Reader, WasmDecodeError } from '../../../contracts/wasm/bytes.js';
import { FEATURES, scanBody } from '../../../contracts/wasm/code.js';
import { decodeModule } from '../../../contracts/wasm/module.js';
import { buildModule, op, type Import, type ModuleSpec, type Val } from '../../support/wasm-build.js';
import { compile, programArb } from '../../support/wasm-programs.js';

const NUM: Val[] = ['i32', 'i64', 'f32', 'f64'];
const isFloat = (t: Val) => t === 'f32' || t === 'f64';
const CONST: Record<string, number[]> = {
  i32: [op.i32_const, 0],
  i64: [op.i64_const, 0],
  f32: [op.f32_const, 0, 0, 0, 0],
  f64: [op.f64_const, 0, 0, 0, 0, 0, 0, 0, 0],
};
const name = fc.string({ minLength: 1, maxLength: 12 });

/** Modules of random shape (bodies just return a constant of their result type), and what they hold. */
const specArb: fc.Arbitrary<ModuleSpec> = fc
  .record({
    types: fc.array(
      fc.tuple(
        fc.array(fc.constantFrom(...NUM), { maxLength: 3 }),
        fc.array(fc.constantFrom(...NUM), { maxLength: 1 }),
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    funcImports: fc.array(fc.record({ module: name, name, type: fc.nat() }), { maxLength: 4 }),
    globalImports: fc.array(fc.record({ module: name, name, val: fc.constantFrom(...NUM) }), {
      maxLength: 2,
    }),
    funcs: fc.array(fc.nat(), { maxLength: 5 }),
    memory: fc.option(fc.record({ min: fc.nat(20), extra: fc.option(fc.nat(100), { nil: undefined }) }), {
      nil: undefined,
    }),
    table: fc.option(fc.record({ min: fc.nat(50), extra: fc.option(fc.nat(50), { nil: undefined }) }), {
      nil: undefined,
    }),
    globals: fc.array(fc.record({ val: fc.constantFrom(...NUM), mutable: fc.boolean() }), { maxLength: 3 }),
    exportNames: fc.uniqueArray(name, { maxLength: 8 }),
    exportPicks: fc.array(fc.nat(), { maxLength: 8 }),
    customs: fc.array(name, { maxLength: 3 }),
  })
  .map((g) => {
    const typeOf = (n: number) => n % g.types.length;
    const imports: Import[] = [
      ...g.funcImports.map((i) => ({ ...i, kind: 'func' as const, type: typeOf(i.type) })),
      ...g.globalImports.map((i) => ({ ...i, kind: 'global' as const })),
    ];
    const funcs = g.funcs.map((t) => {
      const type = typeOf(t);
      return { type, body: g.types[type]![1].flatMap((r) => CONST[r]!) };
    });
    const lim = (l: { min: number; extra?: number } | undefined) =>
      l && (l.extra === undefined ? { min: l.min } : { min: l.min, max: l.min + l.extra });
    const memory = lim(g.memory);
    const table = lim(g.table);
    const globals = g.globals.map((gl) => ({ ...gl, init: CONST[gl.val]! }));
    const targets: { kind: 'func' | 'memory' | 'table' | 'global'; index: number }[] = [
      ...Array.from({ length: g.funcImports.length + funcs.length }, (_, index) => ({
        kind: 'func' as const,
        index,
      })),
      ...(memory ? [{ kind: 'memory' as const, index: 0 }] : []),
      ...(table ? [{ kind: 'table' as const, index: 0 }] : []),
      ...Array.from({ length: g.globalImports.length + globals.length }, (_, index) => ({
        kind: 'global' as const,
        index,
      })),
    ];
    const exports = targets.length
      ? g.exportNames.map((n, i) => ({ name: n, ...targets[(g.exportPicks[i] ?? i) % targets.length]! }))
      : [];
    return {
      types: g.types,
      imports,
      funcs,
      ...(memory ? { memories: [memory] } : {}),
      ...(table ? { tables: [table] } : {}),
      globals,
      exports,
      customs: g.customs.map((c) => ({ name: c, bytes: new Uint8Array([1, 2, 3]) })),
    } satisfies ModuleSpec;
  });

describe('decoding', () => {
  it('generated modules: the report holds what was built, and agrees with V8 on imports and exports', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const wasm = buildModule(spec);
        expect(WebAssembly.validate(wasm)).toBe(true);
        const r = inspectModule(wasm);
        const module = new WebAssembly.Module(wasm);
        expect(r.imports.map((i) => [i.module, i.name, i.kind])).toEqual(
          WebAssembly.Module.imports(module).map((i) => [i.module, i.name, i.kind]),
        );
        expect(r.exports.map((e) => [e.name, e.kind])).toEqual(
          WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]),
        );
        const funcTypes = [
          ...(spec.imports ?? []).filter((i) => i.kind === 'func').map((i) => i.type),
          ...spec.funcs!.map((f) => f.type),
        ];
        for (const [i, e] of r.exports.entries()) {
          const built = spec.exports![i]!;
          if (built.kind !== 'func') continue;
          const [params, results] = spec.types![funcTypes[built.index]!]!;
          expect(e).toMatchObject({ params, results });
        }
        expect(r.functions).toBe(spec.funcs!.length);
        expect(r.globals).toBe(
          spec.globals!.length + (spec.imports ?? []).filter((i) => i.kind === 'global').length,
        );
        const mem = spec.memories?.[0];
        expect(r.memory).toEqual(mem ? { initialPages: mem.min, maxPages: mem.max ?? null } : null);
        expect(r.tables).toEqual((spec.tables ?? []).map((t) => ({ initial: t.min, max: t.max ?? null })));
        expect(r.customSections).toEqual(spec.customs!.map((c) => c.name));
        const floats =
          spec.types!.some(([p, res]) => [...p, ...res].some(isFloat)) ||
          spec.globals!.some((g) => isFloat(g.val)) ||
          (spec.imports ?? []).some((i) => i.kind === 'global' && isFloat(i.val));
        expect(r.usesFloats).toBe(floats);
        expect(r.unsupported).toEqual([]);
        expect(r.startFunction).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('every opcode V8 types with f32 or f64 is a float instruction, and no other', () => {
    // For each single-byte numeric or memory opcode, the signatures V8 accepts it in: operands from parameters,
    // so only the opcode itself (never a constant) can be what the decoder flags.
    const sigs: [Val[], Val[]][] = [];
    for (const r of [[], ...NUM.map((t) => [t])] as Val[][]) {
      sigs.push([[], r]);
      for (const a of NUM) {
        sigs.push([[a], r]);
        for (const b of NUM) sigs.push([[a, b], r]);
      }
    }
    let checked = 0;
    for (let code = 0x28; code <= 0xc4; code++) {
      if (code === op.memory_size || code === op.memory_grow || (code >= 0x41 && code <= 0x44)) continue;
      const memarg = code <= 0x3e ? [0, 0] : [];
      // Numeric and memory instructions are monomorphic: the first signature V8 accepts is the one.
      const signature = sigs.find(([params, results]) =>
        WebAssembly.validate(
          buildModule({
            types: [[params, results]],
            funcs: [{ type: 0, body: [...params.flatMap((_, i) => [op.local_get, i]), code, ...memarg] }],
            memories: [{ min: 1 }],
          }),
        ),
      );
      expect(signature, `opcode 0x${code.toString(16)} has a signature`).toBeDefined();
      const floatTyped = [...signature![0], ...signature![1]].some(isFloat);
      const facts = { floats: false, growsMemory: false };
      scanBody(new Reader(new Uint8Array([code, ...memarg, op.end])), facts, null);
      expect(facts.floats, `opcode 0x${code.toString(16)}`).toBe(floatTyped);
      checked++;
    }
    expect(checked).toBe(0xc4 - 0x28 + 1 - 6);
  });

  it('features outside the instruction set are named, each once', () => {
    const simd = buildModule({
      types: [[[], []]],
      funcs: [{ type: 0, body: [0xfd, 12, ...new Array(16).fill(0), op.drop] }], // v128.const; drop
    });
    const atomics = buildModule({
      types: [[[], []]],
      funcs: [{ type: 0, body: [0xfe, 0x03, 0x00] }], // atomic.fence
    });
    const shared = new Uint8Array([...buildModule({}), 0x05, 0x04, 0x01, 0x03, 0x01, 0x01]); // (memory 1 1 shared)
    const exceptions = buildModule({
      types: [[[], []]],
      funcs: [{ type: 0, body: [0x06, op.empty, 0x19, op.end] }], // try catch_all end
    });
    for (const [wasm, feature] of [
      [simd, FEATURES.simd],
      [atomics, FEATURES.threads],
      [shared, FEATURES.threads],
      [exceptions, FEATURES.exceptions],
    ] as const) {
      expect(WebAssembly.validate(wasm), feature).toBe(true);
      expect(inspectModule(wasm).unsupported).toEqual([feature]);
    }
  });

  it('every GC and exception reference type byte is "unsupported", not malformed (Node 22+ validates them)', () => {
    const base = buildModule({ types: [[['i32'], []]] });
    const at = base.findIndex((b, i) => b === 0x60 && base[i + 1] === 1 && base[i + 2] === 0x7f) + 2;
    for (const b of [0x63, 0x64, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x71, 0x72, 0x73, 0x74]) {
      const wasm = Uint8Array.from(base);
      wasm[at] = b;
      expect(inspectModule(wasm).unsupported, `0x${b.toString(16)}`).toEqual([FEATURES.gc]);
    }
  });

  it('60,000 nested blocks (the 180 KB module of the issue) decode', () => {
    const depth = 60_000;
    const wasm = buildModule({
      types: [[[], []]],
      funcs: [
        {
          type: 0,
          body: [...new Array(depth).fill([op.block, op.empty]).flat(), ...new Array(depth).fill(op.end)],
        },
      ],
      memories: [{ min: 1, max: 1 }],
    });
    expect(wasm.length).toBeGreaterThan(180_000);
    expect(decodeModule(wasm).bodies).toHaveLength(1);
  });
});

describe('malformed input', () => {
  const decodes = (bytes: Uint8Array) => {
    try {
      decodeModule(bytes);
      return true;
    } catch (error) {
      if (!(error instanceof WasmDecodeError)) throw error;
      return false;
    }
  };

  it('any bytes: read, or refused with a WasmDecodeError', () => {
    const header = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (tail, withHeader) => {
        decodes(withHeader ? new Uint8Array([...header, ...tail]) : tail);
      }),
      { numRuns: 3000 },
    );
  });

  it('valid modules with bytes flipped, cut or inserted: what V8 still validates is always read', () => {
    const mutation = fc.oneof(
      fc.record({ k: fc.constant('flip' as const), at: fc.nat(), value: fc.nat(255) }),
      fc.record({ k: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ k: fc.constant('insert' as const), at: fc.nat(), value: fc.nat(255) }),
    );
    let stillValid = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          specArb.map(buildModule),
          programArb().map((p) => compile(p, false).wasm),
        ),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (wasm, mutations) => {
          let bytes = [...wasm];
          for (const m of mutations) {
            const at = m.at % (bytes.length + 1);
            if (m.k === 'flip') bytes[at % bytes.length] = m.value;
            else if (m.k === 'cut') bytes = bytes.slice(0, at);
            else bytes.splice(at, 0, m.value);
          }
          const mutated = new Uint8Array(bytes);
          const valid = WebAssembly.validate(mutated);
          if (valid) stillValid++;
          expect(decodes(mutated) || !valid).toBe(true);
        },
      ),
      { numRuns: 800 },
    );
    expect(stillValid).toBeGreaterThan(5); // the property was exercised on modules V8 accepts (typically 20-40)
  });

  it('counts never allocate past the input: a vector claiming 4 billion items is refused at once', () => {
    const bytes = new Uint8Array([...buildModule({}), 0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(() => decodeModule(bytes)).toThrow(/vector longer than its section/);
  });
});
