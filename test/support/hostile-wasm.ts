// Hostile contracts, generated at test time (nothing large is committed): each family is a fast-check arbitrary
// of modules that attack one limit, with the words the bot must answer with. Small ones are WebAssembly text
// that fits a chat message; large ones are binaries built with wasm-build.ts.
import fc from 'fast-check';
import { buildModule, op, s, type ModuleSpec } from './wasm-build.js';

export interface Hostile {
  family: string;
  input: string | Uint8Array<ArrayBuffer>;
  /** Where the attack shows: the check's own answer, init's outcome, or a call's outcome. */
  expect:
    | { refused: RegExp }
    /** Refused with these words, or read and reported (a mutation can leave a valid module). */
    | { refusedOrReported: RegExp }
    | { finding: string }
    | { init: RegExp | 'ok'; call?: { text: string; outcome: RegExp } };
}

const mem = '(memory (export "memory") MIN)';

/** memory.grow far past the cap, then a fill or store over what it would have been (the issue's chat message). */
export const growBomb: fc.Arbitrary<Hostile> = fc
  .record({
    min: fc.integer({ min: 1, max: 16 }),
    pages: fc.integer({ min: 17, max: 65_535 }),
    then: fc.constantFrom('fill', 'store', 'loop'),
  })
  .map(({ min, pages, then }) => {
    const bytes = Math.min(pages * 65_536, 0x7fff_ffff);
    const body =
      then === 'fill'
        ? `(drop (memory.grow (i32.const ${pages}))) (memory.fill (i32.const 0) (i32.const 1) (i32.const ${bytes}))`
        : then === 'store'
          ? `(drop (memory.grow (i32.const ${pages}))) (i32.store (i32.const ${bytes - 4}) (i32.const 1))`
          : `(loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))) (memory.fill (i32.const 0) (i32.const 1) (i32.const ${bytes})))`;
    return {
      family: `memory.grow ${pages} pages then ${then}`,
      // (nop) last: a check at the function's last expression (the old sandbox's) comes after the damage.
      input: `(module ${mem.replace('MIN', String(min))} (func (export "init") ${body} (nop)) (func (export "x") (result i32) (memory.grow (i32.const ${pages}))))`,
      expect: {
        init: /^memory limit: its memory cannot grow past 16 pages \(1 MiB\), and growing it was refused/,
      },
    };
  });

/**
 * The issue's chat message (within its 219 characters): memory without a maximum, grow 32,767 pages, fill them.
 * The fill is not the function's last instruction, so the old sandbox's memory check (at the fuel tick binaryen
 * put before a function's last expression) came after it: the bot's own process touched the 2 GB.
 */
export const ISSUE_CHAT_BOMB =
  '(module (memory (export "memory") 1) (func (export "init")) (func (export "x") (drop (memory.grow (i32.const 32767))) (memory.fill (i32.const 0) (i32.const 1) (i32.const 2147418112)) (nop)))';

/** Declared memory past the cap (with data far up in it), or data segments past the memory they go into. */
export const dataBomb: fc.Arbitrary<Hostile> = fc.oneof(
  fc.integer({ min: 17, max: 65_536 }).map((pages) => ({
    family: `memory of ${pages} pages with data at its end`,
    input: buildModule({
      types: [[[], []]],
      funcs: [{ type: 0, body: [] }],
      memories: [{ min: pages }],
      exports: [
        { name: 'memory', kind: 'memory', index: 0 },
        { name: 'init', kind: 'func', index: 0 },
        { name: 'x', kind: 'func', index: 0 },
      ],
      datas: [{ offset: (pages * 65_536 - 8) | 0, bytes: new Uint8Array(8).fill(7) }], // i32.const wraps
    }),
    expect: { finding: 'memory_limit' },
  })),
  fc.integer({ min: 16 * 65_536, max: 0x7fff_0000 }).map((offset) => ({
    family: `data segment at ${offset}, past the memory`,
    input: buildModule({
      types: [[[], []]],
      funcs: [{ type: 0, body: [] }],
      memories: [{ min: 16, max: 16 }],
      exports: [
        { name: 'memory', kind: 'memory', index: 0 },
        { name: 'init', kind: 'func', index: 0 },
        { name: 'x', kind: 'func', index: 0 },
      ],
      datas: [{ offset, bytes: new Uint8Array(1024).fill(1) }],
    }),
    expect: { init: /^(trap|failed): .*(out of bounds|data segment)/i },
  })),
);

