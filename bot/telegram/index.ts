import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { Telegraf, type Context } from 'telegraf';
import type { Message, Update } from 'telegraf/types';
import type { Logger } from 'pino';
import type { Reply } from '../../agents/reply.js';
import { fetchAttachment } from '../core/attachments.js';
import {
  continueInPrivateReply,
  downloadFailedReply,
  expiredDeepLinkReply,
  privateMessageWaitingReply,
  STALE_BUTTON_TEXT,
} from '../core/platform-replies.js';
import type { OutboxRow } from '../../wallet/outbox.js';
import type { App } from '../app.js';
import { ClaimLapsed, DeliveryError, OutboxDelivery } from '../core/delivery.js';
import type { ChatEvent } from '../core/event.js';
import { slowDownReply } from '../core/conversation.js';
import { TelegramButtons } from './buttons.js';
import { ShortIds } from '../core/short-ids.js';
import { AnswerTakenOver, TelegramInbox } from './inbox.js';
import { checkSignerUrlForTelegram, telegramCommands, type TelegramOptions } from './setup.js';
import {
  ALLOWED_UPDATES,
  Poller,
  isPermanent,
  notModified,
  retryAfterOf,
  startWebhookServer,
  waitingOutRateLimits,
  webhookSecret,
} from './transport.js';
import { addressedToBot } from './addressed.js';

export { checkSignerUrlForTelegram, telegramCommands, type TelegramOptions };
export { startTelegram } from './start.js';

/**
 * Something that continues in the DM through a deep link: a group request still to be answered, an answer (or a
 * notification) already made privately, or a button pressed in a group or channel.
 */
type PendingRequest =
  | { userId: string; event: Pick<ChatEvent, 'text' | 'commandText'> }
  | { userId: string; reply: Reply }
  | { userId: string; command: { name: string; args: Record<string, string> } };

/**
 * The bot in Telegram: commands generated from the registry (scoped per chat type), free text in DMs, and in
 * groups only commands, @mentions and replies to the bot. Private answers never appear in a group: the group gets
 * a deep link that continues the request in the DM. HTML parse mode with every user string escaped.
 */
export class TelegramBot {
  readonly bot: Telegraf;
  private readonly logger: Logger;
  private readonly buttons: TelegramButtons;
  private readonly pending: ShortIds<PendingRequest>;
  readonly inbox: TelegramInbox;
  private delivery: OutboxDelivery | null = null;
  private server: Server | null = null;
  private poller: Poller | null = null;
  private username = '';

  constructor(
    private readonly app: App,
    private readonly options: TelegramOptions,
  ) {
    this.logger = app.logger.child({ component: 'telegram' });
    this.bot = new Telegraf(options.token, {
      telegram: options.apiRoot ? { apiRoot: options.apiRoot } : {},
      handlerTimeout: 120_000,
    });
    this.bot.catch((error) => {
      if (error instanceof AnswerTakenOver)
        this.logger.warn(
          { update: error.updateId },
          'telegram update taken over by another process: answer not sent',
        );
      else this.logger.error({ err: error }, 'telegram update failed');
    });
    // Awaited, so an update is marked done only once it is answered; the inbox answers different chats at once
    // and one chat's updates in order.
    this.bot.on('callback_query', (ctx) => this.onCallback(ctx));
    this.bot.on('message', (ctx) => this.onMessage(ctx));
    this.buttons = new TelegramButtons(app.db);
    this.pending = new ShortIds(app.db, 'telegram-deep-link', 10 * 60 * 1000);
    this.inbox = new TelegramInbox(
      app.db,
      `${process.pid}:${randomUUID()}`,
      (update) => this.bot.handleUpdate(update),
      this.logger,
      options.inbox,
    );
  }

  /** Stores a received update and has it answered (unless another process already received it). */
  private readonly receive = async (update: Update): Promise<void> => {
    if (await this.inbox.accept(update)) this.inbox.wake();
  };

  /** Polling conflicts seen (409): another process polling with the same token. */
  get pollingConflicts(): number {
    return this.poller?.conflicts ?? 0;
  }

