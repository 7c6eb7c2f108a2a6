// Reading files a verifier is handed (bundles, receipts, manifests): their shape is checked before anything is
// computed from them, and a wrong shape is told in plain words with where it is, never as a stack trace or as the
// schema library's own text.
import { z } from 'zod';

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'null',
};

function where(path: PropertyKey[]): string {
  if (!path.length) return 'the top level';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function words(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'invalid_format':
      return 'not in the expected form';
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_small':
    case 'too_big':
      return 'out of range';
    case 'unrecognized_keys':
      return `unexpected field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    default:
      return 'not valid here';
  }
}

/** The value in the schema's shape, or one sentence naming what is wrong and where (at most three places). */
export function readShape<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): { ok: true; value: T } | { ok: false; problem: string } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 3).map((i) => `at ${where(i.path)}: ${words(i)}`);
  return { ok: false, problem: `${what} is malformed (${issues.join('; ')})` };
}

// The pieces every file's shape is made of.
export const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
/** A whole number as decimal text (NanoPAC, credits): no sign, no leading zero, no exponent. */
export const decimal = z.string().regex(/^(0|[1-9][0-9]{0,39})$/);
export const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const text = (max: number) => z.string().max(max);
