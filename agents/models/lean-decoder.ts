import {
  LlamaGrammar,
  LlamaGrammarEvaluationState,
  LlamaText,
  type ChatModelFunctions,
  type ChatWrapper,
  type Llama,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { CallMachine, UnsupportedSchema, type States } from './call-machine.js';

/**
 * One model turn decoded by us rather than by node-llama-cpp's LlamaChat: the model chooses only where there is
 * a choice, and everything the call syntax forces is evaluated in one batch.
 *
 * After the prompt the model writes freely. If its first token starts the wrapper's call prefix (Qwen:
 * `<tool_call>`), the rest of the prefix is forced; then, at each step, the text every valid call must continue
 * with (the rest of a name once only one fits, `", "arguments": {"address": "`, closing quotes and braces) goes
 * into the next batch with the token the model just chose, and the model picks the next token under a grammar
 * of the valid continuations. Nothing after the arguments is evaluated. LlamaChat instead generates every token
 * of the syntax one decode step at a time (16 steps for `balance(A1)` with Qwen's template, 5 here).
 *
 * The last token of a forced text is held back when the text would tokenize differently depending on what
 * follows (` {` before `"address"` is the single token ` {"`), so the model reads the tokenization it was
 * trained on: it then writes that token itself, under the grammar.
 */

export interface CallSyntax {
  /** The token a call starts with; the rest of the call prefix is forced after it. */
  start: Token;
  prefixRest: Token[];
  machine: CallMachine;
  grammars: Map<string, LlamaGrammar>;
}

export interface Decoded {
  text: string;
  calls: { name: string; params: Record<string, unknown> }[];
  /** Tokens the model chose (each one decode step). */
  generated: number;
}

const PLAIN = 'trimLeadingSpace';

/** Plain text when a LlamaText tokenizes the same as its text would (no real special tokens in it). */
function plainText(model: LlamaModel, value: unknown): string | null {
  const text = LlamaText(value as string).toString();
  const asIs = LlamaText(value as string).tokenize(model.tokenizer, PLAIN);
  const plain = model.tokenize(text, false, PLAIN);
  return asIs.length === plain.length && asIs.every((t, i) => t === plain[i]) ? text : null;
}

/** The plain-text start of a LlamaText: its values up to the first one that is a real special token. */
function plainStart(model: LlamaModel, value: unknown): string {
  let text = '';
  for (const part of LlamaText(value as string).values) {
    const plain = plainText(model, part);
    if (plain === null) break;
    text += plain;
  }
  return text;
}

/**
 * The wrapper's call syntax for these functions, or null when this decoder cannot write it (no function
 * calling in the wrapper, special tokens inside the params prefix, parameter schemas that are not flat): the
 * runtime then lets node-llama-cpp decode.
 */
export function callSyntax(
  wrapper: ChatWrapper,
  model: LlamaModel,
  functions: ChatModelFunctions,
): CallSyntax | null {
  const call = wrapper.settings.functions?.call;
  if (!call) return null;
  const prefix = LlamaText(call.prefix).tokenize(model.tokenizer, PLAIN);
  const paramsPrefix = plainText(model, call.paramsPrefix);
  if (!prefix.length || paramsPrefix === null || /\{\{functionName\}\}/.test(paramsPrefix)) return null;
  try {
    const machine = new CallMachine(functions, paramsPrefix, plainStart(model, call.suffix));
    return { start: prefix[0]!, prefixRest: prefix.slice(1), machine, grammars: new Map() };
  } catch (error) {
    if (error instanceof UnsupportedSchema) return null;
    throw error;
  }
}

export interface StopSet {
  tokens: Set<Token>;
  texts: string[];
}

/** The wrapper's stop triggers: single tokens by id, longer ones by their text. */
export function stopSet(model: LlamaModel, triggers: readonly LlamaText[]): StopSet {
  const tokens = new Set<Token>();
  const texts: string[] = [];
  for (const trigger of triggers) {
    const ids = trigger.tokenize(model.tokenizer, PLAIN);
    if (ids.length === 1) tokens.add(ids[0]!);
    const text = trigger.toString();
    if (text) texts.push(text);
  }
  return { tokens, texts };
}

export interface DecodeContext {
  llama: Llama;
  model: LlamaModel;
  sequence: LlamaContextSequence;
  syntax: CallSyntax | null;
  stops: StopSet;
  maxTokens: number;
  signal?: AbortSignal;
}

const startsWith = (a: Token[], b: Token[]) => b.length <= a.length && b.every((t, i) => a[i] === t);

/** Decodes from the sequence's current state; `pending` are the prompt tokens not yet evaluated (at least one). */
export async function decode(ctx: DecodeContext, pending: Token[]): Promise<Decoded> {
  const { model, sequence, syntax, stops } = ctx;
  const textTokens: Token[] = [];
  let generated = 0;
  let callStarts = false;
  for await (const token of sequence.evaluate(pending, { temperature: 0 })) {
    ctx.signal?.throwIfAborted();
    generated++;
    if (syntax && token === syntax.start) {
      callStarts = true;
      break;
    }
    if (stops.tokens.has(token)) break;
    textTokens.push(token);
    const text = model.detokenize(textTokens, false);
    if (stops.texts.some((s) => text.endsWith(s)) || generated >= ctx.maxTokens) break;
  }
  let text = model.detokenize(textTokens, false);
  for (const s of stops.texts) if (text.endsWith(s)) text = text.slice(0, -s.length);
  if (!callStarts || !syntax) return { text, calls: [], generated };
  const call = await decodeCall(ctx, syntax, [syntax.start, ...syntax.prefixRest], ctx.maxTokens - generated);
  return {
    text,
    calls: call ? [call.call] : [],
    generated: generated + (call?.generated ?? ctx.maxTokens),
  };
}

/** A call's name and arguments, or null when the token budget ran out first. */
async function decodeCall(
  ctx: DecodeContext,
  syntax: CallSyntax,
  pending: Token[],
  budget: number,
): Promise<{ call: Decoded['calls'][number]; generated: number } | null> {
  const { model, sequence } = ctx;
  const { machine } = syntax;
  let states: States = machine.start;
  let written = '';
  let generated = 0;
  for (;;) {
    const forced = machine.forced(states);
    if (forced.done) return { call: machine.parse(written + forced.text), generated };
    const { tokens, text } = settle(model, machine, states, forced.text);
    pending.push(...tokens);
    written += text;
    states = machine.step(states, text)!;
    // The model chooses until what it wrote leaves forced text (or ends the call) behind.
    const grammarEvaluationState = new LlamaGrammarEvaluationState({
      model,
      grammar: grammar(ctx, syntax, states),
    });
    const segment: Token[] = [];
    // What precedes the segment, for tokenizers whose pieces depend on it (a leading space in SentencePiece).
    const before = [...sequence.contextTokens, ...pending].slice(-8);
    let next: States | null = null;
    let chose = false;
    for await (const token of sequence.evaluate(pending, { temperature: 0, grammarEvaluationState })) {
      ctx.signal?.throwIfAborted();
      generated++;
      segment.push(token);
      const piece = model.detokenize(segment, false, before);
      next = piece.endsWith('\uFFFD') ? null : machine.step(states, piece); // a character split across tokens
      if (next && (machine.complete(next) || machine.forced(next).text)) {
        written += piece;
        chose = true;
        break;
      }
      if (generated >= budget) return null;
      if (!next && !piece.endsWith('\uFFFD')) throw new Error('the model left the call grammar');
    }
    if (!chose || !next) throw new Error('the model stopped inside a call');
    if (machine.complete(next)) return { call: machine.parse(written), generated };
    states = next;
    pending = [segment.at(-1)!];
  }
}

/**
 * The forced text's tokens to evaluate now, and the text they cover. When a continuation could merge with the
 * forced text's last token, that token is left for the model to write (it can also write the merged one).
 */
function settle(
  model: LlamaModel,
  machine: CallMachine,
  states: States,
  forced: string,
): { tokens: Token[]; text: string } {
  if (!forced) return { tokens: [], text: '' };
  const tokens = model.tokenize(forced, false, PLAIN);
  const after = machine.step(states, forced)!;
  const stable = machine
    .probes(after)
    .every((probe) => startsWith(model.tokenize(forced + probe, false, PLAIN), tokens));
  if (stable) return { tokens, text: forced };
  const kept = tokens.slice(0, -1);
  const text = model.detokenize(kept, false);
  return forced.startsWith(text) ? { tokens: kept, text } : { tokens, text: forced };
}

function grammar(ctx: DecodeContext, syntax: CallSyntax, states: States): LlamaGrammar {
  const key = states.join(',');
  let found = syntax.grammars.get(key);
  if (!found) {
    found = new LlamaGrammar(ctx.llama, { grammar: syntax.machine.gbnf(states) });
    if (syntax.grammars.size >= 256) syntax.grammars.delete(syntax.grammars.keys().next().value!);
    syntax.grammars.set(key, found);
  }
  return found;
}
