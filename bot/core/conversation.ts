import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import type { BotAgent, TurnResult } from '../../agents/agent.js';
import type { ActionContext, Caller, Services } from '../../agents/context.js';
import { isPersonal, type ActionRegistry } from '../../agents/registry.js';
import { errorReply, notice, reply, replyToText, type Reply } from '../../agents/reply.js';
import { REDACTED, SECRET_REFUSAL, containsSecret } from '../../pactus/secrets/index.js';
import type { Offer } from '../../agents/rules/index.js';
import {
  commandHint,
  commandUsage,
  missingChoice,
  positionalArguments,
  typedArguments,
} from '../../agents/typed-commands.js';
import { runAction } from '../../agents/tools.js';
import { checkContractFile } from '../../agents/actions/contracts.js';
import { ensureChatAccount } from '../../wallet/accounts.js';
import { isDatabaseUnavailable } from '../../db/connection.js';
import { storeUnavailableReply } from './platform-replies.js';
import { textContainsSecret } from './secret-scan.js';
import type { ChatEvent } from './event.js';
import { ConversationMemory } from './memory.js';
import { RateLimiter } from './rate-limit.js';

export interface TurnInfo {
  event: ChatEvent;
  ctx: ActionContext;
  /** The action run, if any. */
  actions: string[];
  replies: Reply[];
}

/** Called after every successful turn (rewards count answered questions here). */
export type TurnHook = (info: TurnInfo) => Promise<void>;

export interface ConversationOptions {
  registry: ActionRegistry;
  agent: BotAgent;
  services: Services;
  logger: Logger;
  /** platform:userId of bot admins (e.g. "discord:1234"). */
  admins?: Set<string>;
  rateLimit?: { burst: number; perMinute: number };
  /** platform:userId never throttled: the operator at the local console, typing into their own bot. */
  unthrottled?: Set<string>;
}

const MAX_TEXT = 2000;
/** What someone over the rate limit hears (in a direct chat; in a group they hear nothing, see `admit`). */
export const slowDownReply = (): Reply =>
  reply(
    'private',
    notice('warning', 'You are sending requests quickly; please wait a few seconds and try again.'),
  );

/** A short, stable, non-reversible id for logs, so logs can correlate a user without naming them. */
export function userTag(platform: string, id: string): string {
  return createHash('sha256').update(`${platform}:${id}`).digest('hex').slice(0, 10);
}

/**
 * The conversation core every platform shares: ChatEvent in, Reply out. It never throws and never shows a stack
 * trace; private replies stay private; one user cannot flood it; while the database is away it says so and asks
 * to try again shortly.
 */
export class Conversation {
  private readonly limiter: RateLimiter;
  readonly memory: ConversationMemory;
  readonly hooks: TurnHook[] = [];

  constructor(private readonly options: ConversationOptions) {
    const limit = options.rateLimit ?? { burst: 8, perMinute: 20 };
    const db = options.services.wallet.db;
    this.limiter = new RateLimiter(db, limit.burst, limit.perMinute);
    this.memory = new ConversationMemory(db);
  }

  /** Deletes rate-limit buckets and conversation turns past their use (the leader runs this now and then). */
  async purge(): Promise<void> {
    await this.limiter.purge();
    await this.memory.purge();
  }

  get registry(): ActionRegistry {
    return this.options.registry;
  }

  /**
   * Takes this person's turn from the rate limit, before a platform does any work for the event: false when they
   * are sending too quickly. In a group or server, a platform that admits first answers a refused message with
   * nothing (an answer per message would let one person flood the group through the bot), and then hands the event
   * to `handle` with `admitted` so the turn is not taken twice. The database away counts as admitted: `handle`
   * answers that itself.
   */
  async admit(event: Pick<ChatEvent, 'platform' | 'user'>): Promise<boolean> {
    const who = `${event.platform}:${event.user.id}`;
    if (this.options.unthrottled?.has(who)) return true;
    try {
      return await this.limiter.take(who);
    } catch (error) {
      if (isDatabaseUnavailable(error)) return true;
      throw error;
    }
  }