  async start(): Promise<void> {
    const me = await this.bot.telegram.getMe();
    this.bot.botInfo = me;
    this.username = me.username;
    const commands = telegramCommands(this.app);
    await this.call(() =>
      this.bot.telegram.setMyCommands(commands.private, { scope: { type: 'all_private_chats' } }),
    );
    await this.call(() =>
      this.bot.telegram.setMyCommands(commands.group, { scope: { type: 'all_group_chats' } }),
    );
    this.inbox.start();
    if (this.options.webhookUrl) await this.startWebhook();
    else {
      await this.call(() => this.bot.telegram.deleteWebhook());
      this.poller = new Poller(this.bot, this.receive, this.logger, this.options.polling);
      this.poller.start();
    }
    this.delivery = new OutboxDelivery(
      this.app.db,
      'telegram',
      this.app.notifications,
      (row, r, editRef, held) => this.deliver(row, r, editRef, held),
      this.logger,
      { claimMs: this.app.config.OUTBOX_CLAIM_SECONDS * 1000 },
    );
    this.delivery.start();
    this.logger.info(
      { username: this.username, mode: this.options.webhookUrl ? 'webhook' : 'polling' },
      'telegram ready',
    );
  }

  private async startWebhook(): Promise<void> {
    const url = new URL(this.options.webhookUrl!);
    const secret = webhookSecret(this.options.token, this.options.webhookSecret);
    if (!this.options.webhookSecret)
      this.logger.info(
        'TELEGRAM_WEBHOOK_SECRET is not set: the webhook uses a secret derived from the bot token',
      );
    // Listen before registering, so Telegram's first delivery finds us.
    this.server = await startWebhookServer(this.receive, this.logger, {
      path: url.pathname,
      secret,
      port: this.options.webhookPort ?? 8788,
      host: this.options.webhookHost ?? '127.0.0.1',
    });
    // Every worker registers the same webhook (setWebhook with the same settings changes nothing), so workers are
    // alike and a rotated secret takes effect with the workers that carry it.
    await this.call(() =>
      this.bot.telegram.setWebhook(url.href, {
        secret_token: secret,
        allowed_updates: [...ALLOWED_UPDATES],
        ...(this.options.webhookMaxConnections && { max_connections: this.options.webhookMaxConnections }),
      }),
    );
  }

  get webhookPort(): number {
    return (this.server?.address() as { port: number } | null)?.port ?? 0;
  }

  async stop(): Promise<void> {
    await this.delivery?.stop();
    await this.poller?.stop();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
    await this.inbox.stop();
  }

  /** Telegram API call that waits out 429 retry_after (a few times) and rethrows anything else. */
  private call<T>(fn: () => Promise<T>): Promise<T> {
    return waitingOutRateLimits(fn, this.logger);
  }

  /**
   * Sends a Reply as one message, or several when it is longer than Telegram takes; returns the first id. With
   * `waitFirst` false a 429 on the first message is thrown rather than waited out (the outbox defers that chat
   * alone); once a part is out, the rest wait, so a message is never half sent twice.
   */
  private async post(
    chatId: number | string,
    result: Reply,
    userId: string,
    replyTo?: number,
    waitFirst = true,
    held: () => void | Promise<void> = () => undefined,
  ): Promise<number> {
    let first: number | undefined;
    for (const message of await this.buttons.render(result, userId)) {
      await held();
      const send = () =>
        this.bot.telegram.sendMessage(chatId, message.text, {
          parse_mode: 'HTML',
          link_preview_options: message.link_preview_options,
          ...(message.reply_markup && { reply_markup: message.reply_markup }),
          ...(replyTo &&
            first === undefined && {
              reply_parameters: { message_id: replyTo, allow_sending_without_reply: true },
            }),
        });
      const sent = first === undefined && !waitFirst ? await send() : await this.call(send);
      first ??= sent.message_id;
    }
    return first!;
  }

  private async send(
    chatId: number | string,
    result: Reply,
    userId: string,
    replyTo?: number,
  ): Promise<void> {
    try {
      // An answer to an update: sent only while the update is still this process's (TelegramInbox.held).
      await this.post(chatId, result, userId, replyTo, true, () => this.inbox.held());
    } catch (error) {
      if (error instanceof AnswerTakenOver) throw error;
      this.logger.error(
        { err: error instanceof Error ? error.message : error, chat: String(chatId).slice(0, 4) },
        'sendMessage failed',
      );
    }
  }

