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
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelFunctions } from 'node-llama-cpp';
import type { Logger } from 'pino';
import { toGbnfSchema } from './json-schema.js';
import { LlamaRuntime, type LlamaRuntimeOptions } from './llama-runtime.js';
import { turnKey } from './turn-key.js';

export {
  defaultParallel,
  LlamaRuntime,
  localLlama,
  type LlamaRuntimeOptions,
  type LlamaUsage,
} from './llama-runtime.js';

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

export interface LlamaCallOptions extends BaseChatModelCallOptions {
  tools?: BindToolsInput[];
}

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
   * Evaluates the system prompt and tool documentation once at start-up, so every turn starts from a cached
   * prefix (see LlamaRuntime.prewarm: turns that arrive meanwhile wait for it). Resolves when it is done.
   */
  async prewarm(systemPrompt: string, tools: BindToolsInput[]): Promise<void> {
    await this.runtime
      .prewarm([{ type: 'system', text: systemPrompt }], toLlamaFunctions(tools))
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