/** Tables: declared past the cap, or grown past it (table.grow returns -1 at the cap, as the spec allows). */
export const tableBomb: fc.Arbitrary<Hostile> = fc.oneof(
  fc.integer({ min: 1025, max: 10_000_000 }).map((entries) => ({
    family: `table of ${entries} entries`,
    input: `(module ${mem.replace('MIN', '1')} (table ${entries} funcref) (func (export "init")) (func (export "x")))`,
    expect: { finding: 'table_limit' },
  })),
  fc.integer({ min: 1025, max: 10_000_000 }).map((delta) => ({
    family: `table.grow by ${delta}`,
    input: `(module ${mem.replace('MIN', '1')} (table 1 funcref) (func (export "init") (loop $l (br_if $l (i32.ne (table.grow (ref.null func) (i32.const 64)) (i32.const -1))))) (func (export "x") (result i32) (table.grow (ref.null func) (i32.const ${delta}))))`,
    expect: { init: 'ok' as const, call: { text: 'x()', outcome: /^x → -1/ } },
  })),
);

const exportsFor = (init: number, x: number): ModuleSpec['exports'] => [
  { name: 'memory', kind: 'memory', index: 0 },
  { name: 'init', kind: 'func', index: init },
  { name: 'x', kind: 'func', index: x },
];

/** Blocks nested `depth` deep in init (the issue's upload was 60,000: 180 KB). */
export const nestedBlocks = (depth: number): Hostile => ({
  family: `${depth} nested blocks`,
  input: buildModule({
    types: [[[], []]],
    funcs: [
      {
        type: 0,
        body: [...new Array(depth).fill([op.block, op.empty]).flat(), ...new Array(depth).fill(op.end)],
      },
    ],
    memories: [{ min: 1, max: 1 }],
    exports: exportsFor(0, 0),
  }),
  expect: { init: 'ok' as const },
});

export const deepNesting: fc.Arbitrary<Hostile> = fc.integer({ min: 5_000, max: 60_000 }).map(nestedBlocks);

/** WebAssembly text nested deeper than wabt's stack: its build fails, in the jail only. */
export const watNesting = (max: number): fc.Arbitrary<Hostile> =>
  fc.integer({ min: 200, max }).map((depth) => ({
    family: `WAT nested ${depth} deep`,
    input: `(module (func ${'(block '.repeat(depth)}${')'.repeat(depth)}))`,
    expect: { refused: /could not be compiled: the text compiler ran out of stack/ },
  }));

/** One function of straight-line code filling the code size limit. */
export const hugeFunction: fc.Arbitrary<Hostile> = fc.integer({ min: 20_000, max: 40_000 }).map((n) => ({
  family: `a function of ${n} constants`,
  input: buildModule({
    types: [[[], []]],
    funcs: [{ type: 0, body: new Array(n).fill([op.i32_const, ...s(-123_456), op.drop]).flat() }],
    memories: [{ min: 1, max: 1 }],
    exports: exportsFor(0, 0),
  }),
  expect: { init: 'ok' as const },
}));

/** A function with tens of thousands of locals that calls itself: each frame is large, so the stack ends it. */
export const manyLocals: fc.Arbitrary<Hostile> = fc.integer({ min: 10_000, max: 50_000 }).map((locals) => ({
  family: `recursion with ${locals} locals`,
  input: buildModule({
    types: [[[], []]],
    funcs: [
      { type: 0, body: [] },
      { type: 0, locals: [[locals, 'i64']], body: [op.call, 1] },
    ],
    memories: [{ min: 1, max: 1 }],
    exports: exportsFor(0, 1),
  }),
  expect: { init: 'ok' as const, call: { text: 'x()', outcome: /^x stopped: (stack limit|out of fuel)/ } },
}));

