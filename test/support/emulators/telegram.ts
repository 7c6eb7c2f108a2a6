// A local Telegram Bot API over HTTP on 127.0.0.1: the real telegraf client points its apiRoot here. Tests queue
// updates for getUpdates (or have them posted to the bot's webhook) and read the API calls the bot made.
//
// It is strict: it refuses what the Bot API refuses (core.telegram.org/bots/api), with the API's own error
// descriptions, so a bot that passes here does not fail on the real Telegram. Each rule cites its section.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { parseTelegramHtml } from './telegram-html.js';
import { WebhookError, WebhookSender, parseWebhook, type WebhookPost } from './telegram-webhook.js';

export interface BotApiCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
  /** The API's answer: 200, or the error code the emulator refused the call with. */
  status?: number;
  error?: string;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const badRequest = (description: string) => new ApiError(400, `Bad Request: ${description}`);

/** #sendmessage: "Text of the message to be sent, 1-4096 characters after entities parsing". */
const MAX_TEXT = 4096;
/** #message: a caption is 0-1024 characters. */
const MAX_CAPTION = 1024;
/** How the file server writes a download: 64 KiB at a time. */
const FILE_CHUNK = 64 * 1024;
/** #inlinekeyboardbutton: callback_data is 1-64 bytes. */
const MAX_CALLBACK_DATA = 64;

interface Waiting {
  res: ServerResponse;
  timer: NodeJS.Timeout;
  offset: number;
  send: (status: number, body: unknown) => void;
}

