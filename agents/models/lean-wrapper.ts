import {
  isChatModelResponseFunctionCall,
  LlamaText,
  type ChatHistoryItem,
  type ChatModelFunctionCall,
  type ChatModelFunctions,
  type ChatWrapper,
  type ChatWrapperGenerateContextStateOptions,
} from 'node-llama-cpp';

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  properties?: Record<string, Schema>;
};

function parameter(name: string, schema: Schema): string {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const values = schema.enum?.filter((v) => v !== null);
  const optional = types.includes('null') || (schema.enum?.includes(null) ?? false);
  // A required free-form parameter keeps its description (its format is not obvious from the name); the rest
  // are known by name, and the grammar holds the model to their types anyway.
  const detail = values?.length
    ? `: ${values.join('|')}`
    : schema.description && !optional
      ? ` (${schema.description})`
      : '';
  return `${name}${optional ? '?' : ''}${detail}`;
}

/** One line per tool: `name(param, optional?, choice?: a|b): what it does`. */
export function compactToolLines(functions: ChatModelFunctions): string[] {
  return Object.entries(functions).map(([name, fn]) => {
    const params = Object.entries((fn.params as Schema | undefined)?.properties ?? {}).map(([p, s]) =>
      parameter(p, s),
    );
    return `${name}(${params.join(', ')}): ${fn.description ?? ''}`.trim();
  });
}

/** Marks a call of an earlier turn: its result was shown to the person by code and the model does not read it. */
const REMEMBERED = Object.freeze({ remembered: true });

/**
 * The model's own chat wrapper (its template, call syntax and stop tokens), rendering less:
 *
 * - Tool documentation: one line per tool. node-llama-cpp's wrappers render every tool as a JSON schema (the
 *   Qwen wrapper: 1,479 tokens for 19 tools, 84% of the prompt) and each token costs prefill time on every cold
 *   turn. The grammar still enforces the full parameter schemas, so nothing is lost by not spelling them out.
 * - Earlier turns: a call the model made in an earlier turn is rendered as the call alone, without its result
 *   section (Qwen: 17 tokens of `<tool_response>` framing around it). Its result was the bot's reply, rendered by
 *   code for the person; the call itself is the one-line record of what was done, and it is what the model wrote,
 *   so the person's cached sequence already holds it. A call in the last model turn (an agent loop that asks the
 *   model to go on after a tool result) keeps its result.
 *
 * Built on the wrapper instance (its prototype chain is kept), so it works for whichever wrapper the model
 * resolves to.
 */
export function withLeanRendering(wrapper: ChatWrapper): ChatWrapper {
  const lean = Object.create(wrapper) as ChatWrapper;
  lean.generateAvailableFunctionsSystemText = (functions: ChatModelFunctions) => {
    const lines = compactToolLines(functions);
    if (lines.length === 0) return LlamaText([]);
    return LlamaText.joinValues('\n', [
      'Tools (? = optional):',
      ...lines,
      LlamaText(['Call one like this: ', wrapper.generateFunctionCall('balance', { address: 'A1' })]),
    ]);
  };
  lean.generateContextState = (options: ChatWrapperGenerateContextStateOptions) =>
    wrapper.generateContextState.call(lean, { ...options, chatHistory: rememberCalls(options.chatHistory) });
  lean.generateFunctionCallsAndResults = (calls: ChatModelFunctionCall[], useRawCall?: boolean) => {
    if (!calls.length || calls.some((c) => c.result !== REMEMBERED))
      return wrapper.generateFunctionCallsAndResults.call(lean, calls, useRawCall);
    const rendered = calls.map((c) =>
      useRawCall !== false && c.rawCall
        ? LlamaText.fromJSON(c.rawCall)
        : lean.generateFunctionCall(c.name, c.params),
    );
    const between = wrapper.settings.functions.parallelism?.call.betweenCalls ?? '';
    return LlamaText([
      wrapper.settings.functions.parallelism?.call.sectionPrefix ?? '',
      LlamaText.joinValues(between, rendered),
    ]);
  };
  return lean;
}

/** Every model turn but the last: its calls marked as remembered. */
function rememberCalls(history: readonly ChatHistoryItem[]): ChatHistoryItem[] {
  const last = history.length - 1;
  return history.map((item, i) =>
    item.type === 'model' && i < last
      ? {
          ...item,
          response: item.response.map((r) =>
            isChatModelResponseFunctionCall(r) ? { ...r, result: REMEMBERED } : r,
          ),
        }
      : item,
  );
}
