// The automaton our decoder holds a model to while it writes a tool call (agents/models/call-machine.ts), against
// generated tool sets: every call a model may write parses to arguments its schema accepts, every canonical call
// (as a chat wrapper renders one) is accepted, forced text never contradicts a valid call, and forged calls are
// refused where they go wrong.
import fc from 'fast-check';
import type { ChatModelFunctions } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { CallMachine, UnsupportedSchema, type States } from '../../../agents/models/call-machine.js';

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'enum';
interface Param {
  kind: Kind;
  optional: boolean;
  values?: string[];
}
type Tool = Record<string, Param>;

const PARAMS_PREFIX = '", "arguments": ';
const SUFFIX = '}\n';

/** A tool's parameters as toGbnfSchema writes them (optional ones nullable). */
function schemaOf(tool: Tool) {
  return {
    type: 'object',
    properties: Object.fromEntries(
      Object.entries(tool).map(([key, p]) => [
        key,
        p.kind === 'enum'
          ? { enum: [...p.values!, ...(p.optional ? [null] : [])] }
          : { type: p.optional ? [p.kind, 'null'] : p.kind },
      ]),
    ),
  };
}

const key = fc.stringMatching(/^[a-z][a-z_]{0,9}$/);
const param: fc.Arbitrary<Param> = fc.oneof(
  fc.record({
    kind: fc.constantFrom<Kind>('string', 'number', 'integer', 'boolean'),
    optional: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant<Kind>('enum'),
    optional: fc.boolean(),
    values: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 4 }),
  }),
);
const tools = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z_]{0,11}$/),
  fc.dictionary(key, param, { maxKeys: 5 }),
  { minKeys: 1, maxKeys: 6 },
);

function machineOf(set: Record<string, Tool>): CallMachine {
  const functions = Object.fromEntries(
    Object.entries(set).map(([name, tool]) => [name, { description: name, params: schemaOf(tool) }]),
  ) as ChatModelFunctions;
  return new CallMachine(functions, PARAMS_PREFIX, SUFFIX);
}

/** A value a model might write for a parameter (JSON strings with escapes and non-ASCII too). */
function valueFor(p: Param): fc.Arbitrary<unknown> {
  switch (p.kind) {
    case 'string':
      return fc.string({ unit: fc.constantFrom('a', 'Z', '1', ' ', '"', '\\', '\n', 'é', '💸', '/', '}') });
    case 'number':
      return fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((n) => Math.round(n * 1000) / 1000 + 0); // no -0
    case 'integer':
      return fc.integer({ min: -1e6, max: 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...p.values!);
  }
}

/** Arguments for a tool: every required key, optional ones present or not, in schema order. */
function argsFor(tool: Tool): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(tool).map(([k, p]) =>
    (p.optional ? fc.option(valueFor(p), { nil: undefined }) : valueFor(p)).map((v) => [k, v] as const),
  );
  return fc
    .tuple(...entries)
    .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)) as Record<string, unknown>);
}

/** As node-llama-cpp's jsonDumps writes arguments (Python's json.dumps): `{"a": 1, "b": "x"}`. */
const dumps = (value: unknown) =>
  JSON.stringify(value, null, 1)
    .split('\n')
    .map((line) => (line.trim().endsWith(',') ? `${line.trim()} ` : line.trim()))
    .join('');

const valid = (tool: Tool, args: Record<string, unknown>) =>
  Object.entries(tool).every(([k, p]) => {
    if (!(k in args)) return p.optional;
    const v = args[k];
    if (p.kind === 'enum') return p.values!.includes(v as string);
    if (p.kind === 'integer') return Number.isInteger(v);
    return typeof v === (p.kind === 'number' ? 'number' : p.kind);
  }) && Object.keys(args).every((k) => k in tool);

/** Walks `text` through the machine a character at a time: where it is refused, and the states before. */
function walk(m: CallMachine, text: string): { states: States | null; refusedAt: number } {
  let states: States | null = m.start;
  for (let i = 0; i < text.length; i++) {
    const next = m.step(states, text[i]!);
    if (!next) return { states: null, refusedAt: i };
    states = next;
  }
  return { states, refusedAt: -1 };
}