/** Loops nested in loops with counters far past any fuel budget. */
export const longLoops: fc.Arbitrary<Hostile> = fc.integer({ min: 2, max: 5 }).map((depth) => {
  const open = Array.from({ length: depth }, (_, i) => `(local.set ${i} (i32.const -1)) (loop $l${i}`).join(
    ' ',
  );
  const close = Array.from(
    { length: depth },
    (_, i) =>
      `(local.set ${depth - 1 - i} (i32.sub (local.get ${depth - 1 - i}) (i32.const 1))) (br_if $l${depth - 1 - i} (local.get ${depth - 1 - i})))`,
  ).join(' ');
  return {
    family: `${depth} nested loops of 2^32 iterations`,
    input: `(module ${mem.replace('MIN', '1')} (func (export "init")) (func (export "x") (local ${'i32 '.repeat(depth)}) ${open} ${close}))`,
    expect: { init: 'ok' as const, call: { text: 'x()', outcome: /^x stopped: out of fuel/ } },
  };
});

/** Recursion without end: direct, or mutual through a table (call_indirect). */
export const recursion: fc.Arbitrary<Hostile> = fc.constantFrom('direct', 'indirect').map((how) => ({
  family: `${how} recursion`,
  input:
    how === 'direct'
      ? `(module ${mem.replace('MIN', '1')} (func (export "init")) (func $x (export "x") (param i64) (result i64) (call $x (i64.add (local.get 0) (i64.const 1)))))`
      : `(module ${mem.replace('MIN', '1')} (type $t (func)) (table 2 funcref) (elem (i32.const 0) $a $b) (func (export "init")) (func $a (call_indirect (type $t) (i32.const 1))) (func $b (call_indirect (type $t) (i32.const 0))) (func (export "x") (call $a)))`,
  expect: {
    init: 'ok' as const,
    call: { text: how === 'direct' ? 'x(1)' : 'x()', outcome: /^x stopped: (stack limit|out of fuel)/ },
  },
}));

/** A data segment as large as the code limit allows, or larger. */
export const hugeData: fc.Arbitrary<Hostile> = fc.integer({ min: 100_000, max: 320_000 }).map((size) => {
  const wasm = buildModule({
    types: [[[], []]],
    funcs: [{ type: 0, body: [] }],
    memories: [{ min: 16, max: 16 }],
    exports: exportsFor(0, 0),
    datas: [{ offset: 0, bytes: new Uint8Array(size).fill(0xab) }],
  });
  return {
    family: `a data segment of ${size} bytes`,
    input: wasm,
    expect: wasm.length > 256 * 1024 ? { refused: /the limit is 262,144 bytes/ } : { init: 'ok' as const },
  };
});

/** A full table of 1,024 functions that call each other through call_indirect, without end. */
export const elementTable: fc.Arbitrary<Hostile> = fc.integer({ min: 2, max: 1024 }).map((n) => ({
  family: `${n} functions calling round a table`,
  input: buildModule({
    types: [[[], []]],
    funcs: [
      { type: 0, body: [] },
      // f(i) calls table[(i + 1) % n]: one body, the index in a global would need state; a chain of n bodies.
      ...Array.from({ length: n }, (_, i) => ({
        type: 0,
        body: [op.i32_const, ...s((i + 1) % n), op.call_indirect, 0, 0],
      })),
    ],
    tables: [{ min: n, max: n }],
    memories: [{ min: 1, max: 1 }],
    exports: exportsFor(0, 1),
    elems: [{ offset: 0, funcs: Array.from({ length: n }, (_, i) => i + 1) }],
  }),
  expect: { init: 'ok' as const, call: { text: 'x()', outcome: /^x stopped: (stack limit|out of fuel)/ } },
}));