  async handle(event: ChatEvent, options: { admitted?: boolean } = {}): Promise<Reply> {
    const started = performance.now();
    const tag = userTag(event.platform, event.user.id);
    const log = this.options.logger.child({ platform: event.platform, user: tag });
    // platform:userId: the rate limit's, the admin list's and the memory's key for this person.
    const who = `${event.platform}:${event.user.id}`;
    try {
      if (!options.admitted && !this.options.unthrottled?.has(who) && !(await this.limiter.take(who)))
        return slowDownReply();
      // Before anything else runs, sees or stores the text: a recovery phrase or private key in any part of the
      // event (typed text, a command's argument, a form field, a button) is refused and never repeated.
      if (eventContainsSecret(event) || (await attachmentContainsSecret(event))) {
        log.warn({ secret: true }, 'refused a message containing a secret');
        return reply('private', notice('error', SECRET_REFUSAL));
      }
      const ctx = await this.context(event);
      let result: TurnResult;
      if (event.attachment)
        result = {
          replies: [await checkContractFile(ctx, event.attachment)],
          via: 'rules',
          modelCalls: 0,
          actions: ['contract_check'],
        };
      else if (event.command) result = await this.command(ctx, event.command.name, event.command.args);
      else if (event.commandText && event.commandText.name !== 'ask')
        result = await this.typedCommand(ctx, event.commandText.name, event.commandText.text);
      else {
        const text = (event.commandText?.text ?? event.text ?? '').trim();
        if (!text) return reply('private', notice('info', 'Ask me something, or say "help".'));
        if (text.length > MAX_TEXT)
          return errorReply(`That message is too long (over ${MAX_TEXT} characters).`);
        // Only a language model reads the memory; the rules path neither needs nor keeps it.
        const { agent } = this.options;
        result = await agent.turn(ctx, text, agent.usesLlm ? await this.memory.history(who) : []);
        // What a model is shown of this turn later: the person's words and the agent's one-line record of it.
        if (agent.usesLlm)
          await this.memory.remember(who, text, result.memo ?? result.replies.map(replyToText).join('\n'));
      }
      const merged = merge(result.replies);
      log.info(
        {
          via: result.via,
          actions: result.actions,
          modelCalls: result.modelCalls,
          ms: Math.round(performance.now() - started),
        },
        'turn',
      );
      for (const hook of this.hooks) {
        try {
          await hook({ event, ctx, actions: result.actions, replies: result.replies });
        } catch (error) {
          log.error({ err: error }, 'turn hook failed');
        }
      }
      return merged;
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        log.warn({ database: 'unavailable' }, 'turn refused: the database cannot be reached');
        return storeUnavailableReply();
      }
      log.error({ err: error }, 'turn failed');
      return errorReply('Something went wrong on my side. Please try again in a moment.');
    }
  }

  /**
   * Whether answering this event may reveal personal data, decided before anything runs: platforms that cannot
   * answer privately in place (Telegram groups) send such requests to a direct chat instead.
   */
  isPersonal(event: ChatEvent): boolean {
    // A secret is refused in place (the refusal is safe anywhere); it is never kept for a later private answer.
    // No platform asks this of a file (files are taken in direct chats only), so its text is read here in place.
    const file = fileText(event);
    if (eventContainsSecret(event) || (file !== null && containsSecret(file))) return false;
    const { registry } = this.options;
    if (event.command) {
      const parsed = registry.parseArgs(event.command.name, event.command.args);
      return 'error' in parsed ? false : isPersonal(parsed.action, parsed.input);
    }
    const name = event.commandText?.name;
    if (name === 'start' || name === 'help') return false;
    const text =
      event.commandText && name !== 'ask'
        ? `${name} ${event.commandText.text}`
        : (event.commandText?.text ?? event.text ?? '');
    const intent = this.options.agent.understand(text);
    if (intent.action !== null) return isPersonal(registry.get(intent.action)!, intent.args);
    // A refusal is safe to say anywhere; a message only a language model could read might become a draft.
    return !intent.final && this.options.agent.usesLlm;
  }

  /**
   * A command typed as text, in the console or Telegram: "/vote 1 yes", "/propose Title | text | 3d",
   * "/send to: tpc1... | amount: 5 | memo: rent", "/unlink tpc1...", or free words the rules read as this command
   * ("/send 5 PAC to tpc1... memo rent").
   */
  private async typedCommand(ctx: ActionContext, name: string, rest: string): Promise<TurnResult> {
    if (name === 'start' || name === 'help')
      return this.command(ctx, 'help', rest.trim() ? { topic: rest.trim().slice(0, 40) } : {});
    const action = this.options.registry.get(name);
    if (!action)
      return {
        replies: [errorReply(`Unknown command /${name.slice(0, 32)}. Try /help.`)],
        via: 'rules',
        modelCalls: 0,
        actions: [],
      };
    const typed = typedArguments(action, rest);
    if (typed) return this.command(ctx, name, typed);
    const intent = this.options.agent.understand(`${name} ${rest}`);
    if (intent.action === name || (name === 'send' && intent.action === 'send_many'))
      return this.command(ctx, intent.action, intent.args);
    if (intent.action === null && intent.offer?.action === name)
      return { replies: [offerReply(intent.reason, intent.offer)], via: 'rules', modelCalls: 0, actions: [] };
    const positional = positionalArguments(action, rest);
    if (positional) return this.command(ctx, name, positional);
    const choice = missingChoice(action, rest);
    if (choice) return { replies: [choiceReply(name, choice)], via: 'rules', modelCalls: 0, actions: [] };
    const usage = `Usage: ${commandUsage(action)}`;
    const message =
      intent.action === null && intent.final
        ? `${intent.reason} ${usage}`
        : `That does not look like /${name}. ${usage}`;
    return { replies: [errorReply(message)], via: 'rules', modelCalls: 0, actions: [] };
  }

  private async context(event: ChatEvent): Promise<ActionContext> {
    const chatAccountId = await ensureChatAccount(this.options.services.wallet.db, {
      platform: event.platform,
      userId: event.user.id,
      displayName: event.user.name,
    });
    const caller: Caller = {
      chatAccountId,
      platform: event.platform,
      userId: event.user.id,
      displayName: event.user.name,
      chatId: event.chat.id,
      isPrivateChat: event.chat.private,
      isAdmin: this.options.admins?.has(`${event.platform}:${event.user.id}`) ?? false,
    };
    return { caller, services: this.options.services };
  }

  private async command(
    ctx: ActionContext,
    name: string,
    args: Record<string, unknown>,
  ): Promise<TurnResult> {
    const parsed = this.options.registry.parseArgs(name, dropEmpty(args));
    if ('error' in parsed)
      return { replies: [errorReply(parsed.error)], via: 'rules', modelCalls: 0, actions: [] };
    const result = await runAction(parsed.action, ctx, parsed.input, this.options.logger);
    return { replies: [result], via: 'rules', modelCalls: 0, actions: [name] };
  }
}

