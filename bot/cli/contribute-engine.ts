// A contributor's in-process engine: the OpenAI chat-completions shape over node-llama-cpp (the same runtime the
// bot uses for LLM_MODEL_PATH), tool calls included. Token counts are exact for the model: the prompt is counted
// through its chat wrapper and tokenizer (not what the KV cache happened to skip), so two honest nodes running
// the same request report the same numbers.
import {
  AIMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from '@langchain/core/messages';
import type { BindToolsInput } from '@langchain/core/language_models/chat_models';
import type { Engine } from '../../compute/contributor.js';
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

export function llamaEngine(runtime: LlamaRuntime, model: string): Engine {
  let turn = 0;
  return async (request) => {
    const history = toChatHistory(toMessages((request.messages ?? []) as OpenAiMessage[]));
    const functions = toLlamaFunctions(request.tools as BindToolsInput[] | undefined);
    const result = await runtime.generate(`contributor-${turn++ % 64}`, history, functions);
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
