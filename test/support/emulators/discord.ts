// A local Discord: the REST API and the gateway WebSocket on 127.0.0.1, enough of both for the real discord.js
// Client to log in, receive events (interactions, messages) and answer them. Tests dispatch events and read
// the REST calls the bot made.
//
// It is strict: messages over Discord's documented limits, interactions acknowledged late or twice, and DMs to
// people who closed them are refused with Discord's own error codes (see `validateMessage` for the citations).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import { DiscordGateway } from './discord-gateway.js';
import { guildPayload, validateMessage, type DiscordError } from './discord-objects.js';

export interface RecordedCall {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  at: number;
  /** The HTTP status the emulator answered with. */
  status?: number;
  /** Discord's JSON error code when the call was refused. */
  code?: number;
}

interface Failure {
  method: string;
  pattern: RegExp;
  status: number;
  retryAfter: number;
  remaining: number;
}

let snowflakeCounter = 0n;
export function snowflake(): string {
  snowflakeCounter += 1n;
  return ((BigInt(Date.now() - 1420070400000) << 22n) | snowflakeCounter).toString();
}

/** A guild id whose shard, of two, differs from `guildId`'s ((id >> 22) % 2). */
function guildSnowflakeOnOtherShard(guildId: string): string {
  const id = BigInt(snowflake());
  return ((id >> 22n) % 2n !== (BigInt(guildId) >> 22n) % 2n ? id : id + (1n << 22n)).toString();
}

export interface DiscordUser {
  id: string;
  username: string;
  bot?: boolean;
}