const callOf = fc.tuple(tools, fc.nat()).chain(([set, pick]) => {
  const names = Object.keys(set);
  const name = names[pick % names.length]!;
  return argsFor(set[name]!).map((args) => ({ set, name, args }));
});

describe('CallMachine', () => {
  it('accepts every canonical call, completes exactly at its end, and parses it back', () => {
    fc.assert(
      fc.property(callOf, ({ set, name, args }) => {
        const m = machineOf(set);
        const body = `${name}${PARAMS_PREFIX}${dumps(args)}`;
        const { states } = walk(m, body);
        expect(states).not.toBeNull();
        expect(m.complete(states!)).toBe(true);
        // Not complete one character earlier: the call ends with its arguments' closing brace.
        expect(m.complete(walk(m, body.slice(0, -1)).states!)).toBe(false);
        expect(m.step(states!, SUFFIX)).not.toBeNull();
        expect(m.parse(body + SUFFIX)).toEqual({ name, params: args });
      }),
      { numRuns: 300 },
    );
  });

  it('forced text, at every point of a canonical call, is exactly how that call goes on', () => {
    fc.assert(
      fc.property(callOf, ({ set, name, args }) => {
        const m = machineOf(set);
        const body = `${name}${PARAMS_PREFIX}${dumps(args)}`;
        let states = m.start;
        for (let i = 0; i <= body.length; i++) {
          const forced = m.forced(states);
          expect(body.slice(i).startsWith(forced.text)).toBe(true);
          if (forced.done) expect(i + forced.text.length).toBe(body.length);
          if (i < body.length) states = m.step(states, body[i]!)!;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('every call a model can write (random walks through the grammar) parses to arguments its schema accepts', () => {
    let completed = 0;
    fc.assert(
      fc.property(tools, fc.array(fc.nat(), { minLength: 200, maxLength: 200 }), (set, choices) => {
        const m = machineOf(set);
        const alphabet = [
          ...'"\\{},: -.07aelnrstufé💸x',
          ...Object.entries(set).flatMap(([name, tool]) => [
            ...name,
            ...Object.keys(tool).join(''),
            ...Object.values(tool)
              .flatMap((p) => p.values ?? [])
              .join(''),
          ]),
        ];
        let states = m.start;
        let text = '';
        for (const c of choices) {
          if (m.complete(states)) break;
          const forced = m.forced(states).text;
          if (forced) {
            text += forced;
            states = m.step(states, forced)!;
            continue;
          }
          // Any character the machine allows here, picked by the generated choice.
          const allowed = [...new Set(alphabet)].filter((ch) => m.step(states, ch) !== null);
          expect(allowed.length).toBeGreaterThan(0);
          const ch = allowed[c % allowed.length]!;
          text += ch;
          states = m.step(states, ch)!;
        }
        if (!m.complete(states)) return; // ran out of steps inside a long string
        completed++;
        const call = m.parse(text + SUFFIX);
        expect(Object.keys(set)).toContain(call.name);
        expect(valid(set[call.name]!, call.params)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(completed).toBeGreaterThan(150); // most walks end in a complete call
  });

  it('refuses forged calls where they go wrong: unknown names and keys, missing required keys, wrong types, bad JSON', () => {
    const m = machineOf({
      send: {
        to: { kind: 'string', optional: false },
        amount: { kind: 'string', optional: false },
        memo: { kind: 'string', optional: true },
      },
      vote: {
        proposal: { kind: 'integer', optional: false },
        choice: { kind: 'enum', optional: false, values: ['yes', 'no'] },
      },
      balance: { address: { kind: 'string', optional: true } },
    });
    const refused = (text: string) => walk(m, text).refusedAt;
    expect(refused('sendd')).toBe(4);
    expect(refused('transfer')).toBe(0);
    expect(refused(`send${PARAMS_PREFIX}{"amount": "N1"`)).toBe(PARAMS_PREFIX.length + 6); // "to" is required first
    expect(refused(`send${PARAMS_PREFIX}{"to": "A1", "from": "A2"`)).toBeGreaterThan(0); // no such key
    expect(refused(`send${PARAMS_PREFIX}{"to": "A1"}`)).toBeGreaterThan(0); // amount missing
    expect(refused(`send${PARAMS_PREFIX}{"to": A1`)).toBeGreaterThan(0); // not a JSON string
    expect(refused(`send${PARAMS_PREFIX}{"to": "A\u0001"`)).toBeGreaterThan(0); // control character
    expect(refused(`send${PARAMS_PREFIX}{"to": "\\q"`)).toBeGreaterThan(0); // bad escape
    expect(refused(`vote${PARAMS_PREFIX}{"proposal": "3"`)).toBeGreaterThan(0); // integer, not string
    expect(refused(`vote${PARAMS_PREFIX}{"proposal": 3.5`)).toBeGreaterThan(0);
    expect(refused(`vote${PARAMS_PREFIX}{"proposal": 3, "choice": "maybe"`)).toBeGreaterThan(0);
    expect(refused(`vote${PARAMS_PREFIX}{"proposal": 3, "choice": null`)).toBeGreaterThan(0);
    expect(refused(`balance${PARAMS_PREFIX}{"address": null`)).toBeGreaterThan(0); // left out, never null
    expect(refused(`balance${PARAMS_PREFIX}{}`)).toBe(-1);
    expect(refused(`send${PARAMS_PREFIX}{"to": "A1", "amount": "N1", "memo": "a \\"b\\" \\u00e9"}`)).toBe(-1);
  });

  it('forces what has one way on: the rest of a name once only one fits, the arguments prefix and keys', () => {
    const m = machineOf({
      stake: { validator: { kind: 'string', optional: false } },
      unstake: { validator: { kind: 'string', optional: false } },
      send: { to: { kind: 'string', optional: false } },
      send_many: { recipients: { kind: 'string', optional: false } },
    });
    expect(m.forced(m.start).text).toBe('');
    expect(m.forced(m.step(m.start, 'st')!).text).toBe(`ake${PARAMS_PREFIX}{"validator": "`);
    expect(m.forced(m.step(m.start, 'send')!).text).toBe(''); // send or send_many
    expect(m.forced(m.step(m.start, 'send_')!).text).toBe(`many${PARAMS_PREFIX}{"recipients": "`);
    expect(m.forced(m.step(m.start, `send${PARAMS_PREFIX}{"to": "A1`)!)).toEqual({ text: '', done: false });
    expect(m.forced(m.step(m.start, `send${PARAMS_PREFIX}{"to": "A1"`)!)).toEqual({ text: '}', done: true });
  });

  it('probes what usually follows: the first characters of each way on, inside free text only text', () => {
    const m = machineOf({ balance: { address: { kind: 'string', optional: true } }, fee: {} });
    expect(m.probes(m.start).sort()).toEqual(['balanc', 'fee", '].sort());
    const inString = m.step(m.start, `balance${PARAMS_PREFIX}{"address": "`)!;
    expect(m.probes(inString)).toEqual(['aaaaaa']);
  });

  it('writes a GBNF grammar with one rule per reachable state, accepting only once the call is complete', () => {
    const m = machineOf({ fee: { kind: { kind: 'enum', optional: true, values: ['transfer', 'bond'] } } });
    const grammar = m.gbnf(m.step(m.start, `fee${PARAMS_PREFIX}{"kind": "`)!);
    expect(grammar.split('\n')[0]).toMatch(/^root ::= \(s\d+ \| s\d+\)$/); // "transfer" or "bond"
    expect(grammar).toContain('"t"');
    expect(grammar).toContain('"b"');
    // The empty alternative (accept) appears only on the complete states: after the closing brace.
    const accepting = grammar.split('\n').filter((r) => r.endsWith('| ""') || r.endsWith('::= ""'));
    expect(accepting.length).toBeGreaterThan(0);
    expect(accepting.every((r) => !r.includes('"t"') && !r.includes('"b"'))).toBe(true);
  });

  it('refuses schemas it cannot write (nested objects, arrays), so the stock decoder takes them', () => {
    const fn = (params: object) => ({ f: { description: 'f', params } }) as unknown as ChatModelFunctions;
    expect(
      () =>
        new CallMachine(
          fn({ type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } } }),
          PARAMS_PREFIX,
          SUFFIX,
        ),
    ).toThrow(UnsupportedSchema);
    expect(
      () =>
        new CallMachine(
          fn({ type: 'object', properties: { a: { type: 'object', properties: {} } } }),
          PARAMS_PREFIX,
          SUFFIX,
        ),
    ).toThrow(UnsupportedSchema);
  });
});
