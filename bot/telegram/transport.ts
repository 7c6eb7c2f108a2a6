// How updates reach the bot: long polling that never goes silent, or a webhook that only Telegram can call.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Logger } from 'pino';
import { TelegramError, type Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';

/**
 * Takes an update in: stores it (resolving once it is safe to tell Telegram it arrived) and starts answering it.
 * A rejection means it could not be stored, so Telegram should send it again.
 */
export type Receive = (update: Update) => Promise<void>;

export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Long polling with getUpdates. A 409 Conflict (another process polls with the same token, e.g. during a rolling
 * deploy, or a webhook is set) stops telegraf's own poller for good; this loop logs it loudly and keeps trying with
 * backoff, so the bot answers again as soon as it is the only poller.
 */
export class Poller {
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  conflicts = 0;

  constructor(
    private readonly bot: Telegraf,
    private readonly receive: Receive,
    private readonly logger: Logger,
    private readonly options: { timeoutSeconds?: number; maxBackoffMs?: number } = {},
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let offset = 0;
    let backoff = 0;
    while (!this.abort.signal.aborted) {
      try {
        const updates = (await this.bot.telegram.callApi(
          'getUpdates',
          { offset, timeout: this.options.timeoutSeconds ?? 30, allowed_updates: [...ALLOWED_UPDATES] },
          // telegraf types its option with the abort-controller polyfill; Node's AbortSignal is what it uses.
          {
            signal: this.abort.signal as unknown as NonNullable<
              Parameters<Telegraf['telegram']['callApi']>[2]
            >['signal'],
          },
        )) as Update[];
        if (backoff > 0) this.logger.info('telegram polling resumed');
        backoff = 0;
        // The offset moves past an update only once it is stored: getUpdates confirms everything before the
        // offset, and Telegram forgets it.
        for (const update of updates) {
          await this.receive(update);
          offset = update.update_id + 1;
        }
      } catch (error) {
        if (this.abort.signal.aborted) break;
        backoff = Math.min(backoff ? backoff * 2 : 500, this.options.maxBackoffMs ?? 30_000);
        if (error instanceof TelegramError && error.code === 409) {
          this.conflicts++;
          this.logger.error(
            { description: error.description, retryInMs: backoff },
            'telegram polling conflict (409): another process is polling with this token, or a webhook is set; retrying',
          );
        } else
          this.logger.warn(
            { err: error instanceof Error ? error.message : String(error), retryInMs: backoff },
            'telegram polling failed; retrying',
          );
        await sleep(backoff, this.abort.signal);
      }
    }
  }
}

/**
 * The webhook secret: TELEGRAM_WEBHOOK_SECRET, or one derived from the bot token, so that every worker behind a
 * load balancer agrees on it without configuration and nobody without the token can guess it (setWebhook allows
 * 1-256 of A-Z a-z 0-9 _ -).
 */
export function webhookSecret(token: string, configured: string | undefined): string {
  return (
    configured ?? createHmac('sha256', token).update('pactus-bot telegram webhook secret').digest('base64url')
  );
}

function secretMatches(req: IncomingMessage, secret: string): boolean {
  const sent = req.headers['x-telegram-bot-api-secret-token'];
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The webhook receiver: only POSTs to the webhook path carrying Telegram's secret header are taken (401
 * otherwise, so a forged update can never claim to come from any user). The update is acknowledged once it is
 * stored and answered after, so a slow answer never makes Telegram retry it; one that cannot be stored gets a
 * 500, and Telegram sends it again (to this worker or another behind the load balancer).
 */
export async function startWebhookServer(
  receive: Receive,
  logger: Logger,
  options: { path: string; secret: string; port: number; host: string },
): Promise<Server> {
  let storeFailing = false;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'POST' || url.pathname !== options.path) {
      res.writeHead(404).end();
      return;
    }
    if (!secretMatches(req, options.secret)) {
      logger.warn({ path: url.pathname }, 'webhook request without the right secret refused');
      res.writeHead(401).end();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (c: Buffer) => {
      received += c.length;
      if (received > MAX_UPDATE_BYTES) {
        // Nothing Telegram sends is this large: stop reading (and keeping) it at once.
        if (!res.headersSent) res.writeHead(413, { connection: 'close' }).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (received > MAX_UPDATE_BYTES) return;
      const raw = Buffer.concat(chunks).toString('utf8');
      let update: Update;
      try {
        // Nesting no update has is refused before it is parsed, stored (JSON.stringify recurses) or logged.
        if (nestingDeeperThan(raw, MAX_UPDATE_DEPTH)) throw new SyntaxError('nested too deep');
        update = JSON.parse(raw) as Update;
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (!isUpdateShape(update)) {
        res.writeHead(400).end();
        return;
      }
      receive(update).then(
        () => {
          if (storeFailing) logger.warn('telegram updates are stored again');
          storeFailing = false;
          res.writeHead(200).end();
        },
        (error: unknown) => {
          // Once per outage: Telegram sends each update again and again while the database is away.
          if (!storeFailing)
            logger.warn(
              { err: error, update: update.update_id },
              'could not store a telegram update: answering 500 so that Telegram sends it again',
            );
          storeFailing = true;
          res.writeHead(500).end();
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}

/**
 * The largest webhook body taken. An update is one message (4,096 characters of text or 1,024 of caption, their
 * entities, and the message it replies to or quotes, core.telegram.org/bots/api#message) or one callback query:
 * tens of kilobytes at most, written as JSON with every non-ASCII character escaped six bytes to one.
 */
export const MAX_UPDATE_BYTES = 1024 * 1024;
/** Objects and arrays within one another in an update: a few levels (message > reply_to_message > entities > user). */
export const MAX_UPDATE_DEPTH = 32;

/** Whether the JSON text nests objects and arrays more than `limit` deep (brackets inside strings do not count). */
export function nestingDeeperThan(json: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/**
 * An update the inbox can store and order: a numeric update_id, and for the kinds asked for (ALLOWED_UPDATES) the
 * chat or sender they are ordered by. Anything else is refused with a 400, not answered with a 500 that has
 * Telegram send it again and again.
 */
function isUpdateShape(update: unknown): update is Update {
  if (!update || typeof update !== 'object') return false;
  const u = update as Record<string, unknown>;
  if (typeof u.update_id !== 'number' || !Number.isSafeInteger(u.update_id)) return false;
  const id = (v: unknown, key: string) =>
    !!v &&
    typeof v === 'object' &&
    typeof (v as Record<string, unknown>)[key] === 'object' &&
    typeof (v as Record<string, Record<string, unknown>>)[key]!.id === 'number';
  if ('message' in u && !id(u.message, 'chat')) return false;
  if ('callback_query' in u && !id(u.callback_query, 'from')) return false;
  return true;
}

/** Bot API answers that no retry can fix (core.telegram.org/bots/api: 403 Forbidden, a chat or message gone). */
export function isPermanent(error: unknown): boolean {
  if (!(error instanceof TelegramError)) return false;
  if (error.code === 403) return true;
  return (
    error.code === 400 &&
    /chat not found|message to edit not found|PEER_ID_INVALID|user is deactivated/i.test(error.description)
  );
}

export const notModified = (error: unknown) =>
  error instanceof TelegramError && error.code === 400 && /message is not modified/.test(error.description);

/** The seconds a 429 asks to wait (#responseparameters: "the number of seconds left to wait"), if it is one. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof TelegramError && error.code === 429 ? error.parameters?.retry_after : undefined;
}

/**
 * A failure after which the Bot API certainly did not act: Telegram's own 5xx (its front answers "502 Bad Gateway"
 * while the Bot API is down or restarting; telegraf turns any status >= 500 into a TelegramError without reading the
 * body) or a connection that never opened. A connection cut after the request went out is not one of these: the
 * message may have been sent, and sending it again could show it twice.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof TelegramError) return error.code >= 500;
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH)$/.test(code)
  );
}

/** How long a call keeps trying through a Bot API outage (5xx, no connection) before it gives up. */
export const OUTAGE_PATIENCE_MS = 60_000;

/**
 * A Bot API call that waits out 429's retry_after (a few times) and, for up to `patienceMs`, an outage of the Bot
 * API (isTransient: retried with backoff from 250 ms to 8 s, logged once); anything else is rethrown at once. An
 * answer in a chat keeps that chat's turn meanwhile, so a later update of the chat is not answered before it.
 */
export async function waitingOutRateLimits<T>(
  fn: () => Promise<T>,
  logger: Logger,
  attempts = 4,
  patienceMs = OUTAGE_PATIENCE_MS,
): Promise<T> {
  const started = Date.now();
  let backoff = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await fn();
      if (backoff) logger.info({ waitedMs: Date.now() - started }, 'the Telegram Bot API answers again');
      return result;
    } catch (error) {
      if (isTransient(error)) {
        if (Date.now() - started + backoff > patienceMs) throw error;
        if (!backoff)
          logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'the Telegram Bot API is not answering; trying again',
          );
        backoff = Math.min(backoff ? backoff * 2 : 250, 8_000);
        await sleep(backoff);
        attempt--;
        continue;
      }
      const retryAfter = error instanceof TelegramError ? error.parameters?.retry_after : undefined;
      if (
        !(error instanceof TelegramError) ||
        error.code !== 429 ||
        retryAfter === undefined ||
        attempt >= attempts
      )
        throw error;
      logger.warn({ retryAfter, attempt }, 'rate limited by Telegram; waiting');
      await sleep(retryAfter * 1000);
    }
  }
}
