import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { createAgent } from 'langchain';
import type { Logger } from 'pino';
import { loadPrompt, untrustedUserText } from '../prompts/index.js';
import type { ActionContext } from './context.js';
import { ModelBusyError } from './models/sequence-pool.js';
import { turnKey } from './models/turn-key.js';
import type { ActionRegistry } from './registry.js';
import { notice, reply, text, type Reply } from './reply.js';
import { Placeholders } from './placeholders.js';
import { understand, type Intent, type RulesParser } from './rules/index.js';
import { TURN_KEY, registryTools, runAction, type TurnState } from './tools.js';
import { HistoryWindow, memoText, modelHistory, outcomeOf, saidOf, stringArgs } from './turn-memo.js';

/** A pool that could not serve: no healthy endpoint, or every one failed within the deadline (walks the causes). */
function isPoolFailure(error: unknown): boolean {
  for (
    let e = error as { name?: string; code?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 6;
    depth++
  ) {
    if (e.code === 'no_endpoint' || e.name === 'APIConnectionError' || e.name === 'APIConnectionTimeoutError')
      return true;
    e = e.cause as typeof e;
  }
  return false;
}

export interface TurnResult {
  replies: Reply[];
  /** How the message was understood. */
  via: 'rules' | 'llm' | 'fast-path';
  /** Model calls made this turn (0 on the fast path). */
  modelCalls: number;
  actions: string[];
  /** What a model is shown of this turn's answer in later turns (turn-memo.ts); kept by the conversation memory. */
  memo?: string;
}

export interface BotAgentOptions {
  registry: ActionRegistry;
  parser: RulesParser;
  logger: Logger;
  /** A language model with tool calling; without one the rules model drives the same agent loop. */
  llm?: BaseChatModel;
  /** Model steps per turn (LangGraph recursion limit). */
  maxSteps?: number;
  /**
   * An inference pool's state (LLM_ENDPOINTS): `available` says whether any endpoint can take a turn now, and
   * `noticeDue` is true once per outage, for the first person answered by the rules instead.
   */
  pool?: { available(): boolean; noticeDue(): boolean };
  timeoutMs?: number;
}

/**
 * The conversation's understanding step. The rules read every message first: a reading they are sure of runs its
 * action directly, and one they refuse for safety is said as is. What they cannot read goes to the model, a
 * `createAgent` (LangChain) loop over tools generated from the registry, when one is configured. (The rules' own
 * readings once went through the same loop, as a chat model that always called one tool: two calls of LangChain's
 * graph for nothing, 2.4 of the 5.6 ms of CPU a turn cost in bench/understanding.)
 */
export class BotAgent {
  private readonly tools: StructuredToolInterface[];
  private readonly systemPrompt: string;
  private readonly llmAgent;
  private readonly maxSteps: number;
  private readonly timeoutMs: number;
  private readonly window = new HistoryWindow();

  constructor(private readonly options: BotAgentOptions) {
    const tools = registryTools(options.registry, options.logger);
    const systemPrompt = loadPrompt('system');
    this.tools = tools;
    this.systemPrompt = systemPrompt;
    this.llmAgent = options.llm ? createAgent({ model: options.llm, tools, systemPrompt }) : null;
    this.maxSteps = options.maxSteps ?? 6;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** Loads the system prompt and tool documentation into the model's cache before the first user arrives. */
  async prewarm(): Promise<void> {
    const llm = this.options.llm as
      | (BaseChatModel & { prewarm?: (system: string, tools: StructuredToolInterface[]) => Promise<void> })
      | undefined;
    await llm?.prewarm?.(this.systemPrompt, this.tools);
  }

  /** The rules' schema-validated reading of a message (no model involved). */
  understand(message: string) {
    return understand(message, this.options.parser, this.options.registry);
  }

  get usesLlm(): boolean {
    return this.llmAgent !== null;
  }

  async turn(ctx: ActionContext, message: string, history: BaseMessage[] = []): Promise<TurnResult> {
    const intent = understand(message, this.options.parser, this.options.registry);
    const via = this.llmAgent ? 'fast-path' : 'rules';
    // A refusal, or an explanation with the draft offered as a button: said as is, by code. A reading the rules
    // are not sure of ("did you mean ...?") goes to the model when there is one, and is asked as is otherwise.
    if (intent.action === null && (intent.final || !this.llmAgent)) return wordsOnly([answerOf(intent)], via);
    if (intent.action !== null) {
      const action = this.options.registry.get(intent.action)!;
      const replies = [await runAction(action, ctx, intent.args, this.options.logger)];
      const memo = { call: intent.action, args: stringArgs(intent.args), outcome: outcomeOf(replies, false) };
      return { replies, via, modelCalls: 0, actions: [intent.action], memo: memoText(memo) };
    }
    if (this.options.pool && !this.options.pool.available()) return this.withoutModel(intent);
    try {
      return await this.run(this.llmAgent!, ctx, message, history);
    } catch (error) {
      if (this.options.pool && isPoolFailure(error)) {
        this.options.logger.warn(
          { err: (error as Error).message },
          'inference pool failed: answered by the rules',
        );
        return this.withoutModel(intent);
      }
      if (!(error instanceof ModelBusyError)) throw error;
      // Everyone's turn would otherwise wait on the model: answer now with what the rules could read.
      this.options.logger.warn({ waitedMs: error.waitedMs }, 'model busy: answered by the rules');
      const r = answerOf(intent);
      r.blocks.push(
        notice(
          'info',
          'Many people are asking at once, so I read this with my simple rules only. Try again in a minute, or use a command (say "help").',
        ),
      );
      return wordsOnly([r], 'rules');
    }
  }

  /** The pool has no endpoint for this turn: the rules answer, and the first person of an outage hears why. */
  private withoutModel(intent: Extract<Intent, { action: null }>): TurnResult {
    const r = answerOf(intent);
    if (this.options.pool?.noticeDue())
      r.blocks.push(
        notice(
          'info',
          'The language model pool is unavailable right now, so I read this with my simple rules only (say "help" for commands).',
        ),
      );
    return wordsOnly([r], 'rules');
  }

  /** A turn of the model's agent loop (the rules could not read the message). */
  private async run(
    agent: NonNullable<typeof this.llmAgent>,
    ctx: ActionContext,
    message: string,
    history: BaseMessage[],
  ): Promise<TurnResult> {
    const key = `${ctx.caller.platform}:${ctx.caller.userId}`;
    const shown = this.window.visible(key, history);
    // Addresses, keys, ids and amounts reach a model only as placeholders; code puts the originals back.
    const placeholders = new Placeholders();
    const state: TurnState = { ctx, replies: [], ran: [], message, guarded: true, placeholders };
    // What people wrote reaches a model only as their own (user) turns: this one and the remembered ones, with
    // the bot's side of those as one-line records (turn-memo.ts).
    const input = [
      ...modelHistory(shown, placeholders),
      new HumanMessage(untrustedUserText(placeholders.mask(message))),
    ];
    const result = await turnKey.run(key, () =>
      agent.invoke(
        { messages: input },
        {
          configurable: { [TURN_KEY]: state },
          recursionLimit: this.maxSteps * 2 + 1,
          signal: AbortSignal.timeout(this.timeoutMs),
        },
      ),
    );
    // Only what this turn added: the input's own AI messages are remembered history, not calls made now.
    const produced = (result.messages as BaseMessage[]).slice(input.length);
    const modelCalls = produced.filter((m) => m.getType() === 'ai').length;
    const call = produced.flatMap((m) => (m instanceof AIMessage ? (m.tool_calls ?? []) : []))[0];
    const settled = (r: TurnResult): TurnResult => {
      this.window.settle(key, shown, message, r.memo ?? '');
      return r;
    };
    if (state.replies.length) {
      const memo = call
        ? memoText({
            call: call.name,
            args: stringArgs(restored(placeholders, call.args)),
            outcome: outcomeOf(
              state.replies,
              state.ran.some((r) => r.endsWith('?')),
            ),
          })
        : memoText(saidOf(state.replies));
      return settled({ replies: state.replies, via: 'llm', modelCalls, actions: state.ran, memo });
    }
    const last = produced.at(-1);
    const said = last instanceof AIMessage && typeof last.content === 'string' ? last.content.trim() : '';
    // A model's words may name placeholders too ("Send N1 PAC to A1?"): the person sees the originals.
    const answer = placeholders.unmaskText(said);
    return settled(
      wordsOnly(
        [reply('private', text(answer || 'I did not understand that. Say "help" to see what I can do.'))],
        'llm',
        modelCalls,
      ),
    );
  }
}

/** A turn answered in words (no action): remembered as those words. */
function wordsOnly(replies: Reply[], via: TurnResult['via'], modelCalls = 0): TurnResult {
  return { replies, via, modelCalls, actions: [], memo: memoText(saidOf(replies)) };
}

/** A model's call arguments with the originals put back (as they were if it named an unknown placeholder). */
function restored(
  placeholders: Placeholders | undefined,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const back = placeholders?.unmask(args);
  return back?.ok ? back.args : args;
}

/** The rules' words for a message they did not turn into an action, with the offered draft as a button. */
function answerOf(intent: Extract<Intent, { action: null }>): Reply {
  const r = reply('private', text(intent.reason));
  if (intent.offer)
    r.buttons.push({
      type: 'action',
      label: intent.offer.label,
      action: intent.offer.action,
      args: intent.offer.args,
      style: 'primary',
    });
  for (const choice of intent.choices ?? [])
    r.buttons.push({
      type: 'action',
      label: choice.label,
      action: choice.action,
      args: choice.args,
      style: 'secondary',
    });
  return r;
}