/** Thousands of imports the host does not provide, and thousands of exports. */
export const manyImports: fc.Arbitrary<Hostile> = fc.integer({ min: 1_000, max: 8_000 }).map((n) => ({
  family: `${n} imports and exports`,
  input: buildModule({
    types: [[[], []]],
    imports: Array.from({ length: n }, (_, i) => ({
      module: 'evil',
      name: `f${i}`,
      kind: 'func' as const,
      type: 0,
    })),
    funcs: [{ type: 0, body: [] }],
    memories: [{ min: 1, max: 1 }],
    exports: [
      { name: 'memory', kind: 'memory', index: 0 },
      { name: 'init', kind: 'func', index: n },
      ...Array.from({ length: n }, (_, i) => ({ name: `e${i}`, kind: 'func' as const, index: i })),
    ],
  }),
  expect: { finding: 'forbidden_import' },
}));

/** Host calls as bombs: storage past its limit, events past theirs, copying that fuel must pay for. */
export const hostBomb: fc.Arbitrary<Hostile> = fc.constantFrom('storage', 'events', 'copy').map((kind) => {
  const imports = `(import "env" "storage_set" (func $set (param i32 i32 i32 i32))) (import "env" "emit_event" (func $emit (param i32 i32)))`;
  const body =
    kind === 'storage'
      ? '(local $i i32) (loop $l (i32.store (i32.const 0) (local.get $i)) (call $set (i32.const 0) (i32.const 4) (i32.const 0) (i32.const 16384)) (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l))'
      : kind === 'events'
        ? '(loop $l (call $emit (i32.const 0) (i32.const 65536)) (br $l))'
        : '(loop $l (call $set (i32.const 0) (i32.const 65536) (i32.const 0) (i32.const 65536)) (br $l))';
  return {
    family: `host calls: ${kind}`,
    input: `(module ${imports} (memory (export "memory") 1 1) (func (export "init")) (func (export "x") ${body}))`,
    expect: {
      init: 'ok' as const,
      call: {
        text: 'x()',
        outcome:
          kind === 'storage'
            ? /^x stopped: storage limit: more than 65,536 bytes stored/
            : kind === 'events'
              ? /^x stopped: more than 100 events/
              : /^x stopped: (storage limit|out of fuel)/,
      },
    },
  };
});

/** A valid contract with bytes flipped, cut or inserted: read, or refused as invalid, never a crash. */
export const malformed = (valid: Uint8Array): fc.Arbitrary<Hostile> =>
  fc
    .array(fc.record({ at: fc.nat(), value: fc.nat(255), cut: fc.boolean() }), { minLength: 1, maxLength: 4 })
    .map((edits) => {
      let bytes = [...valid];
      for (const e of edits) {
        const at = 4 + (e.at % Math.max(1, bytes.length - 4)); // the magic number stays: it reads as wasm
        if (e.cut) bytes = bytes.slice(0, at);
        else bytes[at] = e.value;
      }
      return {
        family: `malformed (${edits.length} edit(s))`,
        input: new Uint8Array(bytes),
        expect: { refusedOrReported: /^Not a valid WebAssembly module: / },
      };
    });

/** Every family, with a few generated members each; `big` adds the families whose inputs exceed a chat message. */
export function hostileSample(valid: Uint8Array, seed: number, perFamily = 2, big = true): Hostile[] {
  const families: fc.Arbitrary<Hostile>[] = [
    growBomb,
    dataBomb,
    tableBomb,
    watNesting(big ? 3000 : 260),
    longLoops,
    recursion,
    hostBomb,
    malformed(valid),
    ...(big ? [deepNesting, hugeFunction, manyLocals, hugeData, elementTable, manyImports] : []),
  ];
  return families.flatMap((f, i) => fc.sample(f, { seed: seed + i, numRuns: perFamily }));
}
