// A local Telegram Bot API over HTTP on 127.0.0.1: the real telegraf client points its apiRoot here. Tests queue
// updates for getUpdates (or POST them to the bot's webhook) and read the API calls the bot made.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface BotApiCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
}

export class TelegramEmulator {
  readonly token = '123456:TEST-TOKEN';
  readonly botUser = { id: 7_000_001, is_bot: true, first_name: 'Pactus', username: 'pactus_test_bot' };
  readonly calls: BotApiCall[] = [];
  private server: Server | null = null;
  private updates: Record<string, unknown>[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private failures: { method: string; retryAfter: number; remaining: number }[] = [];
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
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  /** The next `count` calls of `method` answer 429 with retry_after. */
  failNext(method: string, retryAfter = 1, count = 1): void {
    this.failures.push({ method, retryAfter, remaining: count });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!match || match[1] !== this.token)
      return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2]!;
    let params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (raw) params = { ...params, ...(JSON.parse(raw) as Record<string, unknown>) };
    const failure = this.failures.find((f) => f.method === method && f.remaining > 0);
    if (failure) {
      failure.remaining--;
      this.calls.push({ method: `${method}:429`, params, at: Date.now() });
      return send(429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${failure.retryAfter}`,
        parameters: { retry_after: failure.retryAfter },
      });
    }
    if (method !== 'getUpdates') this.calls.push({ method, params, at: Date.now() });
    const ok = (result: unknown) => send(200, { ok: true, result });
    switch (method) {
      case 'getMe':
        return ok({
          ...this.botUser,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        });
      case 'getUpdates': {
        const offset = Number(params.offset ?? 0);
        this.updates = this.updates.filter((u) => (u.update_id as number) >= offset);
        if (this.updates.length === 0) await new Promise((r) => setTimeout(r, 100));
        return ok(this.updates.filter((u) => (u.update_id as number) >= offset).slice(0, 100));
      }
      case 'setMyCommands':
      case 'deleteWebhook':
      case 'setWebhook':
      case 'answerCallbackQuery':
      case 'deleteMessage':
        return ok(true);
      case 'sendMessage':
      case 'editMessageText':
        return ok({
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(params.chat_id), type: Number(params.chat_id) > 0 ? 'private' : 'supergroup' },
          text: params.text,
          from: this.botUser,
        });
      default:
        return send(404, { ok: false, error_code: 404, description: `emulator: no method ${method}` });
    }
  }

  sent(method = 'sendMessage'): BotApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async waitFor(
    method: string,
    predicate: (call: BotApiCall) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<BotApiCall> {
    const started = Date.now();
    for (;;) {
      const found = this.calls.find((c) => c.method === method && predicate(c));
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
    chat: { id: number; type: 'private' | 'group' | 'supergroup' },
    extra: Record<string, unknown> = {},
  ) {
    const entities = [];
    const command = /^\/\w+(@\w+)?/.exec(text);
    if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
    const mention = text.indexOf(`@${this.botUser.username}`);
    if (mention >= 0 && !command)
      entities.push({ type: 'mention', offset: mention, length: this.botUser.username.length + 1 });
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

  /** Queues an update for getUpdates (long polling); returns it for webhook tests. */
  queue(update: Record<string, unknown>): Record<string, unknown> {
    this.updates.push(update);
    return update;
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

  callback(data: string, userId: number, chatId = userId): Record<string, unknown> {
    return this.queue({
      update_id: this.nextUpdateId++,
      callback_query: {
        id: String(this.nextUpdateId * 7),
        from: this.user(userId),
        chat_instance: 'ci',
        data,
        message: {
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: chatId > 0 ? 'private' : 'supergroup' },
          text: 'x',
          from: this.botUser,
        },
      },
    });
  }
}
