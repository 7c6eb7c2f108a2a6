import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import type { ActionRegistry } from '../registry.js';
import { understand, type RulesParser } from '../rules/index.js';

export interface RulesCallOptions extends BaseChatModelCallOptions {
  tools?: BindToolsInput[];
}

function toolName(t: BindToolsInput): string | undefined {
  const candidate = t as { name?: string; function?: { name?: string } };
  return candidate.name ?? candidate.function?.name;
}

let callCounter = 0;

/**
 * The rules parser as a LangChain chat model: it emits exactly the tool calls an LLM would, so the same
 * `createAgent` loop runs with or without a language model. When it cannot read a message it answers in words
 * (the parser's reason), which ends the turn.
 */
export class RulesChatModel extends BaseChatModel<RulesCallOptions> {
  constructor(
    private readonly parser: RulesParser,
    private readonly registry: ActionRegistry,
  ) {
    super({});
  }

  _llmType(): string {
    return 'pactus-rules';
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<RulesCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, RulesCallOptions> {
    return this.withConfig({ ...kwargs, tools } as Partial<RulesCallOptions>);
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const last = messages.at(-1);
    let message: AIMessage;
    if (!last || last.getType() !== 'human') {
      // After a tool result there is nothing to add: the tool's Reply is the answer.
      message = new AIMessage({ content: '' });
    } else {
      const text =
        typeof last.content === 'string'
          ? last.content
          : last.content.map((c) => ('text' in c ? c.text : '')).join(' ');
      const intent = understand(text, this.parser, this.registry);
      const offered = new Set((options.tools ?? []).map(toolName));
      if (intent.action !== null && offered.has(intent.action))
        message = new AIMessage({
          content: '',
          tool_calls: [
            { name: intent.action, args: intent.args, id: `rules_${++callCounter}`, type: 'tool_call' },
          ],
        });
      else
        message = new AIMessage({
          content: intent.action === null ? intent.reason : 'I cannot do that here.',
        });
    }
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
}