/** Optional options left empty on a platform arrive as "" or null; the schemas expect them absent. */
function dropEmpty(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  );
}

function merge(replies: Reply[]): Reply {
  if (replies.length === 1) return replies[0]!;
  return {
    visibility: replies.some((r) => r.visibility === 'private') ? 'private' : 'public',
    blocks: replies.flatMap((r) => r.blocks),
    buttons: replies.flatMap((r) => r.buttons),
  };
}

/**
 * A secret anywhere in the event's words: its text, a typed command, any argument of a command, form or button, or
 * a file's name. (A file's content is read by attachmentContainsSecret, off this thread.)
 */
export function eventContainsSecret(event: ChatEvent): boolean {
  const parts = [event.text ?? '', event.commandText?.text ?? ''];
  if (event.command) argumentTexts(event.command.args, parts, 0);
  if (event.attachment) parts.push(event.attachment.name);
  // REDACTED: a store upstream (the Telegram inbox, answering after a restart) cut a secret out of this event.
  return parts.some((p) => p !== '' && (p.includes(REDACTED) || containsSecret(p)));
}

/** A secret in the text of a file sent (a .wat: up to 1 MiB, read in a worker). A .wasm's bytes are not text. */
async function attachmentContainsSecret(event: ChatEvent): Promise<boolean> {
  const text = fileText(event);
  return text !== null && (text.includes(REDACTED) || (await textContainsSecret(text)));
}

/** The text of the file sent, if it is one (a .wasm's bytes are not). */
function fileText(event: ChatEvent): string | null {
  const bytes = event.attachment?.bytes;
  return bytes && !isWasmBinary(bytes) ? new TextDecoder().decode(bytes) : null;
}

/** Every string (and number) in a command's arguments, nested values from a form or button included. */
function argumentTexts(value: unknown, into: string[], depth: number): void {
  if (typeof value === 'string') into.push(value);
  else if (typeof value === 'number' || typeof value === 'bigint') into.push(String(value));
  else if (value && typeof value === 'object' && depth < 4)
    for (const v of Object.values(value)) argumentTexts(v, into, depth + 1);
}

const isWasmBinary = (bytes: Uint8Array) =>
  bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;

/** "/vote 1" with its choice left out: one button per value, and the typed form of the first. */
function choiceReply(name: string, choice: { field: string; options: Record<string, string>[] }): Reply {
  const example = commandHint(name, choice.options[0]!);
  return {
    visibility: 'private',
    blocks: [
      { type: 'text', text: `/${name} needs a ${choice.field}: tap one, or type for example "${example}".` },
    ],
    buttons: choice.options.map((args) => ({
      type: 'action',
      label: args[choice.field]!,
      action: name,
      args,
      style: 'secondary',
    })),
  };
}

function offerReply(reason: string, offer: Offer): Reply {
  return {
    visibility: 'private',
    blocks: [{ type: 'text', text: reason }],
    buttons: [
      { type: 'action', label: offer.label, action: offer.action, args: offer.args, style: 'primary' },
    ],
  };
}
