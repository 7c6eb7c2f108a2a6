import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import { AIMessage, type AIMessageChunk, type BaseMessage, type ToolMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import {
  getLlama,
  LlamaChat,
  LlamaLogLevel,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatModelFunctionCall,
  type ChatModelFunctions,
  type ChatWrapper,
  type LlamaContext,
  type LlamaModel,
  type Llama,
} from 'node-llama-cpp';
import type { Logger } from 'pino';
import { withCompactToolDocs } from './compact-tools.js';
import { SequencePool } from './sequence-pool.js';
import { toGbnfSchema, withoutNulls } from './json-schema.js';
import { turnKey } from './turn-key.js';

export interface LlamaRuntimeOptions {
  /** A local GGUF file; nothing is ever downloaded or built at run time. */
  modelPath: string;
  /** Threads for evaluation (node-llama-cpp's default of 4 is 44x slower on 2 cores). */
  threads: number;
  contextSize: number;
  /** Override the chat wrapper resolved from the model's own chat template. */
  chatWrapper?: ChatWrapper;
  /**
   * `compact` (default): one line per tool in the prompt. `stock`: the wrapper's own JSON-schema documentation
   * (kept to measure against in benchmarks).
   */
  toolDocs?: 'compact' | 'stock';
  maxTokens?: number;
  /** People served at once: context sequences decoded together in one batch (LLM_PARALLEL). */
  sequences?: number;
  /** How long a turn may wait for a free sequence before it is answered without the model (LLM_QUEUE_WAIT_MS). */
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
 * Sequences when LLM_PARALLEL is unset. Batching pays where one decode step leaves compute idle (a GPU, many
 * cores): several people's tokens ride on one pass over the weights. On 2 CPU threads a step is already
 * compute-bound (bench/llm: 24-27 tok/s for one sequence, 26-29 for three in one batch), so interleaving people
 * only makes each wait longer: across runs, 16 people at once got their slowest answer after 8.0-8.7 s on
 * one sequence and 8.5-14.4 s on four.
 */
export function defaultSequences(threads: number): number {
  return threads <= 2 ? 1 : 4;
}
const DEFAULT_QUEUE_WAIT_MS = 8000;

export interface LlamaCallOptions extends BaseChatModelCallOptions {
  tools?: BindToolsInput[];
}

/** Prompt tokens evaluated and tokens generated, summed over the model's life (for benchmarks and logs). */
export interface LlamaUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

/**
 * One loaded model with one context of several sequences. Each generation takes a sequence from a pool (the
 * person's own last one when free), and node-llama-cpp decodes the busy sequences together in one batch, so
 * several people are served at once for little more than one. A sequence keeps its tokens between calls, so the
 * shared prefix (system prompt and tool documentation) and the person's earlier turns are evaluated once and
 * each turn only evaluates what is new.
 */
export class LlamaRuntime {
  private readonly pool: SequencePool<LlamaChat>;
  readonly usage: LlamaUsage = { calls: 0, inputTokens: 0, outputTokens: 0 };

  private constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly chats: LlamaChat[],
    private readonly options: LlamaRuntimeOptions,
  ) {
    this.pool = new SequencePool(chats, options.queueWaitMs ?? DEFAULT_QUEUE_WAIT_MS);
  }

  /** The first sequence's chat (all share one wrapper). */
  get chat(): LlamaChat {
    return this.chats[0]!;
  }

  get sequences(): number {
    return this.chats.length;
  }

  static async load(options: LlamaRuntimeOptions, logger: Logger): Promise<LlamaRuntime> {
    const llama = await localLlama(options.threads, logger);
    const started = Date.now();
    const model = await llama.loadModel({ modelPath: options.modelPath });
    const sequences = options.sequences ?? defaultSequences(options.threads);
    const context = await model.createContext({
      contextSize: options.contextSize,
      threads: options.threads,
      sequences,
    });
    const resolved = options.chatWrapper ?? resolveChatWrapper(model);
    const chatWrapper = options.toolDocs === 'stock' ? resolved : withCompactToolDocs(resolved);
    const chats = Array.from(
      { length: sequences },
      () => new LlamaChat({ contextSequence: context.getSequence(), chatWrapper }),
    );
    const chat = chats[0]!;
    logger.info(
      {
        modelPath: options.modelPath,
        ms: Date.now() - started,
        wrapper: chat.chatWrapper.wrapperName,
        threads: options.threads,
        sequences,
      },
      'model loaded',
    );
    return new LlamaRuntime(llama, model, context, chats, options);
  }

  /** Exactly how many tokens `history` (with these tools) is for this model: its wrapper, its tokenizer. */
  promptTokens(history: ChatHistoryItem[], functions: ChatModelFunctions | undefined): number {
    const { contextText } = this.chat.chatWrapper.generateContextState({
      chatHistory: history,
      availableFunctions: functions,
      documentFunctionParams: true,
    });
    return contextText.tokenize(this.model.tokenizer).length;
  }

  get pending(): number {
    return this.pool.pending;
  }

  generate(
    key: string,
    history: ChatHistoryItem[],
    functions: ChatModelFunctions | undefined,
    signal?: AbortSignal,
  ): Promise<{
    text: string;
    calls: { name: string; params: Record<string, unknown> }[];
    outputTokens: number;
  }> {
    return this.pool.run(
      key,
      async (chat) => {
        signal?.throwIfAborted();
        const sequence = chat.sequence;
        const before = {
          input: sequence.tokenMeter.usedInputTokens,
          output: sequence.tokenMeter.usedOutputTokens,
        };
        const response = await chat.generateResponse(history, {
          ...(functions && Object.keys(functions).length
            ? { functions, documentFunctionParams: true, maxParallelFunctionCalls: 1 }
            : {}),
          maxTokens: this.options.maxTokens ?? 256,
          temperature: 0,
          signal,
          // No lastEvaluationContextWindow: it is not a cache key but a window node-llama-cpp evaluates INSTEAD of
          // this history when half of it is cached (so every turn answered the prewarm's "hi"). The sequence
          // reuses the longest cached prefix of the new history by itself.
        });
        this.usage.calls++;
        this.usage.inputTokens += sequence.tokenMeter.usedInputTokens - before.input;
        const outputTokens = sequence.tokenMeter.usedOutputTokens - before.output;
        this.usage.outputTokens += outputTokens;
        return {
          outputTokens,
          text: response.response,
          calls: (response.functionCalls ?? []).map((c) => ({
            name: c.functionName,
            params: withoutNulls((c.params ?? {}) as Record<string, unknown>),
          })),
        };
      },
      signal,
    );
  }

  async dispose(): Promise<void> {
    for (const chat of this.chats) chat.dispose();
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}

/** LangChain tools -> node-llama-cpp functions (names, descriptions, grammar-ready parameter schemas). */
export function toLlamaFunctions(tools: BindToolsInput[] | undefined): ChatModelFunctions | undefined {
  if (!tools?.length) return undefined;
  const functions: Record<string, { description?: string; params?: ReturnType<typeof toGbnfSchema> }> = {};
  for (const t of tools) {
    const { function: fn } = convertToOpenAITool(t as Parameters<typeof convertToOpenAITool>[0]);
    functions[fn.name] = {
      description: fn.description,
      params: toGbnfSchema((fn.parameters ?? { type: 'object' }) as never),
    };
  }
  return functions;
}

function contentText(message: BaseMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : '')).join('');
}

