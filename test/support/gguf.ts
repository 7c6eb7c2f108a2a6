// Writes tiny GGUF models at test time (nothing binary is committed). A "scripted" model follows a given token
// script under greedy decoding: each token's embedding is a random unit vector u_t (scaled by sqrt(d)),
// attention and FFN outputs are zero so the residual stream carries u_t unchanged, and output row j is the sum
// of u_i over the tokens i whose successor is j. The model is a lookup table in transformer clothing.
//
// A conditioned model (qwen2 architecture, for its attention biases) adds one attention head that finds the
// latest "trigger" token in the context: its query is a constant (the bias), only trigger tokens have a key, and
// one RoPE frequency is made low enough that the score falls with distance, so the nearest trigger wins. The head
// copies that trigger's direction g into the residual stream, and a conditional successor's output row carries
// g, so after the same token the model continues differently depending on which trigger it saw last. A runtime
// that evaluated some other context than the one it was given picks the wrong continuation.
import { seededRandom } from '../../compute/simulate.js';
import { writeGguf } from './gguf-file.js';

export { writeGguf, type Meta, type Tensor } from './gguf-file.js';
import type { Meta, Tensor } from './gguf-file.js';

export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

export interface Vocab {
  tokens: string[];
  types: number[];
  id(text: string): number;
}

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** SPM byte-fallback vocabulary: specials, 256 byte tokens, printable ASCII, ChatML markers, then `extra`. */
export function buildVocab(extra: string[]): Vocab {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TOKEN_TYPE.byte);
  }
  tokens.push('▁');
  types.push(TOKEN_TYPE.normal);
  for (let c = 0x21; c < 0x7f; c++) {
    tokens.push(String.fromCharCode(c));
    types.push(TOKEN_TYPE.normal);
  }
  tokens.push('<|im_start|>', '<|im_end|>');
  types.push(TOKEN_TYPE.control, TOKEN_TYPE.control);
  for (const piece of extra) {
    const spm = piece.replaceAll(' ', '▁');
    if (tokens.includes(spm)) continue;
    tokens.push(spm);
    types.push(TOKEN_TYPE.normal);
  }
  const index = new Map(tokens.map((t, i) => [t, i]));
  return {
    tokens,
    types,
    id(text) {
      const found = index.get(text.replaceAll(' ', '▁'));
      if (found === undefined) throw new Error(`token ${JSON.stringify(text)} is not in the vocabulary`);
      return found;
    },
  };
}

/** A deterministic pseudo-random generator, so the same script always writes the same file. */
const rng = seededRandom;

export interface ScriptedModelOptions {
  path: string;
  vocab: Vocab;
  /** successor[token id] = the token id greedy decoding picks next. */
  successors: Map<number, number[]>;
  /**
   * After token `from`, pick `next` when the latest trigger token in the context is `trigger` (token ids).
   * Needs `triggers`; a `from` listed here must not also be in `successors`.
   */
  conditional?: { from: number; trigger: number; next: number }[];
  /** Token ids the model looks back for (at most 16). */
  triggers?: number[];
  embedding?: number;
  layers?: number;
  chatTemplate?: string;
  seed?: number;
}

/**
 * Writes a llama-architecture GGUF whose greedy next token after token i is successors(i) (the first listed;
 * several successors for one token get decreasing logits, letting a grammar pick the next allowed one).
 */
