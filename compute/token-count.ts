// Token counts the bot can check: a request and its answer counted with the approved model's own chat template and
// tokenizer, the way the servers contributors run count them, so a contributor's claim can be held to the count.
//
// What is counted, exactly:
// - prompt: the model's chat template (Jinja, as in the GGUF or the tokenizer package) rendered over the request's
//   messages and tools with the generation prompt, as llama-server (--jinja), vLLM and transformers render it,
//   then tokenized with special tokens parsed (plus BOS when the vocabulary asks for one and the text lacks it).
//   Not the raw message text: the template's markers, default system text and tool documentation are tokens the
//   model evaluates too.
// - completion: the answer as the template writes an assistant turn (its content, its tool calls in the model's
//   own call syntax), up to and including the end-of-turn token. llama-server's `completion_tokens` is
//   `n_decoded`, every sampled token including the end-of-generation one (tools/server/server.cpp,
//   update_slots: `slot.n_decoded += 1` after each sample), so an honest llama-server claims exactly this.
import { Template } from '@huggingface/jinja';

/** A model's tokenizer and chat template, from its GGUF or a tokenizer package (compute/tokenizer.ts). */
export interface TokenizerSource {
  /** How the source was named in COMPUTE_TOKENIZERS (for logs and messages). */
  name: string;
  chatTemplate: string;
  bosToken: string;
  eosToken: string;
  /** Whether the vocabulary puts BOS before a prompt (llama.cpp's add_bos_token). */
  addBos: boolean;
  /** Token ids of `text`, special tokens (`<|im_end|>`...) parsed as such, no BOS added. */
  encode(text: string): number[];
  /** Token ids that end an assistant turn (EOS, end-of-turn). */
  endOfTurn: number[];
}

export interface TokenCount {
  prompt: number;
  completion: number;
}

interface ChatMessage {
  role: string;
  content: string;
  tool_calls?: { id?: string; type: 'function'; function: { name: string; arguments: unknown } }[];
  tool_call_id?: string;
  name?: string;
}

/**
 * Message content as text: a string, or the text parts of an array of parts joined by newlines, as llama-server
 * hands them to a template that takes plain text (llama.cpp common/chat.cpp, common_chat_msg::to_json_oaicompat
 * with concat_typed_text).
 */
function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .filter(
        (part): part is { type: 'text'; text: string } =>
          part !== null &&
          typeof part === 'object' &&
          (part as { type?: unknown }).type === 'text' &&
          typeof (part as { text?: unknown }).text === 'string',
      )
      .map((part) => part.text)
      .join('\n');
  return '';
}

/**
 * Tool-call arguments as the template expects them: an object (templates write `arguments | tojson`). The OpenAI
 * wire format sends a JSON string; llama-server parses it before rendering, and so does this.
 */