export class TelegramEmulator {
  readonly token = '123456:TEST-TOKEN';
  readonly botUser = { id: 7_000_001, is_bot: true, first_name: 'Pactus', username: 'pactus_test_bot' };
  readonly calls: BotApiCall[] = [];
  /** Users who opened a private chat with the bot (#sendmessage refuses the others with 403). */
  readonly started = new Set<number>();
  readonly blocked = new Set<number>();
  /** Where the public webhook URL is served locally (a reverse proxy's job in production). */
  webhookRoute: (publicUrl: string) => string = (u) => u;
  /** How long an empty getUpdates waits before answering [] (capped by its `timeout`). */
  longPollMs = 1000;
  private server: Server | null = null;
  private readonly updates: Record<string, unknown>[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private failures: {
    method: string;
    retryAfter: number;
    remaining: number;
    status: number;
    chatId?: number;
  }[] = [];
  /**
   * Flood control in force: until `until`, calls (of `method`, to `chatId`, when set) are answered 429 with the
   * seconds left (#responseparameters: retry_after is "the number of seconds left to wait before the request can be
   * repeated"), so a bot that retries early is refused again, as by Telegram.
   */
  private limits: { method?: string; chatId?: number; until: number }[] = [];
  private outages: { until: number; methods?: string[]; status: number }[] = [];
  /** Milliseconds each sendMessage/editMessageText takes to answer (a slow network or a busy Bot API). */
  latencyMs = 0;
  private readonly messages = new Map<string, { text: string; markup: string }>();
  private readonly queries = new Map<string, { answered: boolean }>();
  private waiting: Waiting | null = null;
  private readonly documents = new Map<string, Uint8Array>();
  private readonly files = new Map<string, Uint8Array>();
  /** Every file download (#getfile's URL): bytes written before the client stopped reading, and whether all were. */
  readonly fileDownloads: { path: string; served: number; completed: boolean }[] = [];
  private readonly webhook = new WebhookSender(this.updates, () => this.webhookRoute);
  port = 0;

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    if (this.waiting) {
      clearTimeout(this.waiting.timer);
      this.waiting.send(200, { ok: true, result: [] });
      this.waiting = null;
    }
    this.webhook.settings = null;
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  /**
   * The next `count` calls of `method` (to `chatId`, when given) fail: 429 with retry_after, after which that
   * flood control holds for retry_after seconds (see `limits`), or another status (e.g. 502).
   */
  failNext(method: string, retryAfter = 1, count = 1, status = 429, chatId?: number): void {
    this.failures.push({ method, retryAfter, remaining: count, status, chatId });
  }

  /**
   * The Bot API down for `ms` (all methods, or those named): every call is answered `status` with the HTML page
   * Telegram's front server gives while the Bot API behind it is away, not the Bot API's JSON.
   */
  outage(ms: number, methods?: string[], status = 502): void {
    this.outages.push({ until: Date.now() + ms, methods, status });
  }

  /** Flood control on one chat (core.telegram.org/bots/faq: per-chat limits): every call to it waits `seconds`. */
  rateLimitChat(chatId: number, seconds: number): void {
    this.limits.push({ chatId, until: Date.now() + seconds * 1000 });
  }

  get webhookUrl(): string | null {
    return this.webhook.settings?.url ?? null;
  }

  /** Every post to the webhook, with the answer's status (0: no connection). */
  get webhookPosts(): WebhookPost[] {
    return this.webhook.posts;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    // #getfile: files are downloaded from /file/bot<token>/<file_path>.
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      const bytes = file[1] === this.token ? this.files.get(file[2]!) : undefined;
      if (!bytes) {
        res.writeHead(404).end();
        return;
      }
      // Sent in chunks as a file server does, minding backpressure, so a client that stops reading stops the
      // download; whether each download was read to its end is recorded (fileDownloads).
      const record = { path: file[2]!, served: 0, completed: false };
      this.fileDownloads.push(record);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      for (let at = 0; at < bytes.length && !res.destroyed; at += FILE_CHUNK) {
        const chunk = bytes.subarray(at, at + FILE_CHUNK);
        record.served += chunk.length;
        if (!res.write(chunk)) await drainedOrClosed(res);
      }
      if (!res.destroyed) res.end(() => (record.completed = true));
      return;
    }
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    let answered = false;
    const send = (status: number, body: unknown) => {
      if (answered) return;
      answered = true;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!match || match[1] !== this.token)
      return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2]!;
    let params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (raw) params = { ...params, ...(JSON.parse(raw) as Record<string, unknown>) };
    const call: BotApiCall = { method, params, at: Date.now() };
    const tooMany = (retryAfter: number) =>
      send(429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      });
    const now = Date.now();
    this.outages = this.outages.filter((o) => o.until > now);
    const outage = this.outages.find((o) => !o.methods || o.methods.includes(method));
    if (outage) {
      this.calls.push({ ...call, method: `${method}:${outage.status}`, status: outage.status });
      answered = true;
      res.writeHead(outage.status, { 'content-type': 'text/html' });
      res.end(`<html><head><title>${outage.status} Bad Gateway</title></head></html>`);
      return;
    }
    this.limits = this.limits.filter((l) => l.until > now);
    const limit = this.limits.find(
      (l) =>
        (l.method === undefined || l.method === method) &&
        (l.chatId === undefined || Number(params.chat_id) === l.chatId),
    );
    if (limit) {
      this.calls.push({ ...call, method: `${method}:429`, status: 429 });
      return tooMany(Math.max(1, Math.ceil((limit.until - now) / 1000)));
    }
    const failure = this.failures.find(
      (f) =>
        f.method === method &&
        f.remaining > 0 &&
        (f.chatId === undefined || Number(params.chat_id) === f.chatId),
    );
    if (failure) {
      failure.remaining--;
      this.calls.push({ ...call, method: `${method}:${failure.status}`, status: failure.status });
      if (failure.status !== 429)
        return send(failure.status, { ok: false, error_code: failure.status, description: 'Bad Gateway' });
      if (failure.retryAfter > 0)
        this.limits.push({ method, chatId: failure.chatId, until: now + failure.retryAfter * 1000 });
      return tooMany(failure.retryAfter);
    }
    if (method !== 'getUpdates') this.calls.push(call);
    if (this.latencyMs && (method === 'sendMessage' || method === 'editMessageText'))
      await new Promise((r) => setTimeout(r, this.latencyMs));
    try {
      if (method === 'getUpdates') return this.getUpdates(params, res, send);
      const result = this.apply(method, params);
      call.status = 200;
      send(200, { ok: true, result });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      call.status = error.code;
      call.error = error.description;
      send(error.code, {
        ok: false,
        error_code: error.code,
        description: error.description,
        ...(error.parameters && { parameters: error.parameters }),
      });
    }
  }

  private apply(method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case 'getMe':
        return {
          ...this.botUser,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        };
      case 'setMyCommands':
      case 'deleteMessage':
        return true;
      case 'setWebhook':
        return this.setWebhook(params);
      case 'getWebhookInfo':
        return this.webhook.info();
      case 'deleteWebhook':
        this.webhook.settings = null;
        return true;
      case 'getFile':
        return this.getFile(params);
      case 'answerCallbackQuery':
        return this.answerCallback(params);
      case 'sendMessage': {
        this.checkChat(Number(params.chat_id));
        const { text, markup } = this.checkContent(params);
        const id = this.nextMessageId++;
        this.messages.set(`${Number(params.chat_id)}:${id}`, { text, markup });
        return this.messageObject(Number(params.chat_id), id, params.text);
      }
      case 'editMessageText': {
        const chat = Number(params.chat_id);
        const key = `${chat}:${Number(params.message_id)}`;
        const current = this.messages.get(key);
        if (!current) throw badRequest('message to edit not found');
        const next = this.checkContent(params);
        // #editmessagetext: an edit that changes nothing is refused.
        if (next.text === current.text && next.markup === current.markup)
          throw badRequest(
            'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
          );
        this.messages.set(key, next);
        return this.messageObject(chat, Number(params.message_id), params.text);
      }
      default:
        throw new ApiError(404, `Not Found: method ${method} is not emulated`);
    }
  }

  private messageObject(chatId: number, messageId: number, text: unknown) {
    return {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: chatId > 0 ? 'private' : 'supergroup' },
      text,
      from: this.botUser,
    };
  }

  /** #sendmessage: a bot cannot write first to a user; it can only answer those who started it. */
  private checkChat(chatId: number): void {
    if (chatId > 0 && this.blocked.has(chatId))
      throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    if (chatId > 0 && !this.started.has(chatId))
      throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
  }

  /** Text after entity parsing (#formatting-options), its length, and the inline keyboard's buttons. */
  private checkContent(params: Record<string, unknown>): { text: string; markup: string } {
    const source = String(params.text ?? '');
    let shown = source;
    if (params.parse_mode === 'HTML') {
      const parsed = parseTelegramHtml(source);
      if (!parsed.ok) throw new ApiError(400, parsed.error);
      shown = parsed.text;
    } else if (params.parse_mode !== undefined)
      throw badRequest(`unsupported parse_mode ${String(params.parse_mode)}`);
    if (shown.trim() === '') throw badRequest('message text is empty');
    if (shown.length > MAX_TEXT) throw badRequest('message is too long');
    const markup = params.reply_markup as
      { inline_keyboard?: { text?: string; url?: string; callback_data?: string }[][] } | undefined;
    for (const row of markup?.inline_keyboard ?? [])
      for (const button of row) {
        if (!button.text) throw badRequest('inline keyboard button text must be non-empty');
        if (button.callback_data !== undefined) {
          const bytes = Buffer.byteLength(button.callback_data);
          if (bytes < 1 || bytes > MAX_CALLBACK_DATA) throw badRequest('BUTTON_DATA_INVALID');
        } else if (button.url !== undefined) {
          if (!isPublicUrl(button.url))
            throw badRequest(`inline keyboard button URL '${button.url}' is invalid: Wrong HTTP URL`);
        } else throw badRequest('can\'t find field "callback_data"');
      }
    return { text: source, markup: JSON.stringify(markup ?? null) };
  }

  /** #answercallbackquery: once per query; a url may only open this bot (t.me/<bot>?start=...). */
  private answerCallback(params: Record<string, unknown>): true {
    const query = this.queries.get(String(params.callback_query_id));
    if (!query || query.answered)
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    if (params.url !== undefined) {
      const ok = new RegExp(`^https?://t\\.me/${this.botUser.username}\\?start=[A-Za-z0-9_-]{1,64}$`).test(
        String(params.url),
      );
      if (!ok) throw badRequest('URL_INVALID');
    }
    query.answered = true;
    return true;
  }

  /** #getfile: "bots can download files of up to 20MB in size"; the path is valid for at least an hour. */
  private getFile(params: Record<string, unknown>): Record<string, unknown> {
    const id = String(params.file_id ?? '');
    const bytes = this.documents.get(id);
    if (!bytes) throw badRequest('invalid file_id');
    if (bytes.length > 20 * 1024 * 1024) throw badRequest('file is too big');
    const path = `documents/file_${id}`;
    this.files.set(path, bytes);
    return { file_id: id, file_unique_id: `u${id}`, file_size: bytes.length, file_path: path };
  }

  /** #setwebhook (the checks are in telegram-webhook.ts). */
  private setWebhook(params: Record<string, unknown>): true {
    try {
      this.webhook.settings = parseWebhook(params);
    } catch (error) {
      if (error instanceof WebhookError) throw badRequest(error.message);
      throw error;
    }
    this.webhook.pump();
    return true;
  }

  /** #getupdates: not while a webhook is set; a second poller terminates the first with 409. */
  private getUpdates(
    params: Record<string, unknown>,
    res: ServerResponse,
    send: (status: number, body: unknown) => void,
  ): void {
    if (this.webhook.settings)
      return send(409, {
        ok: false,
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
    if (this.waiting) {
      clearTimeout(this.waiting.timer);
      this.waiting.send(409, {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      });
      this.waiting = null;
    }
    const offset = Number(params.offset ?? 0);
    // Confirmed updates are forgotten (in place: the webhook sender shares the queue).
    const unconfirmed = this.updates.filter((u) => (u.update_id as number) >= offset);
    this.updates.splice(0, this.updates.length, ...unconfirmed);
    const ready = () => this.updates.filter((u) => (u.update_id as number) >= offset).slice(0, 100);
    if (ready().length) return send(200, { ok: true, result: ready() });
    const wait = Math.min(this.longPollMs, Number(params.timeout ?? 0) * 1000);
    const waiting: Waiting = {
      res,
      offset,
      send,
      timer: setTimeout(() => {
        if (this.waiting === waiting) this.waiting = null;
        send(200, { ok: true, result: ready() });
      }, wait),
    };
    this.waiting = waiting;
    res.once('close', () => {
      if (this.waiting === waiting) {
        clearTimeout(waiting.timer);
        this.waiting = null;
      }
    });
  }

  private wakePoller(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    const ready = this.updates.filter((u) => (u.update_id as number) >= waiting.offset);
    if (!ready.length) return;
    clearTimeout(waiting.timer);
    this.waiting = null;
    waiting.send(200, { ok: true, result: ready.slice(0, 100) });
  }

  sent(method = 'sendMessage'): BotApiCall[] {
    return this.calls.filter((c) => c.method === method && (c.status === undefined || c.status === 200));
  }

  /** Calls the emulator refused (status other than 200). */
  refused(method?: string): BotApiCall[] {
    return this.calls.filter(
      (c) => c.status !== undefined && c.status !== 200 && (!method || c.method === method),
    );
  }

  async waitFor(
    method: string,
    predicate: (call: BotApiCall) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<BotApiCall> {
    const started = Date.now();
    for (;;) {
      const found = this.calls.find((c) => c.method === method && c.status === 200 && predicate(c));
      if (found) return found;
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${method}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  // ---------------------------------------------------------------- updates

  user(id: number) {
    return { id, is_bot: false, first_name: `User${id}`, username: `user${id}` };
  }

  message(
    text: string,
    fromId: number,
    chat: { id: number; type: 'private' | 'group' | 'supergroup' | 'channel' },
    extra: Record<string, unknown> = {},
  ) {
    const entities = [];
    const command = /^\/\w+(@\w+)?/.exec(text);
    if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
    const mention = text.indexOf(`@${this.botUser.username}`);
    if (mention >= 0 && !command)
      entities.push({ type: 'mention', offset: mention, length: this.botUser.username.length + 1 });
    // Writing to the bot in private is how a user starts it: from then on the bot may write to them.
    if (chat.type === 'private') this.started.add(fromId);
    return {
      update_id: this.nextUpdateId++,
      message: {
        message_id: this.nextMessageId++,
        from: this.user(fromId),
        chat:
          chat.type === 'private'
            ? { id: chat.id, type: 'private', first_name: `User${fromId}` }
            : { id: chat.id, type: chat.type, title: 'Pactus group' },
        date: Math.floor(Date.now() / 1000),
        text,
        ...(entities.length && { entities }),
        ...extra,
      },
    };
  }

  /**
   * Queues an update for getUpdates (long polling) or the webhook; returns it. Refuses what Telegram never delivers:
   * a text longer than 4,096 characters or a caption longer than 1,024 (core.telegram.org/bots/api#message: "the
   * actual UTF-8 text of the message, 0-4096 characters"; "caption ... 0-1024 characters"), counted after entities
   * as Telegram counts, in UTF-16 code units.
   */
  queue(update: Record<string, unknown>): Record<string, unknown> {
    const message = update.message as { text?: string; caption?: string } | undefined;
    if ((message?.text?.length ?? 0) > MAX_TEXT)
      throw new Error(`Telegram never delivers a message text over ${MAX_TEXT} characters`);
    if ((message?.caption?.length ?? 0) > MAX_CAPTION)
      throw new Error(`Telegram never delivers a caption over ${MAX_CAPTION} characters`);
    this.updates.push(update);
    this.wakePoller();
    this.webhook.pump();
    return update;
  }

  /**
   * A file sent to the bot in a private chat (#document), with an optional caption. `sizeKnown: false` leaves out
   * file_size, which #document marks Optional ("File size in bytes"): a bot cannot count on it.
   */
  document(
    name: string,
    bytes: Uint8Array,
    userId: number,
    caption?: string,
    options: { sizeKnown?: boolean } = {},
  ): Record<string, unknown> {
    const fileId = `doc${this.documents.size + 1}`;
    this.documents.set(fileId, bytes);
    const update = this.message('', userId, { id: userId, type: 'private' });
    const message = update.message as Record<string, unknown>;
    delete message.text;
    delete message.entities;
    message.document = {
      file_id: fileId,
      file_unique_id: `u${fileId}`,
      file_name: name,
      ...(options.sizeKnown !== false && { file_size: bytes.length }),
    };
    if (caption) message.caption = caption;
    return this.queue(update);
  }

  dm(text: string, userId: number): Record<string, unknown> {
    return this.queue(this.message(text, userId, { id: userId, type: 'private' }));
  }

  group(
    text: string,
    userId: number,
    groupId = -1001234,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return this.queue(this.message(text, userId, { id: groupId, type: 'supergroup' }, extra));
  }

  /** A button press; `chatId` is where the message with the button is (a DM, a group or a channel). */
  callback(data: string, userId: number, chatId = userId, chatType?: 'channel'): Record<string, unknown> {
    const id = String(this.nextUpdateId * 7);
    this.queries.set(id, { answered: false });
    return this.queue({
      update_id: this.nextUpdateId++,
      callback_query: {
        id,
        from: this.user(userId),
        chat_instance: 'ci',
        data,
        message: {
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: chatType ?? (chatId > 0 ? 'private' : 'supergroup') },
          text: 'x',
          from: this.botUser,
        },
      },
    });
  }
}

/** #inlinekeyboardbutton: Telegram opens http(s) and tg:// links on public hosts only. */
function isPublicUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol === 'tg:') return true;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    if (isIP(host) === 6) return !/^(::1?|f[cd]|fe80)/i.test(host);
    const [a, b] = host.split('.').map(Number) as [number, number];
    return !(
      a === 127 ||
      a === 10 ||
      a === 0 ||
      (a === 192 && b === 168) ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 169 && b === 254)
    );
  }
  return host.includes('.') && !host.endsWith('.localhost') && host !== 'localhost';
}

/** Resolves when a response can take more, or is gone; leaves no listener behind. */
export function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
