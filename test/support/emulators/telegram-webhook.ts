// How the Telegram emulator posts updates to a bot's webhook, as core.telegram.org/bots/api#setwebhook describes:
// an HTTPS URL on port 443, 80, 88 or 8443; the secret in X-Telegram-Bot-Api-Secret-Token; up to max_connections
// (1-100, default 40) requests at once; an update that does not get a 2xx answer is sent again (Telegram keeps
// it for 24 hours); getWebhookInfo reports the URL, what is pending and the last error.

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

/** Posts queued updates to the webhook, at most `maxConnections` at once, until each gets a 2xx. */
export class WebhookSender {
  settings: WebhookSettings | null = null;
  readonly posts: WebhookPost[] = [];
  lastError: { date: number; message: string } | null = null;
  private inFlight = 0;
  private retrying = 0;

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
    while (this.settings && this.inFlight < this.settings.maxConnections && this.queue.length) {
      const update = this.queue.shift()!;
      this.inFlight++;
      void this.post(this.settings, update).then((ok) => {
        this.inFlight--;
        if (ok) return this.pump();
        this.retrying++;
        setTimeout(() => {
          this.retrying--;
          this.queue.unshift(update);
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