export function writeScriptedModel(options: ScriptedModelOptions): void {
  const conditioned = (options.triggers?.length ?? 0) > 0;
  const d = options.embedding ?? (conditioned ? 128 : 64);
  const layers = options.layers ?? 2;
  const ff = d * 2;
  const heads = conditioned ? d / HEAD_DIM : 4;
  const vocab = options.vocab;
  const n = vocab.tokens.length;
  const random = rng(options.seed ?? 7);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const unit: Float32Array[] = [];
  for (let t = 0; t < n; t++) {
    const v = new Float32Array(d);
    let norm = 0;
    for (let k = 0; k < d; k++) {
      v[k] = gauss();
      norm += v[k]! * v[k]!;
    }
    norm = Math.sqrt(norm);
    for (let k = 0; k < d; k++) v[k] = v[k]! / norm;
    unit.push(v);
  }
  const scale = Math.sqrt(d);
  const embd = new Float32Array(n * d);
  for (let t = 0; t < n; t++) for (let k = 0; k < d; k++) embd[t * d + k] = unit[t]![k]! * scale;
  const output = new Float32Array(n * d);
  for (const [from, nexts] of options.successors) {
    nexts.forEach((to, rank) => {
      const weight = 4 / (rank + 1); // first choice strongest; later ones are fallbacks for a grammar
      for (let k = 0; k < d; k++) output[to * d + k] = output[to * d + k]! + unit[from]![k]! * weight;
    });
  }
  const ones = (len: number) => new Float32Array(len).fill(1);
  const zeros = (len: number) => new Float32Array(len);
  const head = conditioned ? triggerHead(options, unit, d, random) : null;
  if (head)
    for (const { from, trigger, next } of options.conditional ?? []) {
      const g = head.directions.get(trigger);
      if (!g) throw new Error(`token ${trigger} is not a trigger`);
      for (let k = 0; k < d; k++)
        output[next * d + k] = output[next * d + k]! + unit[from]![k]! * 4 + g[k]! * TRIGGER_GAIN;
    }
  const tensors: Tensor[] = [
    { name: 'token_embd.weight', dims: [d, n], data: embd },
    { name: 'output_norm.weight', dims: [d], data: ones(d) },
    { name: 'output.weight', dims: [d, n], data: output },
  ];
  for (let l = 0; l < layers; l++) {
    const first = head && l === 0;
    tensors.push(
      { name: `blk.${l}.attn_norm.weight`, dims: [d], data: ones(d) },
      { name: `blk.${l}.attn_q.weight`, dims: [d, d], data: zeros(d * d) },
      { name: `blk.${l}.attn_k.weight`, dims: [d, d], data: first ? head.key : zeros(d * d) },
      { name: `blk.${l}.attn_v.weight`, dims: [d, d], data: first ? head.value : zeros(d * d) },
      { name: `blk.${l}.attn_output.weight`, dims: [d, d], data: first ? head.output : zeros(d * d) },
      { name: `blk.${l}.ffn_norm.weight`, dims: [d], data: ones(d) },
      { name: `blk.${l}.ffn_gate.weight`, dims: [d, ff], data: zeros(d * ff) },
      { name: `blk.${l}.ffn_up.weight`, dims: [d, ff], data: zeros(d * ff) },
      { name: `blk.${l}.ffn_down.weight`, dims: [ff, d], data: zeros(ff * d) },
    );
    if (conditioned)
      tensors.push(
        { name: `blk.${l}.attn_q.bias`, dims: [d], data: first ? head.queryBias : zeros(d) },
        { name: `blk.${l}.attn_k.bias`, dims: [d], data: zeros(d) },
        { name: `blk.${l}.attn_v.bias`, dims: [d], data: zeros(d) },
      );
  }
  const arch = conditioned ? 'qwen2' : 'llama';
  const meta: [string, Meta][] = [
    ['general.architecture', { type: 'str', value: arch }],
    ['general.name', { type: 'str', value: 'pactus-bot scripted test model' }],
    ['general.alignment', { type: 'u32', value: 32 }],
    [`${arch}.context_length`, { type: 'u32', value: 32768 }],
    [`${arch}.embedding_length`, { type: 'u32', value: d }],
    [`${arch}.block_count`, { type: 'u32', value: layers }],
    [`${arch}.feed_forward_length`, { type: 'u32', value: ff }],
    [`${arch}.attention.head_count`, { type: 'u32', value: heads }],
    [`${arch}.attention.head_count_kv`, { type: 'u32', value: heads }],
    [`${arch}.attention.layer_norm_rms_epsilon`, { type: 'f32', value: 1e-5 }],
    [`${arch}.rope.dimension_count`, { type: 'u32', value: d / heads }],
    ...(conditioned
      ? ([[`${arch}.rope.freq_base`, { type: 'f32', value: ROPE_BASE }]] as [string, Meta][])
      : []),
    [`${arch}.vocab_size`, { type: 'u32', value: n }],
    ['tokenizer.ggml.model', { type: 'str', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'str[]', value: vocab.tokens }],
    [
      'tokenizer.ggml.scores',
      {
        type: 'f32[]',
        value: vocab.tokens.map((t, i) => (vocab.types[i] === TOKEN_TYPE.normal ? -t.length : 0)),
      },
    ],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: vocab.types }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: 2 }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.chat_template', { type: 'str', value: options.chatTemplate ?? CHATML_TEMPLATE }],
  ];
  writeGguf(options.path, meta, tensors);
}

const HEAD_DIM = 16;
/** NEOX RoPE pair (7, 15) of a 16-dim head turns at base^(-14/16) = 0.001 rad per token: over 3,000 tokens, the
 * score cos(0.001 * distance) falls monotonically, so a nearer trigger always scores higher. */
