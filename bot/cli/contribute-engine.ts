// A contributor's in-process engine: the OpenAI chat-completions shape over node-llama-cpp (the same runtime the
// bot uses for LLM_MODEL_PATH), tool calls included. Token counts are exact for the model: the prompt is counted
// through its chat wrapper and tokenizer (not what the KV cache happened to skip), so two honest nodes running
// the same request report the same numbers. Each person (OpenAI's `user` field: an opaque key the bot sends) keeps
// a sequence of their own, as in the bot's own process, and the bot's static prompt is evaluated once, when the
// bot sends it at admission (POST /v1/pactus/prewarm).
import {
  AIMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from '@langchain/core/messages';
import type { BindToolsInput } from '@langchain/core/language_models/chat_models';
import type { Engine, Prewarm } from '../../compute/contributor.js';
import { toChatHistory, toLlamaFunctions, type LlamaRuntime } from '../../agents/models/llama-model.js';

interface OpenAiMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content?: string | null;
  tool_call_id?: string;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
}

function toMessages(messages: OpenAiMessage[]): BaseMessage[] {
  return messages.map((m) => {
    const content = m.content ?? '';
    switch (m.role) {
      case 'system':
        return new SystemMessage(content);
      case 'user':
        return new HumanMessage(content);
      case 'tool':
        return new ToolMessage({ content, tool_call_id: m.tool_call_id ?? '' });
      case 'assistant':
        return new AIMessage({
          content,
          tool_calls: (m.tool_calls ?? []).map((c) => ({
            id: c.id,
            name: c.function.name,
            args: JSON.parse(c.function.arguments || '{}') as Record<string, unknown>,
            type: 'tool_call' as const,
          })),
        });
      default:
        throw new Error(`unknown message role ${String((m as { role: unknown }).role)}`);
    }
  });
}

/** The request's person: the bot's opaque `user` key (bounded), or everyone else together. */
function personOf(request: Record<string, unknown>): string {
  return typeof request.user === 'string' && request.user ? `user:${request.user.slice(0, 64)}` : 'anonymous';
}

export function llamaEngine(runtime: LlamaRuntime, model: string): Engine {
  return async (request) => {
    const history = toChatHistory(toMessages((request.messages ?? []) as OpenAiMessage[]));
    const functions = toLlamaFunctions(request.tools as BindToolsInput[] | undefined);
    const result = await runtime.generate(personOf(request), history, functions);
    const promptTokens = runtime.promptTokens(history, functions);
    return {
      id: `chatcmpl-${Date.now().toString(36)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [
        {
          index: 0,
          finish_reason: result.calls.length ? 'tool_calls' : 'stop',
          message: {
            role: 'assistant',
            content: result.text,
            ...(result.calls.length && {
              tool_calls: result.calls.map((c, i) => ({
                id: `call_${i}`,
                type: 'function',
                function: { name: c.name, arguments: JSON.stringify(c.params) },
              })),
            }),
          },
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: result.outputTokens,
        total_tokens: promptTokens + result.outputTokens,
      },
    };
  };
}

/** A new static prompt at most this often: anyone can call the route, and a prewarm holds new turns back. */
const PREWARM_EVERY_MS = 30_000;

/**
 * The bot's static prompt into the cache: the system messages and tools of the request. The same prompt again
 * costs nothing; a different one is taken at most every 30 s.
 */
export function llamaPrewarm(runtime: LlamaRuntime, now: () => number = Date.now): Prewarm {
  let last = -Infinity;
  return async (request) => {
    const messages = ((request.messages ?? []) as OpenAiMessage[]).filter((m) => m.role === 'system');
    const history = toChatHistory(toMessages(messages));
    const functions = toLlamaFunctions(request.tools as BindToolsInput[] | undefined);
    if (runtime.isPrewarmed(history, functions)) return { evaluated: 0 };
    if (now() - last < PREWARM_EVERY_MS) return { refused: 'Prewarmed with another prompt moments ago.' };
    last = now();
    return { evaluated: await runtime.prewarm(history, functions) };
  };
}