export class DiscordEmulator {
  readonly botUser: DiscordUser = { id: snowflake(), username: 'pactus-bot', bot: true };
  readonly applicationId = snowflake();
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  readonly calls: RecordedCall[] = [];
  readonly commands = new Map<string, unknown[]>();
  private server: Server | null = null;
  /** A second server the bot is in, whose events go to another shard than the first's when there are two. */
  readonly otherGuildId = guildSnowflakeOnOtherShard(this.guildId);
  readonly otherChannelId = snowflake();
  private wss: WebSocketServer | null = null;
  readonly gateway = new DiscordGateway({
    ready: () => ({
      user: { ...this.botUser, discriminator: '0', avatar: null, global_name: null },
      application: { id: this.applicationId, flags: 0 },
    }),
    guilds: () => [
      { id: this.guildId, payload: guildPayload(this.guildId, this.channelId, snowflake()) },
      { id: this.otherGuildId, payload: guildPayload(this.otherGuildId, this.otherChannelId, snowflake()) },
    ],
    port: () => this.port,
  });
  /** GET /gateway/bot's recommended shard count. */
  recommendedShards = 1;
  private failures: Failure[] = [];
  /**
   * Rate limits in force (topics/rate-limits#exceeding-a-rate-limit): until `until`, calls matching answer 429 with
   * the time left as retry_after, so a client that retries before it is refused again, as by Discord.
   */
  private limits: { method: string; pattern: RegExp; until: number }[] = [];
  private dmChannels = new Map<string, string>();
  private readonly attachments = new Map<string, Uint8Array>();
  /** Attachment URLs the bot fetched from the CDN. */
  readonly downloads: string[] = [];
  /** Users whose DMs are closed to the bot: a message to them is refused with 50007. */
  readonly closedDms = new Set<string>();
  /** Dispatched interactions: Discord wants the first response within 3 s, and only one. */
  private readonly interactions = new Map<string, { at: number; acknowledged: boolean; token: string }>();
  /** How long an interaction may wait for its first response (interactions/receiving-and-responding). */
  ackDeadlineMs = 3000;
  /**
   * The bot token Discord knows; null accepts any bot token, but a call must still carry one. A REST call with another `Authorization: Bot <token>` gets
   * Discord's 401 (reference#authentication: `{"message": "401: Unauthorized", "code": 0}`). Interaction callbacks
   * and webhook routes are authorised by their own token in the path and carry no header.
   */
  botToken: string | null = null;
  port = 0;

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      this.wss!.handleUpgrade(req, socket, head, (ws) => this.gateway.onSocket(ws));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const client of this.wss?.clients ?? []) client.terminate();
    this.wss?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  // ---------------------------------------------------------------- REST

  /** The next `count` calls matching make the emulator answer `status` (429 carries retry_after seconds). */
  failNext(method: string, pattern: RegExp, status = 429, retryAfter = 0.2, count = 1): void {
    this.failures.push({ method, pattern, status, retryAfter, remaining: count });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> | null = null;
    if (raw) {
      const type = req.headers['content-type'] ?? '';
      if (type.includes('multipart/form-data')) {
        const match = /name="payload_json"\r\n(?:Content-Type: [^\r]+\r\n)?\r\n([\s\S]*?)\r\n--/.exec(raw);
        body = match ? (JSON.parse(match[1]!) as Record<string, unknown>) : null;
      } else body = JSON.parse(raw) as Record<string, unknown>;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    // The CDN: attachment URLs (cdn.discordapp.com/attachments/<channel>/<id>/<name> in production).
    if (url.pathname.startsWith('/cdn/attachments/')) {
      const file = this.attachments.get(url.pathname);
      this.downloads.push(url.pathname);
      res.writeHead(file ? 200 : 404).end(file);
      return;
    }
    const path = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, '');
    const method = req.method ?? 'GET';
    const auth = req.headers.authorization;
    const ownToken = /^\/(interactions|webhooks)\//.test(path);
    if (!ownToken && (this.botToken === null ? !auth?.startsWith('Bot ') : auth !== `Bot ${this.botToken}`)) {
      this.calls.push({ method, path, body, at: Date.now(), status: 401 });
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: '401: Unauthorized', code: 0 }));
      return;
    }
    const now = Date.now();
    this.limits = this.limits.filter((l) => l.until > now);
    const limit = this.limits.find((l) => l.method === method && l.pattern.test(path));
    let failure = this.failures.find((f) => f.method === method && f.pattern.test(path) && f.remaining > 0);
    if (limit) failure = { method, pattern: limit.pattern, status: 429, retryAfter: 0, remaining: 1 };
    if (failure) {
      failure.remaining--;
      if (limit) failure.retryAfter = Math.max(0.001, (limit.until - now) / 1000);
      else if (failure.status === 429 && failure.retryAfter > 0)
        this.limits.push({ method, pattern: failure.pattern, until: now + failure.retryAfter * 1000 });
      this.calls.push({ method, path, body, at: now, status: failure.status });
      res.writeHead(failure.status, {
        'content-type': 'application/json',
        'retry-after': String(failure.retryAfter),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(failure.retryAfter),
        'x-ratelimit-bucket': 'emulated',
        'x-ratelimit-scope': 'user',
      });
      res.end(
        JSON.stringify({
          message: 'You are being rate limited.',
          retry_after: failure.retryAfter,
          global: false,
        }),
      );
      return;
    }
    const call: RecordedCall = { method, path, body, at: Date.now() };
    this.calls.push(call);
    const reply = (status: number, data: unknown) => {
      call.status = status;
      res.writeHead(status, data === null ? {} : { 'content-type': 'application/json' });
      res.end(data === null ? '' : JSON.stringify(data));
    };
    const refuse = (error: DiscordError) => {
      call.code = error.code;
      return reply(error.status, {
        message: error.message,
        code: error.code,
        ...(error.errors ? { errors: error.errors } : {}),
      });
    };
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot')
      return reply(200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: this.recommendedShards,
        // events/gateway#session-start-limit-object: every identify spends one of the day's starts.
        session_start_limit: {
          total: 1000,
          remaining: Math.max(0, 1000 - this.gateway.identifies),
          reset_after: 0,
          max_concurrency: this.gateway.maxConcurrency,
        },
      });
    if (method === 'GET' && path === '/users/@me')
      return reply(200, { ...this.botUser, discriminator: '0', avatar: null });
    if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path)) && method === 'PUT') {
      const list = (body as unknown as Record<string, unknown>[]).map((c) => ({
        ...c,
        id: snowflake(),
        application_id: m![1],
        version: snowflake(),
      }));
      this.commands.set(m[2] ?? 'global', list);
      return reply(200, list);
    }
    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      // interactions/receiving-and-responding: the first response within 3 s, exactly once.
      const known = this.interactions.get(m[1]!);
      if (!known || known.token !== m[2] || Date.now() - known.at > this.ackDeadlineMs)
        return refuse({ status: 404, code: 10062, message: 'Unknown interaction' });
      if (known.acknowledged)
        return refuse({ status: 400, code: 40060, message: 'Interaction has already been acknowledged.' });
      const data = (body?.data as Record<string, unknown> | undefined) ?? null;
      if ((body?.type === 4 || body?.type === 7) && data) {
        const invalid = validateMessage(data);
        if (invalid) return refuse(invalid);
      }
      known.acknowledged = true;
      if (url.searchParams.get('with_response') !== 'true') return reply(204, null);
      return reply(200, {
        interaction: { id: m[1], type: 2, response_message_loading: true, response_message_ephemeral: true },
      });
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/.exec(path))) {
      if (!this.acknowledged(m[2]!)) return refuse({ status: 404, code: 10015, message: 'Unknown Webhook' });
      if (method === 'DELETE') return reply(204, null);
      const invalid = validateMessage(body, true);
      if (invalid) return refuse(invalid);
      return reply(200, this.message(this.channelId, body));
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && method === 'POST') {
      if (!this.acknowledged(m[2]!)) return refuse({ status: 404, code: 10015, message: 'Unknown Webhook' });
      const invalid = validateMessage(body);
      if (invalid) return refuse(invalid);
      return reply(200, this.message(this.channelId, body));
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const recipient = String(body!.recipient_id);
      const id = this.dmChannels.get(recipient) ?? snowflake();
      this.dmChannels.set(recipient, id);
      return reply(200, {
        id,
        type: 1,
        recipients: [{ id: recipient, username: `user-${recipient}`, discriminator: '0', avatar: null }],
      });
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      // resources/user#create-dm works, but a message to someone with closed DMs fails with 50007.
      const owner = [...this.dmChannels.entries()].find(([, channel]) => channel === m![1])?.[0];
      if (owner && this.closedDms.has(owner))
        return refuse({ status: 403, code: 50007, message: 'Cannot send messages to this user' });
      const invalid = validateMessage(body);
      if (invalid) return refuse(invalid);
      return reply(200, this.message(m[1]!, body));
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && method === 'PATCH') {
      const invalid = validateMessage(body, true);
      if (invalid) return refuse(invalid);
      return reply(200, { ...this.message(m[1]!, body), id: m[2] });
    }
    if ((m = /^\/channels\/(\d+)$/.exec(path)) && method === 'GET')
      return reply(200, {
        id: m[1],
        type: [...this.dmChannels.values()].includes(m[1]!) ? 1 : 0,
        guild_id: this.guildId,
        name: 'general',
      });
    return reply(404, { message: `emulator: no route for ${method} ${path}`, code: 0 });
  }

  message(
    channelId: string,
    body: Record<string, unknown> | null,
    author: DiscordUser = this.botUser,
  ): Record<string, unknown> {
    return {
      id: snowflake(),
      channel_id: channelId,
      author: { ...author, discriminator: '0', avatar: null },
      content: (body?.content as string) ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: (body?.embeds as unknown[]) ?? [],
      components: (body?.components as unknown[]) ?? [],
      pinned: false,
      type: 0,
      flags: (body?.flags as number) ?? 0,
    };
  }

  private acknowledged(token: string): boolean {
    return [...this.interactions.values()].some((i) => i.token === token && i.acknowledged);
  }

  /** REST calls matching a method and path pattern. */
  callsTo(method: string, pattern: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && pattern.test(c.path));
  }

  /** Calls the emulator refused, with Discord's error code. */
  refused(): RecordedCall[] {
    return this.calls.filter((c) => c.status !== undefined && c.status >= 400 && c.status !== 429);
  }

  async waitForCall(method: string, pattern: RegExp, count = 1, timeoutMs = 10_000): Promise<RecordedCall[]> {
    const started = Date.now();
    while (this.callsTo(method, pattern).length < count) {
      if (Date.now() - started > timeoutMs)
        throw new Error(
          `timed out waiting for ${method} ${pattern} (${this.callsTo(method, pattern).length}/${count})`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.callsTo(method, pattern);
  }

  // ---------------------------------------------------------------- gateway

  get identifies(): number {
    return this.gateway.identifies;
  }

  get resumes(): number {
    return this.gateway.resumes;
  }

  /** Sends a dispatch event to its shard; if the connection is down it is kept and replayed on resume. */
  dispatch(t: string, d: unknown): void {
    if (t === 'INTERACTION_CREATE') {
      const i = d as { id: string; token: string };
      this.interactions.set(i.id, { at: Date.now(), acknowledged: false, token: i.token });
    }
    this.gateway.dispatch(t, d);
  }

  /** Drops the gateway connections abruptly, as a network failure would; discord.js should resume. */
  dropConnection(): void {
    this.gateway.dropConnections();
  }

  waitForReady(): Promise<void> {
    return this.gateway.waitForReady();
  }

  // ---------------------------------------------------------------- event builders

  user(id: string): Record<string, unknown> {
    return { id, username: `user-${id}`, discriminator: '0', avatar: null, global_name: null, bot: false };
  }

  private interactionBase(userId: string, inGuild: boolean, channelId?: string): Record<string, unknown> {
    const channel = channelId ?? (inGuild ? this.channelId : this.dmChannelFor(userId));
    const guildId = channel === this.otherChannelId ? this.otherGuildId : this.guildId;
    return {
      id: snowflake(),
      application_id: this.applicationId,
      token: `itok-${randomUUID()}`,
      version: 1,
      locale: 'en-US',
      app_permissions: '0',
      entitlements: [],
      authorizing_integration_owners: {},
      channel_id: channel,
      channel: { id: channel, type: inGuild ? 0 : 1 },
      ...(inGuild
        ? {
            guild_id: guildId,
            guild_locale: 'en-US',
            member: {
              user: this.user(userId),
              roles: [],
              permissions: '0',
              joined_at: new Date().toISOString(),
              deaf: false,
              mute: false,
              flags: 0,
            },
            context: 0,
          }
        : { user: this.user(userId), context: 1 }),
    };
  }

  /** An attachment object (resources/message#attachment-object), its bytes served at its CDN URL. */
  private attachment(channelId: string, file: { name: string; bytes: Uint8Array }): Record<string, unknown> {
    const id = snowflake();
    const path = `/cdn/attachments/${channelId}/${id}/${file.name}`;
    this.attachments.set(path, file.bytes);
    const url = `http://127.0.0.1:${this.port}${path}`;
    return {
      id,
      filename: file.name,
      size: file.bytes.length,
      url,
      proxy_url: url,
      content_type: 'application/wasm',
    };
  }

  dmChannelFor(userId: string): string {
    const id = this.dmChannels.get(userId) ?? snowflake();
    this.dmChannels.set(userId, id);
    return id;
  }

  /** Dispatches a slash command; returns the interaction (its id and token identify the bot's REST answers). */
  slashCommand(
    name: string,
    options: Record<string, string>,
    userId: string,
    inGuild = true,
    channelId?: string,
  ): { id: string; token: string } {
    const interaction = {
      ...this.interactionBase(userId, inGuild, channelId),
      type: 2,
      data: {
        id: snowflake(),
        name,
        type: 1,
        options: Object.entries(options).map(([n, value]) => ({ name: n, type: 3, value })),
      },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction as unknown as { id: string; token: string };
  }

  button(customId: string, userId: string, inGuild = true): { id: string; token: string } {
    const base = this.interactionBase(userId, inGuild);
    const interaction = {
      ...base,
      type: 3,
      data: { custom_id: customId, component_type: 2 },
      message: this.message(base.channel_id as string, { content: '' }),
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction as unknown as { id: string; token: string };
  }

  autocomplete(name: string, focused: string, value: string, userId: string): { id: string; token: string } {
    const interaction = {
      ...this.interactionBase(userId, true),
      type: 4,
      data: { id: snowflake(), name, type: 1, options: [{ name: focused, type: 3, value, focused: true }] },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction as unknown as { id: string; token: string };
  }

  modalSubmit(
    customId: string,
    fields: Record<string, string>,
    userId: string,
    inGuild = true,
  ): { id: string; token: string } {
    const interaction = {
      ...this.interactionBase(userId, inGuild),
      type: 5,
      data: {
        custom_id: customId,
        components: Object.entries(fields).map(([id, value]) => ({
          type: 1,
          components: [{ type: 4, custom_id: id, value }],
        })),
      },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction as unknown as { id: string; token: string };
  }

  /** A message from a user: in their DM with the bot, or in the guild channel (optionally @mentioning the bot). */
  userMessage(
    content: string,
    userId: string,
    where: 'dm' | 'guild',
    file?: { name: string; bytes: Uint8Array },
  ): { id: string; channelId: string } {
    const channelId = where === 'dm' ? this.dmChannelFor(userId) : this.channelId;
    const mentions = content.includes(`<@${this.botUser.id}>`)
      ? [{ ...this.botUser, discriminator: '0', avatar: null }]
      : [];
    const message: Record<string, unknown> = {
      ...this.message(channelId, { content }, { id: userId, username: `user-${userId}` }),
      mentions,
      channel_type: where === 'dm' ? 1 : 0,
      ...(file && { attachments: [this.attachment(channelId, file)] }),
      ...(where === 'guild' && {
        guild_id: this.guildId,
        member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
      }),
    };
    this.dispatch('MESSAGE_CREATE', message);
    return { id: message.id as string, channelId };
  }
}