const ROPE_BASE = 0.001 ** (-16 / 14);
const ROPE_DIM = 7;
/** Query and key sizes: score = Q*K/sqrt(16) * cos(...) ~ 5,600 for a trigger, so 100 tokens' difference in
 * distance is a gap of ~100 in the softmax. */
const QUERY = 150;
const KEY = 150;
const TRIGGER_GAIN = 2;

/** Head 0 of layer 0: a constant query, keys and values only for trigger tokens, values written back as g_t. */
function triggerHead(options: ScriptedModelOptions, unit: Float32Array[], d: number, random: () => number) {
  const triggers = options.triggers!;
  if (triggers.length > HEAD_DIM) throw new Error(`at most ${HEAD_DIM} triggers`);
  const queryBias = new Float32Array(d);
  queryBias[ROPE_DIM] = QUERY;
  const key = new Float32Array(d * d);
  const value = new Float32Array(d * d);
  const output = new Float32Array(d * d);
  const scale = Math.sqrt(d); // the normalised residual is u * sqrt(d)
  const directions = new Map<number, Float32Array>();
  triggers.forEach((t, j) => {
    for (let k = 0; k < d; k++) {
      key[ROPE_DIM * d + k] = key[ROPE_DIM * d + k]! + (unit[t]![k]! * KEY) / scale;
      value[j * d + k] = unit[t]![k]!; // value dim j of head 0 = u_t . u * sqrt(d) = sqrt(d) for trigger j
    }
    const g = new Float32Array(d);
    let norm = 0;
    for (let k = 0; k < d; k++) {
      g[k] = random() - 0.5;
      norm += g[k]! * g[k]!;
    }
    for (let k = 0; k < d; k++) {
      g[k] = g[k]! / Math.sqrt(norm);
      output[k * d + j] = g[k]!; // residual += sqrt(d) * g_j, as large as the token's own embedding
    }
    directions.set(t, g);
  });
  return { queryBias, key, value, output, directions };
}

/** successors from explicit (token, next token) pairs; token texts use plain spaces. */
export function successorsFrom(vocab: Vocab, pairs: [string, string][]): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const [from, to] of pairs) {
    const id = vocab.id(from);
    if (map.has(id)) throw new Error(`token ${JSON.stringify(from)} has two successors`);
    map.set(id, [vocab.id(to)]);
  }
  return map;
}

/**
 * The script of a native function call in node-llama-cpp's default syntax (`||call: name(params)`). When the
 * call prefix is detected, node-llama-cpp re-evaluates it as text, so the model picks the function name after
 * the prefix's trailing space token, and the parameters after the "(" token.
 */
export function functionCallScript(
  name: string,
  paramsTokens: string[],
): { tokens: string[]; pairs: [string, string][] } {
  const pairs: [string, string][] = [
    ['<0x0A>', '||call:'],
    [' ', name],
    ['(', paramsTokens[0]!],
  ];
  for (let i = 0; i + 1 < paramsTokens.length; i++) pairs.push([paramsTokens[i]!, paramsTokens[i + 1]!]);
  pairs.push([paramsTokens.at(-1)!, ')'], [')', '</s>']);
  return { tokens: ['||call:', name, ...paramsTokens], pairs };
}

/** successors for a linear script: script[0] follows `after` (all ids), script[i+1] follows script[i]. */
export function chainSuccessors(vocab: Vocab, after: number[], script: string[]): Map<number, number[]> {
  const ids = script.map((s) => vocab.id(s));
  const map = new Map<number, number[]>();
  for (const a of after) map.set(a, [ids[0]!]);
  for (let i = 0; i + 1 < ids.length; i++) {
    if (map.has(ids[i]!) && map.get(ids[i]!)![0] !== ids[i + 1])
      throw new Error(`token ${script[i]} appears twice in the script`);
    map.set(ids[i]!, [ids[i + 1]!]);
  }
  return map;
}

/**
 * A native function call whose function name depends on the latest trigger token in the context: after the
 * call prefix's space, `names[trigger]` (all with the same parameter tokens).
 */
export function conditionedCallScript(
  names: Record<string, string>,
  paramsTokens: string[],
): {
  tokens: string[];
  pairs: [string, string][];
  triggers: string[];
  conditional: [string, string, string][];
} {
  const base = functionCallScript(Object.values(names)[0]!, paramsTokens);
  return {
    tokens: [...base.tokens, ...Object.values(names), ...Object.keys(names)],
    pairs: base.pairs.filter(([from]) => from !== ' '),
    triggers: Object.keys(names),
    conditional: Object.entries(names).map(([trigger, name]) => [' ', trigger, name]),
  };
}
