import { z } from 'zod';
import type { Action, ActionRegistry } from '../../agents/registry.js';

/** Discord's JSON for one slash command (type 1 = chat input). */
export interface SlashCommand {
  name: string;
  description: string;
  type: 1;
  options: SlashOption[];
  contexts: number[];
  integration_types: number[];
}

export interface SlashOption {
  type: 3;
  name: string;
  description: string;
  required: boolean;
  choices?: { name: string; value: string }[];
  autocomplete?: boolean;
  max_length?: number;
}

/** Descriptions for option names that recur across actions (Discord requires one per option). */
const OPTION_HELP: Record<string, string> = {
  address: 'A Pactus address (yours if left empty, where allowed)',
  to: 'Recipient address',
  from: 'Send from this address (default: your primary wallet)',
  amount: 'Amount in PAC, e.g. 5, 0.25 or 1,000 ("all" where allowed)',
  memo: 'Memo shown on chain (64 bytes at most)',
  validator: 'Validator address (tpc1p... / pc1p...)',
  public_key: "A new validator's BLS public key",
  recipients: '"address amount" pairs, comma-separated',
  id: 'Transaction ID (64 hex characters)',
  kind: 'What kind of transaction',
  topic: 'What you need help with',
  text: 'Ask in your own words',
};

/** Options that autocomplete from the caller's linked wallets. */
export const ADDRESS_OPTIONS = new Set(['address', 'from', 'to', 'validator']);

function unwrap(field: z.ZodType): { inner: z.ZodType; optional: boolean } {
  let inner = field;
  let optional = false;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodNullable) {
    optional = true;
    inner = (inner as z.ZodOptional<z.ZodType>).unwrap() as z.ZodType;
  }
  return { inner, optional };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function actionOptions(action: Action): SlashOption[] {
  const options = Object.entries(action.schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const { inner, optional } = unwrap(field);
    const option: SlashOption = {
      type: 3,
      name,
      description: clip(
        field.description ?? inner.description ?? OPTION_HELP[name] ?? name.replaceAll('_', ' '),
        100,
      ),
      required: !optional,
    };
    if (inner instanceof z.ZodEnum)
      option.choices = (inner.options as string[]).map((v) => ({ name: v, value: v }));
    else if (ADDRESS_OPTIONS.has(name)) option.autocomplete = true;
    return option;
  });
  // An action with a form opens a modal when its command is used without options.
  if (action.form) for (const o of options) o.required = false;
  // Discord wants required options first.
  return [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
}

/** Slash commands generated from the registry, plus /ask for free text. */
export function slashCommands(registry: ActionRegistry): SlashCommand[] {
  const base = { type: 1 as const, contexts: [0, 1], integration_types: [0] };
  const commands: SlashCommand[] = registry
    .list()
    .filter((a) => !a.buttonOnly)
    .map((a) => ({
      ...base,
      name: a.name,
      description: clip(a.description, 100),
      options: actionOptions(a),
    }));
  commands.push({
    ...base,
    name: 'ask',
    description: 'Ask the bot in your own words',
    options: [{ type: 3, name: 'text', description: OPTION_HELP.text!, required: true, max_length: 2000 }],
  });
  return commands;
}