/** LangChain messages -> node-llama-cpp chat history; tool results are attached to the calls that made them. */
export function toChatHistory(messages: BaseMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const calls = new Map<string, ChatModelFunctionCall>();
  for (const message of messages) {
    switch (message.getType()) {
      case 'system':
        history.push({ type: 'system', text: contentText(message) });
        break;
      case 'human':
        history.push({ type: 'user', text: contentText(message) });
        break;
      case 'ai': {
        const ai = message as AIMessage;
        const response: ChatModelResponseItem[] = [];
        const textPart = contentText(ai);
        if (textPart) response.push(textPart);
        for (const call of ai.tool_calls ?? []) {
          const item: ChatModelFunctionCall = {
            type: 'functionCall',
            name: call.name,
            params: call.args,
            result: undefined,
          };
          if (call.id) calls.set(call.id, item);
          response.push(item);
        }
        history.push({ type: 'model', response });
        break;
      }
      case 'tool': {
        const tool = message as ToolMessage;
        const call = calls.get(tool.tool_call_id);
        if (call) call.result = contentText(tool);
        break;
      }
      default:
        break;
    }
  }
  return history;
}

type ChatModelResponseItem = Extract<ChatHistoryItem, { type: 'model' }>['response'][number];

let callCounter = 0;

/**
 * A LangChain chat model over node-llama-cpp with native function calling: `bindTools` hands the tools to
 * `LlamaChat.generateResponse` as functions (which returns calls without running them), and the returned calls
 * become `AIMessage.tool_calls` for LangChain to execute.
 */
export class LlamaChatModel extends BaseChatModel<LlamaCallOptions> {
  constructor(readonly runtime: LlamaRuntime) {
    super({});
  }

  _llmType(): string {
    return 'node-llama-cpp';
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<LlamaCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, LlamaCallOptions> {
    return this.withConfig({ ...kwargs, tools } as Partial<LlamaCallOptions>);
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const key = turnKey.getStore() ?? 'anonymous';
    const result = await this.runtime.generate(
      key,
      toChatHistory(messages),
      toLlamaFunctions(options.tools),
      options.signal,
    );
    const message = new AIMessage({
      content: result.text,
      tool_calls: result.calls.map((c) => ({
        name: c.name,
        args: c.params,
        id: `llama_${++callCounter}`,
        type: 'tool_call' as const,
      })),
    });
    return { generations: [{ text: result.text, message }] };
  }

  /**
   * Evaluates the system prompt and tool documentation into every sequence at start-up (one at a time, so the
   * first person waits for one sequence at most), so turns start from a cached prefix.
   */
  async prewarm(systemPrompt: string, tools: BindToolsInput[]): Promise<void> {
    for (let i = 0; i < this.runtime.sequences; i++)
      await this.runtime
        .generate(
          `prewarm-${i}`,
          [
            { type: 'system', text: systemPrompt },
            { type: 'user', text: 'hi' },
          ],
          toLlamaFunctions(tools),
          AbortSignal.timeout(120_000),
        )
        .catch(() => undefined);
  }

  async dispose(): Promise<void> {
    await this.runtime.dispose();
  }
}

export async function createLlamaChatModel(
  options: LlamaRuntimeOptions,
  logger: Logger,
): Promise<LlamaChatModel> {
  return new LlamaChatModel(await LlamaRuntime.load(options, logger));
}
