// How the Telegram emulator posts updates to a bot's webhook, as core.telegram.org/bots/api#setwebhook describes:
// an HTTPS URL on port 443, 80, 88 or 8443; the secret in X-Telegram-Bot-Api-Secret-Token; up to max_connections
// (1-100, default 40) requests at once; an update that does not get a 2xx answer is sent again (Telegram keeps
// it for 24 hours); getWebhookInfo reports the URL, what is pending and the last error.
//
// Updates of one chat are posted one at a time, in order: the Bot API server (github.com/tdlib/telegram-bot-api)
// files each update in a queue (Client.cpp, add_update's webhook_queue_id: the chat id for messages, the user id
// + (3 << 33) for callback queries) and WebhookActor.cpp's send_update takes only the front update of a queue;
// the next one is queued for sending only when drop_event runs after a 2xx answer (on_update_ok). So with
// max_connections 40 the bot sees up to 40 chats at once, never two updates of one chat in flight.

/** #setwebhook: "Ports currently supported for webhooks: 443, 80, 88, 8443". */
const WEBHOOK_PORTS = new Set(['443', '80', '88', '8443', '']);

export class WebhookError extends Error {}

export interface WebhookSettings {
  url: string;
  secret: string | null;
  maxConnections: number;
}

/** #setwebhook's checks, with the API's own descriptions; null clears the webhook. */
export function parseWebhook(params: Record<string, unknown>): WebhookSettings | null {
  const url = String(params.url ?? '');
  if (url === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookError('bad webhook: Failed to resolve host: Name or service not known');
  }
  if (parsed.protocol !== 'https:')
    throw new WebhookError('bad webhook: An HTTPS URL must be provided for webhook');
  if (!WEBHOOK_PORTS.has(parsed.port))
    throw new WebhookError('bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443');
  const secret = params.secret_token === undefined ? null : String(params.secret_token);
  if (secret !== null && !/^[A-Za-z0-9_-]{1,256}$/.test(secret))
    throw new WebhookError('secret token contains unallowed characters');
  const maxConnections = params.max_connections === undefined ? 40 : Number(params.max_connections);
  if (!Number.isInteger(maxConnections) || maxConnections < 1 || maxConnections > 100)
    throw new WebhookError('bad webhook: max_connections must be between 1 and 100');
  return { url, secret, maxConnections };
}

export interface WebhookPost {
  updateId: number;
  status: number;
  secretSent: boolean;
}

/** The queue an update waits in (see the header): one chat's messages, or one user's button presses. */
export function webhookQueueOf(update: Record<string, unknown>): string {
  const message = update.message as { chat?: { id?: number } } | undefined;
  if (message?.chat?.id !== undefined) return `chat:${message.chat.id}`;
  const query = update.callback_query as { from?: { id?: number } } | undefined;
  if (query?.from?.id !== undefined) return `callbacks:${query.from.id}`;
  return `update:${String(update.update_id)}`;
}

/**
 * Posts queued updates to the webhook, at most `maxConnections` at once and one per queue (chat) at a time, until
 * each gets a 2xx.
 */
export class WebhookSender {
  settings: WebhookSettings | null = null;
  readonly posts: WebhookPost[] = [];
  lastError: { date: number; message: string } | null = null;
  private inFlight = 0;
  private retrying = 0;
  /** Queues with an update posted and not yet answered 2xx (or waiting to be posted again). */
  private readonly busy = new Set<string>();

  constructor(
    private readonly queue: Record<string, unknown>[],
    /** Where the public URL is served locally (a reverse proxy's job in production). */
    private readonly route: () => (publicUrl: string) => string,
  ) {}

  /** Updates queued or on their way, as getWebhookInfo's pending_update_count. */
  get pending(): number {
    return this.queue.length + this.inFlight + this.retrying;
  }

  pump(): void {
    for (let i = 0; this.settings && this.inFlight < this.settings.maxConnections && i < this.queue.length;) {
      const update = this.queue[i]!;
      const queue = webhookQueueOf(update);
      if (this.busy.has(queue)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.busy.add(queue);
      this.inFlight++;
      void this.post(this.settings, update).then((ok) => {
        this.inFlight--;
        if (ok) {
          this.busy.delete(queue);
          return this.pump();
        }
        // It stays at the front of its queue: the chat's next update waits for it (on_update_error).
        this.retrying++;
        setTimeout(() => {
          this.retrying--;
          this.queue.unshift(update);
          this.busy.delete(queue);
          this.pump();
        }, 200);
      });
    }
  }

  private async post(settings: WebhookSettings, update: Record<string, unknown>): Promise<boolean> {
    const status = await fetch(this.route()(settings.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(settings.secret && { 'x-telegram-bot-api-secret-token': settings.secret }),
      },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(60_000),
    }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
      () => 0,
    );
    this.posts.push({ updateId: update.update_id as number, status, secretSent: settings.secret !== null });
    const ok = status >= 200 && status < 300;
    if (!ok)
      this.lastError = {
        date: Math.floor(Date.now() / 1000),
        message: status ? `Wrong response from the webhook: ${status}` : 'Connection refused',
      };
    return ok;
  }

  /** #getwebhookinfo */
  info(): Record<string, unknown> {
    return {
      url: this.settings?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.pending,
      ...(this.settings && { max_connections: this.settings.maxConnections }),
      ...(this.lastError && {
        last_error_date: this.lastError.date,
        last_error_message: this.lastError.message,
      }),
    };
  }
}
