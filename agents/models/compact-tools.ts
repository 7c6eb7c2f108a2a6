import { LlamaText, type ChatModelFunctions, type ChatWrapper } from 'node-llama-cpp';

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

/**
 * The model's own chat wrapper (its template, call syntax and stop tokens), with the tool documentation cut to
 * one line per tool. node-llama-cpp's wrappers render every tool as a JSON schema (the Qwen wrapper: 1,479
 * tokens for 19 tools, 84% of the prompt) and each token costs prefill time on every cold turn. The grammar
 * still enforces the full parameter schemas, so nothing is lost by not spelling them out.
 *
 * Built on the wrapper instance (its prototype chain is kept), so it works for whichever wrapper the model
 * resolves to.
 */
export function withCompactToolDocs(wrapper: ChatWrapper): ChatWrapper {
  const compact = Object.create(wrapper) as ChatWrapper;
  compact.generateAvailableFunctionsSystemText = (functions: ChatModelFunctions) => {
    const lines = compactToolLines(functions);
    if (lines.length === 0) return LlamaText([]);
    return LlamaText.joinValues('\n', [
      'Tools (? = optional):',
      ...lines,
      LlamaText(['Call one like this: ', wrapper.generateFunctionCall('balance', { address: 'A1' })]),
    ]);
  };
  return compact;
}
