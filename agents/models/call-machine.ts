import type { ChatModelFunctions } from 'node-llama-cpp';

/**
 * The text of one tool call after the wrapper's call prefix, as an automaton over characters: a function name,
 * the wrapper's params prefix, the arguments as a flat JSON object written the way models are trained on
 * (Python's `json.dumps`: `{"to": "A1", "amount": "N1"}`, keys in schema order, optional keys left out), then
 * the plain-text start of the wrapper's call suffix.
 *
 * The decoder uses it for three things: the text every valid continuation must start with (forced syntax,
 * evaluated in one batch instead of generated: `", "arguments": {"address": "` after a name, `ake` after `st`
 * when only `stake` fits), a GBNF grammar that holds the model to valid calls where it does choose, and the
 * point where the arguments are complete (nothing after it is ever evaluated).
 */

type CharClass = 'string' | 'hex' | 'escape' | 'digit' | 'nonzero';

interface Edge {
  /** One literal character, or a class of them. */
  char?: string;
  cls?: CharClass;
  to: number;
}

interface State {
  edges: Edge[];
  eps: number[];
  /** The arguments are complete here (the call's end; what follows is optional suffix text). */
  done?: boolean;
  /** A state of the suffix after `done`: the call is complete. */
  after?: boolean;
}

/** A set of automaton states, closed under epsilon moves and sorted. */
export type States = readonly number[];

/** A parameter schema the machine cannot express (nested objects, arrays): the stock decoder handles those. */
export class UnsupportedSchema extends Error {}

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
};

const matches = (cls: CharClass, c: string): boolean => {
  switch (cls) {
    case 'string':
      return c !== '"' && c !== '\\' && c.codePointAt(0)! >= 0x20;
    case 'hex':
      return /^[0-9a-fA-F]$/.test(c);
    case 'escape':
      return '"\\/bfnrtu'.includes(c);
    case 'digit':
      return c >= '0' && c <= '9';
    case 'nonzero':
      return c >= '1' && c <= '9';
  }
};

/** A character of each class, for probing how a continuation tokenizes. */
const SAMPLE: Record<CharClass, string> = { string: 'a', hex: '0', escape: 'n', digit: '1', nonzero: '1' };

const GBNF_CLASS: Record<CharClass, string> = {
  string: '[^"\\\\\\x00-\\x1F]',
  hex: '[0-9a-fA-F]',
  escape: '["\\\\/bfnrtu]',
  digit: '[0-9]',
  nonzero: '[1-9]',
};

function gbnfChar(c: string): string {
  if (c === '"') return '"\\""';
  if (c === '\\') return '"\\\\"';
  const code = c.codePointAt(0)!;
  if (code >= 0x20 && code < 0x7f) return `"${c}"`;
  return code > 0xffff
    ? `"\\U${code.toString(16).padStart(8, '0')}"`
    : `"\\u${code.toString(16).padStart(4, '0')}"`;
}

/** A JSON value's schema, as the machine writes it: optional keys are left out rather than written as null. */
function valueKind(
  schema: Schema,
): { kind: 'string' | 'number' | 'integer' | 'boolean' } | { literals: string[] } {
  if (schema.enum) return { literals: schema.enum.filter((v) => v !== null).map((v) => JSON.stringify(v)) };
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) => t !== 'null');
  if (types.length !== 1) throw new UnsupportedSchema(`a value of types ${JSON.stringify(schema.type)}`);
  const type = types[0];
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean')
    return { kind: type };
  throw new UnsupportedSchema(`a value of type ${String(type)}`);
}

const isOptional = (schema: Schema): boolean =>
  (Array.isArray(schema.type) && schema.type.includes('null')) || (schema.enum?.includes(null) ?? false);

export class CallMachine {
  private readonly states: State[] = [];
  readonly start: States;

  /**
   * @param paramsPrefix the wrapper's text between the name and the arguments (Qwen: `", "arguments": `)
   * @param suffixText the plain-text start of the wrapper's call suffix (Qwen: `}\n`), allowed after the
   *   arguments so the model may end a value with its usual merged token (`"}}\n`)
   */
  constructor(
    readonly functions: ChatModelFunctions,
    readonly paramsPrefix: string,
    suffixText: string,
  ) {
    const begin = this.state();
    const done = this.state();
    this.states[done]!.done = true;
    let tail = done;
    for (const c of suffixText) {
      const next = this.state();
      this.states[next]!.after = true;
      this.states[tail]!.edges.push({ char: c, to: next });
      tail = next;
    }
    for (const [name, fn] of Object.entries(functions)) {
      const afterName = this.literal(begin, name);
      const args = this.literal(afterName, paramsPrefix);
      this.object(args, (fn.params ?? { type: 'object', properties: {} }) as Schema, done);
    }
    this.start = this.close([begin]);
  }

