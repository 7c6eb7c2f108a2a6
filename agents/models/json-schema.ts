import type { GbnfJsonSchema } from 'node-llama-cpp';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
};

/**
 * Narrows a tool's JSON schema (from zod) to what node-llama-cpp turns into a grammar. Its grammar makes every
 * object key required, so optional parameters become nullable (the adapter drops nulls before LangChain sees
 * them); our own decoder (call-machine.ts) reads the same nullability as "may be left out" and never writes null.
 * Lengths and patterns are left out: they cost prompt tokens, and zod validates every call again anyway.
 */
export function toGbnfSchema(schema: JsonSchema, optional = false): GbnfJsonSchema {
  const description = schema.description ? { description: schema.description } : {};
  if (schema.enum)
    return {
      enum: [...(schema.enum as (string | number | boolean)[]), ...(optional ? [null] : [])],
      ...description,
    } as GbnfJsonSchema;
  if (schema.anyOf)
    return { oneOf: schema.anyOf.map((s) => toGbnfSchema(s)), ...description } as GbnfJsonSchema;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const nullable = (t: string) => (optional ? [t, 'null'] : t);
  switch (type) {
    case 'object': {
      const required = new Set(schema.required ?? []);
      const properties = Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, v]) => [k, toGbnfSchema(v, !required.has(k))]),
      );
      return { type: 'object', properties, ...description } as GbnfJsonSchema;
    }
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
      return { type: nullable(type), ...description } as GbnfJsonSchema;
    case 'array':
      return {
        type: 'array',
        items: toGbnfSchema(schema.items ?? { type: 'string' }),
        ...description,
      } as GbnfJsonSchema;
    default:
      return { type: nullable('string') } as GbnfJsonSchema;
  }
}

/** Drops the nulls the grammar made the model write for parameters it chose to leave out. */
export function withoutNulls(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null));
}
