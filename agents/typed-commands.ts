// Commands typed as text (console, Telegram) with several arguments, and the way the bot prints a button as a
// command to type, so that every hint it prints works when typed back.
import type { z } from 'zod';
import type { Action } from './registry.js';

const fieldsOf = (action: Action) => Object.keys(action.schema.shape);

function required(action: Action): string[] {
  return fieldsOf(action).filter((f) => !(action.schema.shape[f] as z.ZodType).safeParse(undefined).success);
}

function valid(action: Action, args: Record<string, string>): Record<string, string> | null {
  return action.schema.safeParse(args).success ? args : null;
}

/**
 * Explicit forms: "key: value | key: value" (any order), "a | b | c" (in the order of the command's fields), or
 * the whole text as the only field of a one-field command. Null when the text is in none of these forms.
 */
export function typedArguments(action: Action, text: string): Record<string, string> | null {
  const rest = text.trim();
  const fields = fieldsOf(action);
  if (rest === '') return valid(action, {});
  const parts = rest.split(/\s*\|\s*|\n+/).map((p) => p.trim());
  const named = parts.map((p) => /^([a-z_]+)\s*[:=]\s*([\s\S]*)$/i.exec(p));
  if (named.every((m) => m && fields.includes(m[1]!.toLowerCase())))
    return valid(action, Object.fromEntries(named.map((m) => [m![1]!.toLowerCase(), m![2]!.trim()])));
  if (parts.length > 1 && parts.length <= fields.length)
    return valid(
      action,
      Object.fromEntries(parts.map((p, i) => [fields[i]!, p]).filter(([, v]) => v !== '')),
    );
  if (fields.length === 1) return valid(action, { [fields[0]!]: rest });
  return null;
}

/** Words separated by spaces, in the order of the fields ("/vote 1 yes"), when that fits the command exactly. */
export function positionalArguments(action: Action, text: string): Record<string, string> | null {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const fields = fieldsOf(action);
  if (words.length < required(action).length || words.length > fields.length) return null;
  return valid(action, Object.fromEntries(words.map((w, i) => [fields[i]!, w])));
}

/**
 * "/vote 1": the words fill the fields before a required choice and stop there. Every way to finish the command with
 * one of that choice's values (each still a valid command), so the bot can offer them as buttons; null otherwise.
 */
export function missingChoice(
  action: Action,
  text: string,
): { field: string; options: Record<string, string>[] } | null {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const field = fieldsOf(action)[words.length];
  if (field === undefined || !required(action).includes(field)) return null;
  const values = (action.schema.shape[field] as z.ZodType & { options?: unknown }).options;
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) return null;
  const filled = Object.fromEntries(words.map((w, i) => [fieldsOf(action)[i]!, w]));
  const options = values.flatMap((v: string) => {
    const args = { ...filled, [field]: v };
    return valid(action, args) ? [args] : [];
  });
  return options.length ? { field, options } : null;
}

/** How to type a command, from its fields: "/vote <proposal> <choice> [addresses]". */
export function commandUsage(action: Action): string {
  const need = new Set(required(action));
  const fields = fieldsOf(action).map((f) => (need.has(f) ? `<${f}>` : `[${f}]`));
  const example = action.examples[0] ? ` e.g. "${action.examples[0]}"` : '';
  return `/${action.name} ${fields.join(' | ')}${example}`;
}

/**
 * A button as a command to type: "/vote 1 yes" when every value is one word, else "/send to: ... | memo: ...".
 * Either form is read back by `typedArguments`/`positionalArguments`.
 */
export function commandHint(action: string, args: Record<string, string>): string {
  const values = Object.values(args);
  if (values.length === 0) return `/${action}`;
  if (values.every((v) => v !== '' && !/[\s|:=]/.test(v))) return `/${action} ${values.join(' ')}`;
  return `/${action} ${Object.entries(args)
    .map(([k, v]) => `${k}: ${v}`)
    .join(' | ')}`;
}