function argumentsOf(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? {};
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function toMessage(raw: unknown): ChatMessage {
  const m = (raw ?? {}) as Record<string, unknown>;
  const message: ChatMessage = {
    role: typeof m.role === 'string' ? m.role : 'user',
    content: text(m.content),
  };
  if (Array.isArray(m.tool_calls) && m.tool_calls.length)
    message.tool_calls = m.tool_calls.map((c: unknown) => {
      const call = (c ?? {}) as { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
      return {
        ...(typeof call.id === 'string' && { id: call.id }),
        type: 'function' as const,
        function: {
          name: typeof call.function?.name === 'string' ? call.function.name : '',
          arguments: argumentsOf(call.function?.arguments),
        },
      };
    });
  if (typeof m.tool_call_id === 'string') message.tool_call_id = m.tool_call_id;
  if (typeof m.name === 'string') message.name = m.name;
  return message;
}

/** The answer of an OpenAI-shaped response as an assistant message. */
function answerOf(response: Record<string, unknown>): ChatMessage {
  const choice = (response.choices as { message?: unknown }[] | undefined)?.[0]?.message;
  return { ...toMessage(choice), role: 'assistant' };
}

/**
 * Counts prompt and completion tokens for one model. Built once per approved model; `count` is a pure function
 * of the request and the answer, so two bot processes (or a re-run) always agree.
 */
export class TokenCounter {
  private readonly template: Template;
  /**
   * What the template adds on its own: to an empty conversation (markers, default system text, the generation
   * prompt) and to an empty answer (the end of the turn). A server rendering another template (Ollama's own, a
   * chat wrapper) may count up to this much differently, so a claim beyond the count by more is flagged.
   */
  readonly overhead: TokenCount;

  constructor(readonly source: TokenizerSource) {
    this.template = new Template(source.chatTemplate);
    const empty = { messages: [{ role: 'user', content: '' }] };
    this.overhead = {
      prompt: this.promptTokens(empty),
      completion: this.completionTokens(empty, { choices: [{ message: { content: '' } }] }),
    };
  }

  private render(messages: ChatMessage[], tools: unknown, generationPrompt: boolean): string {
    return this.template.render({
      messages,
      ...(Array.isArray(tools) && tools.length && { tools }),
      add_generation_prompt: generationPrompt,
      bos_token: this.source.bosToken,
      eos_token: this.source.eosToken,
    });
  }

  private messages(request: Record<string, unknown>): ChatMessage[] {
    return Array.isArray(request.messages) ? request.messages.map(toMessage) : [];
  }

  /** Prompt tokens: the template's rendering of the messages and tools, ready for the assistant to answer. */
  promptTokens(request: Record<string, unknown>): number {
    return this.promptOf(this.messages(request), request.tools).tokens;
  }

  private promptOf(messages: ChatMessage[], tools: unknown): { text: string; tokens: number } {
    const text = this.render(messages, tools, true);
    const bos = this.source.addBos && !text.startsWith(this.source.bosToken) ? 1 : 0;
    return { text, tokens: this.source.encode(text).length + bos };
  }

  /** Completion tokens of the answer (see turnTokens). */
  completionTokens(request: Record<string, unknown>, response: Record<string, unknown>): number {
    const messages = this.messages(request);
    return this.turnTokens(messages, request.tools, this.render(messages, request.tools, true), response);
  }

  /**
   * The assistant turn the template writes for the answer (the rendering with the answer minus `prompt`, the
   * rendering that ends in the generation prompt), cut after its last end-of-turn token (what follows, e.g.
   * Qwen's newline, is the next turn's). A template whose rendering with the answer does not extend the prompt's
   * is counted from the answer's own text plus one end-of-turn token.
   */
  private turnTokens(
    messages: ChatMessage[],
    tools: unknown,
    prompt: string,
    response: Record<string, unknown>,
  ): number {
    const answer = answerOf(response);
    const whole = this.render([...messages, answer], tools, false);
    if (!whole.startsWith(prompt)) return this.answerTextTokens(answer);
    const turn = this.source.encode(whole.slice(prompt.length));
    const ends = new Set(this.source.endOfTurn);
    let last = turn.length - 1;
    while (last >= 0 && !ends.has(turn[last]!)) last--;
    return last >= 0 ? last + 1 : turn.length;
  }

  private answerTextTokens(answer: ChatMessage): number {
    const calls = (answer.tool_calls ?? []).map((c) =>
      JSON.stringify({ name: c.function.name, arguments: c.function.arguments }),
    );
    return this.source.encode([answer.content, ...calls].join('\n')).length + 1;
  }

  /**
   * Both counts for a request body (the exact bytes sent) and the answer received. Should the template refuse the
   * conversation (templates may raise errors of their own), the raw text is counted instead: every message's text
   * and the tools' JSON, a lower bound of what any server evaluates.
   */
  count(requestBody: string, response: Record<string, unknown>): TokenCount {
    const request = JSON.parse(requestBody) as Record<string, unknown>;
    try {
      const messages = this.messages(request);
      const prompt = this.promptOf(messages, request.tools);
      return {
        prompt: prompt.tokens,
        completion: this.turnTokens(messages, request.tools, prompt.text, response),
      };
    } catch {
      const raw = [
        ...this.messages(request).map((m) => m.content),
        ...(Array.isArray(request.tools) ? [JSON.stringify(request.tools)] : []),
      ];
      return {
        prompt: this.source.encode(raw.join('\n')).length,
        completion: this.answerTextTokens(answerOf(response)),
      };
    }
  }
}

export interface Metered {
  counted: TokenCount;
  /** What is credited: per part, the smaller of the claim and the count. */
  credited: TokenCount;
  /** Why the claim is not believed, or null when it is within the template's overhead of the count. */
  flag: string | null;
}

/**
 * Holds a claim to the count: the credit is the smaller of the two for prompt and completion alike, and a claim
 * above the count by more than the template's own overhead is flagged (a claim below it is the contributor's loss,
 * e.g. a server that renders tools more tersely, and is not).
 */
export function meter(claimed: TokenCount, counted: TokenCount, overhead: TokenCount): Metered {
  const over = (part: keyof TokenCount) => claimed[part] - counted[part] > overhead[part];
  const problems = (['prompt', 'completion'] as const)
    .filter(over)
    .map((part) => `${claimed[part]} ${part} tokens claimed, ${counted[part]} counted`);
  return {
    counted,
    credited: {
      prompt: Math.min(claimed.prompt, counted.prompt),
      completion: Math.min(claimed.completion, counted.completion),
    },
    flag: problems.length
      ? `${problems.join('; ')} (the template accounts for at most ${overhead.prompt} + ${overhead.completion} more)`
      : null,
  };
}
