import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  getLlama,
  LlamaChat,
  LlamaLogLevel,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatModelFunctions,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import type { Logger } from 'pino';
import { callSyntax, decode, stopSet, type CallSyntax, type Decoded } from './lean-decoder.js';
import { withLeanRendering } from './lean-wrapper.js';
import { SequencePool } from './sequence-pool.js';
import { withoutNulls } from './json-schema.js';

export interface LlamaRuntimeOptions {
  /** A local GGUF file; nothing is ever downloaded or built at run time. */
  modelPath: string;
  /** Threads for evaluation (node-llama-cpp's default of 4 is 44x slower on 2 cores). */
  threads: number;
  /** Tokens each sequence holds. */
  contextSize: number;
  /** Override the chat wrapper resolved from the model's own chat template. */
  chatWrapper?: ChatWrapper;
  /**
   * node-llama-cpp as it comes: the wrapper's JSON-schema tool documentation, earlier tool results in full, and
   * LlamaChat's own decoding (every token of the call syntax generated). Kept to measure against.
   */
  stock?: boolean;
  maxTokens?: number;
  /** People whose conversation stays in the model's cache, one context sequence each (LLM_SEQUENCES). */
  sequences?: number;
  /** Sequences decoded at once, in one batch (LLM_PARALLEL). */
  parallel?: number;
  /** How long a turn may wait for the model before it is answered without it (LLM_QUEUE_WAIT_MS). */
  queueWaitMs?: number;
}

/** llama.cpp's prebuilt CPU binding, as shipped in the package: nothing is built or downloaded at run time. */
export function localLlama(threads: number, logger: Logger): Promise<Llama> {
  return getLlama({
    gpu: false,
    build: 'never',
    usePrebuiltBinaries: true,
    skipDownload: true,
    progressLogs: false,
    maxThreads: threads,
    logLevel: LlamaLogLevel.warn,
    logger: (level, message) => logger.debug({ level, message: message.trim() }, 'llama.cpp'),
  });
}

/**
 * Sequences decoded at once when LLM_PARALLEL is unset. Batching pays where one decode step leaves compute idle
 * (a GPU, many cores): several people's tokens ride on one pass over the weights. On 2 CPU threads a step is
 * already compute-bound (bench/llm: 24-27 tok/s for one sequence, 26-29 for three in one batch), so
 * interleaving people only makes each wait longer.
 */
export function defaultParallel(threads: number): number {
  return threads <= 2 ? 1 : 4;
}
const DEFAULT_SEQUENCES = 4;
const DEFAULT_QUEUE_WAIT_MS = 9000;

/**
 * Prompt tokens evaluated and tokens generated, summed over the runtime's life, as node-llama-cpp's token meter
 * counts them: a generated token is one decode step (`outputTokens`); every other token put through the model
 * (prompt, forced syntax, the generated token fed back) is `inputTokens`.
 */
export interface LlamaUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface Generation {
  text: string;
  calls: { name: string; params: Record<string, unknown> }[];
  outputTokens: number;
}

interface Slot {
  sequence: LlamaContextSequence;
  /** node-llama-cpp's own chat loop on this sequence: the stock decoder, and the fallback for other schemas. */
  chat: LlamaChat;
}

/** The prompt every conversation starts with (system prompt and tool documentation), evaluated once. */
interface StaticPrefix {
  tokens: Token[];
  /** The sequence state holding exactly those tokens, restored into a sequence instead of evaluating them. */
  file: string;
}

/**
 * One loaded model with one context of several sequences. Each generation takes a sequence from a pool (the
 * person's own last one when free), and a sequence keeps its tokens between calls, so each turn only evaluates
 * what is new. The static prompt is evaluated once and copied into a sequence that needs it.
 */
export class LlamaRuntime {
  private readonly pool: SequencePool<Slot>;
  private readonly wrapper: ChatWrapper;
  private readonly syntaxes = new Map<string, CallSyntax | null>();
  private dir: string | null = null;
  private staticPrefix: StaticPrefix | null = null;
  /** Settles when the latest prewarm has: turns wait for it before they queue for a sequence. */
  private ready: Promise<void> = Promise.resolve();
  readonly usage: LlamaUsage = { calls: 0, inputTokens: 0, outputTokens: 0 };

