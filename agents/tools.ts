import { isDatabaseUnavailable } from '../db/connection.js';
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import type { RunnableConfig } from '@langchain/core/runnables';
import type { Logger } from 'pino';
import { z } from 'zod';
import { PactusError } from '../pactus/errors.js';
import type { ActionContext } from './context.js';
import { isPersonal, type Action, type ActionRegistry } from './registry.js';
import { errorReply, replyToText, reply, storeUnavailableReply, text, type Reply } from './reply.js';
import { groundToolCall } from './guard.js';
import type { Placeholders } from './placeholders.js';

/** Per-turn state the tools share with the caller through LangChain's `configurable`. */
export interface TurnState {
  ctx: ActionContext;
  replies: Reply[];
  /** Actions that ran this turn (names), for logging and metrics. */
  ran: string[];
  /** What the person wrote this turn (tool calls must be grounded in it). */
  message: string;
  /** A language model chose the tool call: it passes the grounding guard before anything runs. */
  guarded: boolean;
  /** The placeholders the model saw this turn; its tool calls are mapped back through them. */
  placeholders?: Placeholders;
}

export const TURN_KEY = 'pactusTurn';

export function turnState(config: RunnableConfig | undefined): TurnState {
  const state = config?.configurable?.[TURN_KEY] as TurnState | undefined;
  if (!state) throw new Error('tool called outside of a turn');
  return state;
}

/**
 * Runs an action and turns every refusal into a Reply: a PactusError (bad address, insufficient funds, node
 * unreachable...) becomes its own message, anything else a generic apology (the details go to the log).
 */
export async function runAction(
  action: Action,
  ctx: ActionContext,
  input: Record<string, unknown>,
  logger: Logger,
): Promise<Reply> {
  if (action.admin && !ctx.caller.isAdmin) return errorReply('Only bot admins can do that.');
  try {
    const result = await action.run(ctx, input);
    // Personal replies never go to a shared chat, whatever the action built.
    return isPersonal(action, input) ? { ...result, visibility: 'private' } : result;
  } catch (error) {
    if (error instanceof PactusError)
      return errorReply(error.message, isPersonal(action, input) ? 'private' : 'public');
    // The database away for a moment (a restart, a failover): the transaction rolled back, so say so plainly.
    if (isDatabaseUnavailable(error)) {
      logger.warn(
        { action: action.name, database: 'unavailable' },
        'action refused: the database cannot be reached',
      );
      return storeUnavailableReply();
    }
    logger.error({ err: error, action: action.name }, 'action failed');
    return errorReply('Something went wrong on my side. Please try again in a moment.');
  }
}

/**
 * The registry as LangChain tools. Each tool returns directly: the action's Reply is the answer, rendered by
 * code, and the model is not called again to paraphrase it (one model call per single-intent turn).
 * `returnDirect: false` gives the standard agent loop (the model reads the result and answers), which the
 * benchmarks measure against.
 */
export function registryTools(
  registry: ActionRegistry,
  logger: Logger,
  { returnDirect = true }: { returnDirect?: boolean } = {},
): StructuredToolInterface[] {
  return registry
    .list()
    .filter((a) => !a.hiddenFromModel)
    .map((action) =>
      tool(
        async (modelInput: Record<string, unknown>, config?: RunnableConfig) => {
          const state = turnState(config);
          let input = modelInput;
          if (state.placeholders) {
            const restored = state.placeholders.unmask(modelInput);
            if (!restored.ok) {
              logger.info(
                { action: action.name, unknown: restored.unknown },
                'model named unknown placeholders',
              );
              state.replies.push(
                errorReply(
                  'I could not match that request to what you wrote, so I did nothing. Please say it again with the exact address and amount.',
                  'private',
                ),
              );
              state.ran.push(`${action.name}?`);
              return 'Not run: unknown placeholders.';
            }
            input = restored.args;
          }
          // The model-facing schema is looser (numbers as strings, for placeholders): the action's own decides.
          const parsed = registry.parseArgs(action.name, input);
          if ('error' in parsed) {
            state.replies.push(errorReply(parsed.error, 'private'));
            state.ran.push(`${action.name}?`);
            return `Not run: ${parsed.error}`;
          }
          input = parsed.input;
          if (state.guarded) {
            const grounding = groundToolCall(state.message, action.name, input);
            if (!grounding.ok) {
              logger.info(
                { action: action.name, why: grounding.reason },
                'model tool call not grounded; asking',
              );
              state.replies.push(confirmReply(action, input, grounding.reason));
              state.ran.push(`${action.name}?`);
              return 'Not run: the person is asked to confirm.';
            }
          }
          const result = await runAction(action, state.ctx, input, logger);
          state.replies.push(result);
          state.ran.push(action.name);
          return replyToText(result).slice(0, 500);
        },
        {
          name: action.name,
          description: action.description,
          schema: modelSchema(action.schema),
          returnDirect,
        },
      ),
    );
}

/**
 * The schema a model writes to: the action's own, with number fields taken as strings, so a model can pass the
 * placeholder N1 for a number it never saw (the action's schema parses the original afterwards).
 */
export function modelSchema(schema: z.ZodObject): z.ZodObject {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => {
      const optional = field instanceof z.ZodOptional;
      const inner = optional ? (field as z.ZodOptional).unwrap() : field;
      if (!(inner instanceof z.ZodNumber)) return [key, field];
      // coerce: the rules model passes real numbers through the same tools.
      const text = inner.description ? z.coerce.string().describe(inner.description) : z.coerce.string();
      return [key, optional ? text.optional() : text];
    }),
  );
  return z.object(shape);
}

/**
 * What the model read, offered for confirmation instead of drafted: the person sees the action and its exact
 * arguments, and one tap runs it (a button press is the person's own request).
 */
function confirmReply(action: Action, input: Record<string, unknown>, why: string): Reply {
  const args = Object.fromEntries(
    Object.entries(input)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => [k, String(v)]),
  );
  const described = Object.entries(args)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const r = reply(
    'private',
    text(
      `I read your message as "${action.name}" with ${described || 'no details'}, but ${why}, so I drafted nothing. If that is what you want, confirm it.`,
    ),
  );
  r.buttons.push({ type: 'action', label: 'Confirm', action: action.name, args, style: 'primary' });
  return r;
}