  // ---------------------------------------------------------------- incoming

  /** t.me/<bot>?start=<id>: opens the DM with the bot and sends /start <id> (an opaque id, never the request). */
  private async deepLink(pending: PendingRequest): Promise<string> {
    return `https://t.me/${this.username}?start=${await this.pending.put(pending)}`;
  }

  /** Answers in the group with a deep link that continues in the DM. */
  private async continueInPrivate(chatId: number, replyTo: number, pending: PendingRequest): Promise<void> {
    const deepLink = await this.deepLink(pending);
    await this.send(chatId, continueInPrivateReply(deepLink), pending.userId, replyTo);
  }

  private async onMessage(ctx: Context<Update.MessageUpdate>): Promise<void> {
    const message = ctx.message;
    if ('document' in message && message.from && !message.from.is_bot && message.chat.type === 'private')
      return this.onDocument(message);
    if (!('text' in message) || !message.from || message.from.is_bot) return;
    const addressed = addressedToBot(message, this.username, this.bot.botInfo?.id);
    if (!addressed) return;
    const isPrivate = message.chat.type === 'private';
    const userId = String(message.from.id);
    let body: Pick<ChatEvent, 'text' | 'commandText'> = addressed.commandText
      ? { commandText: addressed.commandText }
      : { text: addressed.text };

    // "/start <payload>" in the DM continues a request that was made in a group.
    if (isPrivate && addressed.commandText?.name === 'start' && addressed.commandText.text) {
      // Read first and taken only by its owner, so someone else opening the link cannot spend it.
      const seen = await this.pending.get(addressed.commandText.text);
      const pending =
        seen?.userId === userId ? await this.pending.take(addressed.commandText.text) : undefined;
      if (!pending) {
        await this.send(message.chat.id, expiredDeepLinkReply(), userId);
        return;
      }
      if ('reply' in pending) {
        await this.send(message.chat.id, pending.reply, userId);
        return;
      }
      if ('command' in pending) {
        const result = await this.app.conversation.handle({
          platform: 'telegram',
          user: { id: userId, name: message.from.username ?? message.from.first_name },
          chat: { id: String(message.chat.id), private: true },
          command: pending.command,
        });
        await this.send(message.chat.id, result, userId);
        return;
      }
      body = pending.event;
    }
    const event: ChatEvent = {
      platform: 'telegram',
      user: { id: userId, name: message.from.username ?? message.from.first_name },
      chat: { id: String(message.chat.id), private: isPrivate },
      ...body,
    };
    // In a group the turn is taken first: a refused message gets no answer there (each answer would be a post in the
    // group, or a stored deep link), so one person cannot flood a group, or the group's Telegram quota, through us.
    if (!isPrivate && !(await this.app.conversation.admit(event))) {
      this.logger.debug('group message over the rate limit: not answered');
      return;
    }
    if (!isPrivate && this.app.conversation.isPersonal(event)) {
      await this.continueInPrivate(message.chat.id, message.message_id, { userId, event: body });
      return;
    }
    const result = await this.app.conversation.handle(event, { admitted: !isPrivate });
    if (!isPrivate && result.visibility === 'private') {
      // The preview said public but the answer turned out personal: it waits for the DM instead of being redone.
      await this.continueInPrivate(message.chat.id, message.message_id, { userId, reply: result });
      return;
    }
    await this.send(message.chat.id, result, userId, isPrivate ? undefined : message.message_id);
  }

