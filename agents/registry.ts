import { z } from 'zod';
import type { ActionContext } from './context.js';
import type { Reply } from './reply.js';
import { plainIssue } from './schema-words.js';

/**
 * One action, defined once: slash commands, Telegram commands, LangChain tools and the rules model are all
 * generated from this (ARCHITECTURE.md, "The action registry").
 */
export interface Action<S extends z.ZodObject = z.ZodObject> {
  name: string;
  /** One short line: it is sent to the model on every turn, so every word costs prefill time. */
  description: string;
  schema: S;
  /** The reply carries personal data (balances of linked wallets, signing links): only in private. */
  personal: boolean | ((input: z.infer<S>) => boolean);
  /** Only bot admins may run it. */
  admin?: boolean;
  /** Shown in help, and used as phrasing hints. */
  examples: string[];
  /** Not offered to the model, to keep its prompt short (still reachable by command, button or the rules). */
  hiddenFromModel?: boolean;
  /** Only reachable from a button (e.g. cancel, whose argument is an internal id): no command is published. */
  buttonOnly?: boolean;
  /** Multi-field input that reads better as a form (a Discord modal) than as command options. */
  form?: {
    title: string;
    fields: {
      name: string;
      label: string;
      paragraph?: boolean;
      required: boolean;
      maxLength: number;
      placeholder?: string;
    }[];
  };
  run(ctx: ActionContext, input: z.infer<S>): Promise<Reply>;
}

export function defineAction<S extends z.ZodObject>(action: Action<S>): Action<S> {
  return action;
}

export function isPersonal(action: Action, input: Record<string, unknown>): boolean {
  return typeof action.personal === 'function' ? action.personal(input) : action.personal;
}

export class ActionRegistry {
  private readonly actions = new Map<string, Action>();

  add(...actions: Action[]): this {
    for (const action of actions) {
      if (this.actions.has(action.name)) throw new Error(`Action ${action.name} is defined twice.`);
      this.actions.set(action.name, action);
    }
    return this;
  }

  get(name: string): Action | undefined {
    return this.actions.get(name);
  }

  list(): Action[] {
    return [...this.actions.values()];
  }

  /** Validates raw arguments (from a command, a button or a model) with the action's own schema. */
  parseArgs(
    name: string,
    args: unknown,
  ): { action: Action; input: Record<string, unknown> } | { error: string } {
    const action = this.get(name);
    if (!action) return { error: `Unknown command "${name.slice(0, 40)}".` };
    const parsed = action.schema.safeParse(args ?? {});
    if (!parsed.success) return { error: plainIssue(parsed.error, args) };
    return { action, input: parsed.data as Record<string, unknown> };
  }
}