  private constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly slots: Slot[],
    private readonly options: LlamaRuntimeOptions,
    private readonly logger: Logger,
    parallel: number,
  ) {
    this.wrapper = slots[0]!.chat.chatWrapper;
    this.pool = new SequencePool(slots, options.queueWaitMs ?? DEFAULT_QUEUE_WAIT_MS, parallel);
  }

  /** The first sequence's chat (all share one wrapper). */
  get chat(): LlamaChat {
    return this.slots[0]!.chat;
  }

  get sequences(): number {
    return this.slots.length;
  }

  get pending(): number {
    return this.pool.pending;
  }

  static async load(options: LlamaRuntimeOptions, logger: Logger): Promise<LlamaRuntime> {
    const llama = await localLlama(options.threads, logger);
    const started = Date.now();
    const model = await llama.loadModel({ modelPath: options.modelPath });
    const parallel = options.parallel ?? defaultParallel(options.threads);
    const sequences = Math.max(options.sequences ?? (options.stock ? parallel : DEFAULT_SEQUENCES), parallel);
    const context = await model.createContext({
      contextSize: options.contextSize,
      threads: options.threads,
      sequences,
    });
    const resolved = options.chatWrapper ?? resolveChatWrapper(model);
    const chatWrapper = options.stock ? resolved : withLeanRendering(resolved);
    const slots = Array.from({ length: sequences }, () => {
      const sequence = context.getSequence();
      return { sequence, chat: new LlamaChat({ contextSequence: sequence, chatWrapper }) };
    });
    logger.info(
      {
        modelPath: options.modelPath,
        ms: Date.now() - started,
        wrapper: chatWrapper.wrapperName,
        threads: options.threads,
        sequences,
        parallel,
      },
      'model loaded',
    );
    return new LlamaRuntime(llama, model, context, slots, options, logger, parallel);
  }

  /** The chat history as this model reads it, ending where its answer starts. */
  private render(history: ChatHistoryItem[], functions: ChatModelFunctions | undefined) {
    const chatHistory: ChatHistoryItem[] =
      history.at(-1)?.type === 'model' ? history : [...history, { type: 'model', response: [] }];
    const state = this.wrapper.generateContextState({
      chatHistory,
      availableFunctions: functions,
      documentFunctionParams: true,
    });
    return { tokens: state.contextText.tokenize(this.model.tokenizer), stops: state.stopGenerationTriggers };
  }

  /** Exactly how many tokens `history` (with these tools) is for this model: its wrapper, its tokenizer. */
  promptTokens(history: ChatHistoryItem[], functions: ChatModelFunctions | undefined): number {
    const { contextText } = this.wrapper.generateContextState({
      chatHistory: history,
      availableFunctions: functions,
      documentFunctionParams: true,
    });
    return contextText.tokenize(this.model.tokenizer).length;
  }

  /**
   * Evaluates the prompt every conversation starts with (the system prompt and tool documentation) and keeps a
   * copy of that state. Turns that arrive meanwhile wait for it (they need that prompt too), and the wait does
   * not count towards the queue wait. Prewarming again with the same prompt costs nothing.
   */
  prewarm(history: ChatHistoryItem[], functions: ChatModelFunctions | undefined): Promise<number> {
    const run = this.ready.then(async () => {
      const started = Date.now();
      const tokens = this.staticTokens(history, functions);
      if (this.staticPrefix && sameTokens(this.staticPrefix.tokens, tokens)) return 0;
      return this.pool.run('prewarm', async ({ sequence }) => {
        const pending = await this.align(sequence, tokens, false);
        if (pending.length) await sequence.evaluateWithoutGeneratingNewTokens(pending);
        this.dir ??= stateDirectory();
        const file = join(this.dir, `static-${randomBytes(6).toString('hex')}.bin`);
        await sequence.saveStateToFile(file);
        const previous = this.staticPrefix;
        this.staticPrefix = { tokens, file };
        if (previous) rmSync(previous.file, { force: true });
        this.logger.info(
          { tokens: tokens.length, evaluated: pending.length, ms: Date.now() - started },
          'model prewarmed',
        );
        return pending.length;
      });
    });
    this.ready = run.then(
      () => undefined,
      (error: unknown) => void this.logger.warn({ err: error }, 'prewarm failed'),
    );
    return run;
  }

  /** Whether a prewarm with this prompt has been done (so doing it again would evaluate nothing). */
  isPrewarmed(history: ChatHistoryItem[], functions: ChatModelFunctions | undefined): boolean {
    return (
      this.staticPrefix !== null &&
      sameTokens(this.staticPrefix.tokens, this.staticTokens(history, functions))
    );
  }

  /** The tokens every conversation after `history` starts with: up to where two different messages differ. */
  private staticTokens(history: ChatHistoryItem[], functions: ChatModelFunctions | undefined): Token[] {
    const a = this.render([...history, { type: 'user', text: 'a' }], functions).tokens;
    const b = this.render([...history, { type: 'user', text: 'b' }], functions).tokens;
    let n = 0;
    while (n < a.length && a[n] === b[n]) n++;
    return a.slice(0, n);
  }

  /**
   * Brings a sequence to the longest cached prefix of `prompt` (restoring the static prompt's state when that
   * is longer than what the sequence holds) and returns the tokens still to evaluate: at least one when the
   * model must answer (its answer needs the last token's logits).
   */
  private async align(sequence: LlamaContextSequence, prompt: Token[], answer = true): Promise<Token[]> {
    let keep = sequence.compareContextTokens(prompt).firstDifferentIndex;
    const s = this.staticPrefix;
    if (s && keep < s.tokens.length && s.tokens.length < prompt.length && startsWith(prompt, s.tokens)) {
      await sequence.loadStateFromFile(s.file, { acceptRisk: true });
      keep = s.tokens.length;
    }
    if (answer) keep = Math.min(keep, prompt.length - 1);
    if (keep < sequence.nextTokenIndex)
      await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
    return prompt.slice(keep);
  }

  private syntaxFor(functions: ChatModelFunctions): CallSyntax | null {
    const key = JSON.stringify(functions);
    if (!this.syntaxes.has(key)) {
      if (this.syntaxes.size >= 16) this.syntaxes.clear();
      this.syntaxes.set(key, callSyntax(this.wrapper, this.model, functions));
    }
    return this.syntaxes.get(key)!;
  }

  async generate(
    key: string,
    history: ChatHistoryItem[],
    functions: ChatModelFunctions | undefined,
    signal?: AbortSignal,
  ): Promise<Generation> {
    await this.ready;
    return this.pool.run(
      key,
      async (slot) => {
        signal?.throwIfAborted();
        const { sequence } = slot;
        const before = {
          input: sequence.tokenMeter.usedInputTokens,
          output: sequence.tokenMeter.usedOutputTokens,
        };
        const hasFunctions = functions !== undefined && Object.keys(functions).length > 0;
        const syntax = hasFunctions ? this.syntaxFor(functions) : null;
        const result =
          this.options.stock || (hasFunctions && !syntax)
            ? await this.stockGenerate(slot.chat, history, hasFunctions ? functions : undefined, signal)
            : await this.leanGenerate(sequence, history, functions, syntax, signal);
        this.usage.calls++;
        this.usage.inputTokens += sequence.tokenMeter.usedInputTokens - before.input;
        const outputTokens = sequence.tokenMeter.usedOutputTokens - before.output;
        this.usage.outputTokens += outputTokens;
        return { ...result, outputTokens };
      },
      signal,
    );
  }

  private async leanGenerate(
    sequence: LlamaContextSequence,
    history: ChatHistoryItem[],
    functions: ChatModelFunctions | undefined,
    syntax: CallSyntax | null,
    signal?: AbortSignal,
  ): Promise<Omit<Decoded, 'generated'>> {
    const { tokens, stops } = this.render(history, functions);
    const pending = await this.align(sequence, tokens);
    const decoded = await decode(
      {
        llama: this.llama,
        model: this.model,
        sequence,
        syntax,
        stops: stopSet(this.model, stops),
        maxTokens: this.options.maxTokens ?? 256,
        signal,
      },
      pending,
    );
    return {
      text: decoded.text,
      calls: decoded.calls.map((c) => ({ ...c, params: withoutNulls(c.params) })),
    };
  }

  private async stockGenerate(
    chat: LlamaChat,
    history: ChatHistoryItem[],
    functions: ChatModelFunctions | undefined,
    signal?: AbortSignal,
  ): Promise<Omit<Decoded, 'generated'>> {
    const response = await chat.generateResponse(history, {
      ...(functions && { functions, documentFunctionParams: true, maxParallelFunctionCalls: 1 }),
      maxTokens: this.options.maxTokens ?? 256,
      temperature: 0,
      signal,
      // No lastEvaluationContextWindow: it is not a cache key but a window node-llama-cpp evaluates INSTEAD of
      // this history when half of it is cached. The sequence reuses the longest cached prefix by itself.
    });
    return {
      text: response.response,
      calls: (response.functionCalls ?? []).map((c) => ({
        name: c.functionName,
        params: withoutNulls((c.params ?? {}) as Record<string, unknown>),
      })),
    };
  }

  async dispose(): Promise<void> {
    await this.ready;
    for (const { chat } of this.slots) chat.dispose();
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

const STATE_DIR = /^pactus-llm-(\d+)-/;

/**
 * A private directory for saved sequence states, named after this process: a process killed before it could
 * clean up (a contributor stopped with SIGKILL) leaves its directory behind, and the next runtime to start
 * removes the directories of processes that are gone.
 */
function stateDirectory(): string {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(STATE_DIR.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid))
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
  return mkdtempSync(join(tmpdir(), `pactus-llm-${process.pid}-`));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const startsWith = (a: Token[], b: Token[]) => b.length <= a.length && b.every((t, i) => a[i] === t);
const sameTokens = (a: Token[], b: Token[]) => a.length === b.length && startsWith(a, b);