  private state(): number {
    this.states.push({ edges: [], eps: [] });
    return this.states.length - 1;
  }

  private literal(from: number, text: string): number {
    let at = from;
    for (const c of text) {
      const next = this.state();
      this.states[at]!.edges.push({ char: c, to: next });
      at = next;
    }
    return at;
  }

  private link(from: number, to: number): void {
    this.states[from]!.eps.push(to);
  }

  /** `{` members `}`: required keys in order, optional ones skippable; ends by linking into `end`. */
  private object(from: number, schema: Schema, end: number): void {
    if ((schema.type ?? 'object') !== 'object')
      throw new UnsupportedSchema('arguments that are not an object');
    const keys = Object.entries(schema.properties ?? {});
    const open = this.literal(from, '{');
    // member[i][first]: the state before key i may be written (first: no comma before it).
    const member = keys.map(() => [this.state(), this.state()] as const);
    const close = (at: number) => this.link(this.literal(at, '}'), end);
    keys.forEach((_, i) => {
      for (const first of [0, 1] as const) {
        const at = member[i]![first];
        // Write key j next (i <= j), skipping only optional keys in between.
        for (let j = i; j < keys.length; j++) {
          const [key, value] = keys[j]!;
          const head = this.literal(at, `${first ? '' : ', '}${JSON.stringify(key)}: `);
          const after = this.value(head, value);
          if (j + 1 < keys.length) this.link(after, member[j + 1]![0]);
          else close(after);
          if (!isOptional(value)) break;
        }
        if (keys.slice(i).every(([, v]) => isOptional(v))) close(at);
      }
    });
    if (keys.length) this.link(open, member[0]![1]);
    else close(open);
  }

  private value(from: number, schema: Schema): number {
    const kind = valueKind(schema);
    const end = this.state();
    if ('literals' in kind) {
      if (!kind.literals.length) throw new UnsupportedSchema('an enum with no values');
      for (const text of kind.literals) this.link(this.literal(from, text), end);
      return end;
    }
    switch (kind.kind) {
      case 'boolean':
        for (const text of ['true', 'false']) this.link(this.literal(from, text), end);
        return end;
      case 'string': {
        const body = this.literal(from, '"');
        const escape = this.state();
        this.states[body]!.edges.push(
          { cls: 'string', to: body },
          { char: '\\', to: escape },
          { char: '"', to: end },
        );
        const unicode = this.state();
        this.states[escape]!.edges.push({ char: 'u', to: unicode });
        for (const c of '"\\/bfnrt') this.states[escape]!.edges.push({ char: c, to: body });
        let hex = unicode;
        for (let i = 0; i < 4; i++) {
          const next = i === 3 ? body : this.state();
          this.states[hex]!.edges.push({ cls: 'hex', to: next });
          hex = next;
        }
        return end;
      }
      case 'number':
      case 'integer': {
        // -?(0|[1-9][0-9]*)(.[0-9]+)? : JSON's own number, as a model writes an amount or a count (no exponent).
        const sign = this.state();
        this.link(from, sign);
        this.states[from]!.edges.push({ char: '-', to: sign });
        const whole = this.state();
        const digits = this.state();
        this.states[sign]!.edges.push({ char: '0', to: whole }, { cls: 'nonzero', to: digits });
        this.states[digits]!.edges.push({ cls: 'digit', to: digits });
        this.link(digits, whole);
        this.link(whole, end);
        if (kind.kind === 'number') {
          const dot = this.state();
          const fraction = this.state();
          this.states[whole]!.edges.push({ char: '.', to: dot });
          this.states[dot]!.edges.push({ cls: 'digit', to: fraction });
          this.states[fraction]!.edges.push({ cls: 'digit', to: fraction });
          this.link(fraction, end);
        }
        return end;
      }
    }
  }