  /**
   * A file sent in the DM (a contract to check): its size is checked before it is downloaded (#getfile), and the
   * download gets a deadline. Files in groups are left alone.
   */
  private async onDocument(message: Message.DocumentMessage): Promise<void> {
    const userId = String(message.from!.id);
    // The turn is taken before the download, so a flood of files is refused before any is fetched.
    if (!(await this.app.conversation.admit({ platform: 'telegram', user: { id: userId } }))) {
      await this.send(message.chat.id, slowDownReply(), userId);
      return;
    }
    const { file_id: fileId, file_name: name = '', file_size: size = 0 } = message.document;
    let attachment;
    try {
      attachment = await fetchAttachment({ name, size }, async () =>
        String(await this.call(() => this.bot.telegram.getFileLink(fileId))),
      );
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'telegram file download failed');
      await this.send(message.chat.id, downloadFailedReply(), userId);
      return;
    }
    const result = await this.app.conversation.handle(
      {
        platform: 'telegram',
        user: { id: userId, name: message.from!.username ?? message.from!.first_name },
        chat: { id: String(message.chat.id), private: true },
        text: message.caption,
        attachment,
      },
      { admitted: true },
    );
    await this.send(message.chat.id, result, userId);
  }

  private async onCallback(ctx: Context<Update.CallbackQueryUpdate>): Promise<void> {
    const query = ctx.callbackQuery;
    const userId = String(query.from.id);
    const data = 'data' in query ? query.data : undefined;
    const stored = data ? await this.buttons.resolve(data, userId) : null;
    const chat = query.message?.chat;
    if (!stored) {
      await this.call(() => ctx.answerCbQuery(STALE_BUTTON_TEXT, { show_alert: true })).catch((error) =>
        this.logger.warn({ err: (error as Error).message }, 'answerCallbackQuery failed'),
      );
      return;
    }
    if (chat && chat.type !== 'private') {
      // A button in a group or channel: most people there never opened a DM with the bot, and a bot cannot
      // write first (403). The answer opens the DM in one tap, where /start <id> runs the action privately.
      const url = await this.deepLink({ userId, command: { name: stored.action, args: stored.args } });
      await this.call(() => ctx.answerCbQuery(undefined, { url })).catch((error) =>
        this.logger.warn({ err: (error as Error).message }, 'answerCallbackQuery failed'),
      );
      return;
    }
    await this.call(() => ctx.answerCbQuery()).catch(() => undefined);
    const event: ChatEvent = {
      platform: 'telegram',
      user: { id: userId, name: query.from.username ?? query.from.first_name },
      chat: { id: userId, private: true },
      command: { name: stored.action, args: stored.args },
    };
    const result = await this.app.conversation.handle(event);
    await this.send(userId, result, userId);
  }

  // ---------------------------------------------------------------- outbox

  /**
   * Sends an outbox row. "message is not modified" is a delivered edit. A refusal no retry can fix is permanent;
   * for a person who never started the bot, the group the request came from gets a deep link bound to them.
   */
  private async deliver(
    row: OutboxRow,
    result: Reply,
    editRef: string | undefined,
    held: () => void = () => undefined,
  ): Promise<string | void> {
    try {
      if (editRef) {
        const [message, ...more] = await this.buttons.render(result, row.recipient);
        if (more.length)
          this.logger.warn({ id: row.id }, 'edit longer than one message: only the first part is edited');
        held();
        try {
          await this.bot.telegram.editMessageText(row.recipient, Number(editRef), undefined, message!.text, {
            parse_mode: 'HTML',
            link_preview_options: message!.link_preview_options,
            ...(message!.reply_markup && { reply_markup: message!.reply_markup }),
          });
        } catch (error) {
          if (!notModified(error)) throw error;
        }
        return editRef;
      }
      return String(await this.post(row.recipient, result, row.recipient, undefined, false, held));
    } catch (error) {
      if (error instanceof ClaimLapsed) throw error;
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== undefined)
        throw new DeliveryError((error as Error).message, false, retryAfter * 1000);
      if (!isPermanent(error)) throw new DeliveryError((error as Error).message, false);
      const group = typeof row.payload.chatId === 'string' ? Number(row.payload.chatId) : NaN;
      if (row.audience === 'user' && group < 0) {
        await this.post(
          group,
          privateMessageWaitingReply(await this.deepLink({ userId: row.recipient, reply: result })),
          row.recipient,
          undefined,
          false,
          held,
        ).catch((fallbackError) => {
          if (fallbackError instanceof ClaimLapsed) throw fallbackError;
          const wait = retryAfterOf(fallbackError);
          throw new DeliveryError(
            (fallbackError as Error).message,
            wait === undefined && isPermanent(fallbackError),
            wait === undefined ? undefined : wait * 1000,
          );
        });
        return 'deep-link';
      }
      throw new DeliveryError((error as Error).message, true);
    }
  }
}