  private close(seeds: Iterable<number>): States {
    const seen = new Set<number>();
    const stack = [...seeds];
    while (stack.length) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...this.states[s]!.eps);
    }
    return [...seen].sort((a, b) => a - b);
  }

  /** The states after reading `text`, or null when no call starts that way. */
  step(from: States, text: string): States | null {
    let current = from;
    for (const c of text) {
      const next: number[] = [];
      for (const s of current)
        for (const e of this.states[s]!.edges)
          if (e.char !== undefined ? e.char === c : matches(e.cls!, c)) next.push(e.to);
      if (!next.length) return null;
      current = this.close(next);
    }
    return current;
  }

  /** The arguments are complete (the call's end was read, possibly with some of the suffix). */
  complete(states: States): boolean {
    return states.some((s) => this.states[s]!.done || this.states[s]!.after);
  }

  /**
   * The text every valid continuation starts with, stopping where the model has a choice. `done` says the call
   * is complete at the end of that text (so it need not be evaluated at all).
   */
  forced(from: States): { text: string; done: boolean } {
    let text = '';
    let current = from;
    for (;;) {
      if (this.complete(current)) return { text, done: true };
      const edges = current.flatMap((s) => this.states[s]!.edges);
      const only = edges[0];
      if (!only || only.char === undefined || edges.some((e) => e.char !== only.char))
        return { text, done: false };
      text += only.char;
      current = this.step(current, only.char)!;
    }
  }

  /**
   * A few short texts that may follow, one per distinct first character (classes by a sample character), so a
   * caller can check whether the forced text tokenizes the same whatever usually comes next.
   */
  probes(from: States, length = 6): string[] {
    const out: string[] = [];
    const firsts = new Map<string, States>();
    for (const s of from) {
      // Inside free text, what usually follows is text: an empty string or an escape is rare enough not to
      // decide how the text before it is tokenized.
      const edges = this.states[s]!.edges;
      for (const e of edges.some((x) => x.cls) ? edges.filter((x) => x.cls) : edges) {
        const c = e.char ?? SAMPLE[e.cls!];
        if (!firsts.has(c)) firsts.set(c, this.step(from, c)!);
      }
    }
    for (const [c, states] of firsts) {
      let text = c;
      let at = states;
      while (text.length < length && !this.complete(at)) {
        const e = at.flatMap((s) => this.states[s]!.edges)[0];
        if (!e) break;
        const next = e.char ?? SAMPLE[e.cls!];
        text += next;
        at = this.step(at, next)!;
      }
      out.push(text);
    }
    return out;
  }

  /** A state the grammar needs a rule for: it reads a character or accepts (pure junctions are skipped). */
  private productive(s: number): boolean {
    const state = this.states[s]!;
    return state.edges.length > 0 || state.done === true || state.after === true;
  }

  private alternatives(set: States): string {
    const names = set.filter((s) => this.productive(s)).map((s) => `s${s}`);
    return names.length === 1 ? names[0]! : `(${names.join(' | ')})`;
  }

  /** A GBNF grammar for every valid continuation from these states (accepting once the call is complete). */
  gbnf(from: States): string {
    const reachable = new Set<number>();
    const stack = [...from];
    while (stack.length) {
      const s = stack.pop()!;
      if (reachable.has(s)) continue;
      reachable.add(s);
      for (const e of this.states[s]!.edges) stack.push(...this.close([e.to]));
    }
    const rules = [`root ::= ${this.alternatives(from)}`];
    for (const s of [...reachable].sort((a, b) => a - b)) {
      if (!this.productive(s)) continue;
      const state = this.states[s]!;
      const alternatives = state.edges.map(
        (e) =>
          `${e.char !== undefined ? gbnfChar(e.char) : GBNF_CLASS[e.cls!]} ${this.alternatives(this.close([e.to]))}`,
      );
      if (state.done || state.after) alternatives.push('""');
      rules.push(`s${s} ::= ${alternatives.join(' | ')}`);
    }
    return rules.join('\n');
  }

  /** The function name and arguments of a complete call's text (what followed the call prefix). */
  parse(text: string): { name: string; params: Record<string, unknown> } {
    const name = Object.keys(this.functions)
      .filter((n) => text.startsWith(n + this.paramsPrefix))
      .sort((a, b) => b.length - a.length)[0];
    if (name === undefined) throw new Error('not a call of a known function');
    const args = text.slice(name.length + this.paramsPrefix.length);
    return { name, params: JSON.parse(args.slice(0, jsonObjectEnd(args))) as Record<string, unknown> };
  }
}

/** Where the JSON object at the start of `text` ends (strings and escapes respected). */
function jsonObjectEnd(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  throw new Error('the arguments do not end');
}
