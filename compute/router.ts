import type { Logger } from 'pino';
import { BackgroundPass } from '../db/background-pass.js';
import { PactusError } from '../pactus/errors.js';
import type { Receipt } from './receipt.js';

/** No endpoint of the pool can take a request now; the agent answers with the rules instead. */
export class NoHealthyEndpoint extends PactusError {
  constructor(detail: string) {
    super('no_endpoint', `No inference endpoint is available (${detail}).`);
  }
}

/**
 * Whether an endpoint may serve, decided by the compute layer (registration, approved model, stake). `weight` is
 * its share of the routing: the validator's stake in PAC (1 for every endpoint with compute accounting off).
 */
export type Admission =
  { ok: true; contributor: string; modelHash: string; weight: number } | { ok: false; reason: string };

export interface EndpointState {
  url: string;
  healthy: boolean;
  /** Null until admission was asked; with compute accounting off every healthy endpoint is admitted. */
  admission: Admission | null;
  inFlight: number;
  served: number;
  failures: number;
  lastError: string | null;
}

/** One completion as it was served: what was sent, what came back, and the receipt attached to it. */
export interface Served {
  endpoint: string;
  contributor: string | null;
  requestBody: string;
  response: Record<string, unknown>;
  receipt: Receipt | null;
  /** Sent with greedy decoding and a fixed seed, to be re-run elsewhere and compared. */
  spotCheck: boolean;
}

export interface RouterOptions {
  urls: string[];
  logger: Logger;
  /** Per-request deadline across every attempt. */
  deadlineMs: number;
  healthIntervalMs?: number;
  /** Decides admission per endpoint (compute accounting on); absent: any healthy endpoint serves. */
  admit?: (url: string) => Promise<Admission>;
  /** Told about every completion served (the compute layer checks and stores receipts, runs spot checks). */
  onServed?: (served: Served) => Promise<void>;
  /** Fraction of requests sent greedy and re-run on another contributor. */
  spotCheckRate?: number;
  random?: () => number;
}

/** Greedy decoding and a fixed seed: the same model on two honest nodes gives the same answer. */
export const SPOT_CHECK_SAMPLING = { temperature: 0, top_p: 1, seed: 44 } as const;
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * Weighted least-load: the endpoint with the fewest requests in flight per unit of weight goes first, and a tie
 * (an idle pool above all) is drawn at random in proportion to weight. Weight is stake, so one stake split into
 * many identities gets the same share of the work as it would as one: taking turns between tied endpoints would
 * hand every extra identity an extra turn (compute:simulate measured it). The rest follow in the same way, for
 * failover.
 */
export function routeOrder<T extends { inFlight: number; weight: number }>(
  candidates: T[],
  random: () => number,
): T[] {
  const left = candidates.filter((c) => c.weight > 0);
  const order: T[] = [];
  while (left.length) {
    const load = (c: T) => c.inFlight / c.weight;
    const least = Math.min(...left.map(load));
    const tied = left.filter((c) => load(c) <= least * (1 + 1e-9));
    let draw = random() * tied.reduce((a, c) => a + c.weight, 0);
    const pick = tied.find((c) => (draw -= c.weight) < 0) ?? tied[tied.length - 1]!;
    order.push(pick);
    left.splice(left.indexOf(pick), 1);
  }
  return order;
}

const base = (url: string) => url.replace(/\/+$/, '').replace(/\/v1$/, '');

/**
 * The inference pool: health checks, least-loaded choice, failover within a per-request deadline. It is handed to
 * ChatOpenAI as its `fetch`, so LangChain talks to "one server" and the pool decides which one answers.
 */
export class InferenceRouter {
  readonly endpoints: EndpointState[];
  private health: BackgroundPass | null = null;
  private announcedOutage = false;

  constructor(private readonly options: RouterOptions) {
    this.endpoints = options.urls.map((url) => ({
      url: base(url),
      healthy: false,
      admission: null,
      inFlight: 0,
      served: 0,
      failures: 0,
      lastError: null,
    }));
  }

  /** Checks every endpoint now, then every `healthIntervalMs`. */
  async start(): Promise<void> {
    await this.checkAll();
    this.health ??= new BackgroundPass({
      name: 'inference pool health checks',
      run: () => this.checkAll(),
      everyMs: this.options.healthIntervalMs ?? 5_000,
      runAtStart: false,
      logger: this.options.logger,
    });
    this.health.start();
  }

  stop(): void {
    // The pass never rejects; the check in progress, if any, ends on its own (each has a timeout).
    void this.health?.stop();
  }

  async checkAll(): Promise<void> {
    await Promise.all(this.endpoints.map((e) => this.check(e)));
  }

  private async check(e: EndpointState): Promise<void> {
    try {
      const response = await fetch(`${e.url}/v1/models`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      await response.arrayBuffer();
      e.admission = this.options.admit
        ? await this.options.admit(e.url)
        : { ok: true, contributor: '', modelHash: '', weight: 1 };
      if (!e.admission.ok && e.lastError !== e.admission.reason)
        this.options.logger.warn({ endpoint: e.url, reason: e.admission.reason }, 'endpoint refused');
      e.lastError = e.admission.ok ? null : e.admission.reason;
      e.healthy = true;
      if (e.admission.ok) this.announcedOutage = false;
    } catch (error) {
      if (e.healthy || e.lastError === null)
        this.options.logger.warn({ endpoint: e.url, err: (error as Error).message }, 'endpoint unhealthy');
      e.healthy = false;
      e.lastError = (error as Error).message;
    }
  }

  /** Endpoints that may take work now, in the order to try them (see routeOrder). */
  usable(exclude: string[] = []): EndpointState[] {
    const list = this.endpoints.filter((e) => e.healthy && e.admission?.ok && !exclude.includes(e.url));
    return routeOrder(
      list.map((e) => ({ e, inFlight: e.inFlight, weight: e.admission?.ok ? e.admission.weight : 1 })),
      this.options.random ?? Math.random,
    ).map((x) => x.e);
  }

  /**
   * True once per outage: the first person answered by the rules hears why; the rest are not told again. An
   * outage ends when any endpoint serves again (a health check or a request finds it working).
   */
  outageNotice(): boolean {
    if (this.announcedOutage) return false;
    this.announcedOutage = true;
    return true;
  }

  /** A fetch for ChatOpenAI: the request goes to the pool, not to the URL's host. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const path = url.pathname.replace(/^.*?\/v1\//, '/v1/');
    let body = typeof init?.body === 'string' ? init.body : '';
    const spotCheck =
      path === '/v1/chat/completions' &&
      (this.options.random ?? Math.random)() < (this.options.spotCheckRate ?? 0);
    if (spotCheck) body = JSON.stringify({ ...(JSON.parse(body) as object), ...SPOT_CHECK_SAMPLING });
    const result = await this.send(path, body, [], init?.signal ?? undefined);
    if (path === '/v1/chat/completions' && result.response.ok && this.options.onServed)
      void this.report(result.endpoint, body, result.text, spotCheck);
    return new Response(result.text, { status: result.response.status, headers: result.response.headers });
  };

  /**
   * Sends one request to the best endpoint, failing over to the next on a network error, a timeout or a 5xx,
   * all within the deadline. A 4xx is the request's fault and is returned as is.
   */
  async send(
    path: string,
    body: string,
    exclude: string[],
    signal?: AbortSignal,
  ): Promise<{ endpoint: EndpointState; response: Response; text: string }> {
    const deadline = Date.now() + this.options.deadlineMs;
    const tried: string[] = [];
    for (;;) {
      const e = this.usable([...exclude, ...tried])[0];
      if (!e)
        throw new NoHealthyEndpoint(
          tried.length
            ? `tried ${tried.length}, none answered`
            : `${this.endpoints.length} configured, none healthy`,
        );
      tried.push(e.url);
      const left = deadline - Date.now();
      if (left <= 0) throw new NoHealthyEndpoint('the deadline passed');
      e.inFlight++;
      try {
        const response = await fetch(`${e.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(left)]) : AbortSignal.timeout(left),
        });
        const text = await response.text();
        if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
        e.served++;
        this.announcedOutage = false;
        return { endpoint: e, response, text };
      } catch (error) {
        if (signal?.aborted) throw error;
        e.failures++;
        e.healthy = false;
        e.lastError = (error as Error).message;
        this.options.logger.warn({ endpoint: e.url, err: e.lastError }, 'endpoint failed; trying the next');
      } finally {
        e.inFlight--;
      }
    }
  }

  private async report(
    e: EndpointState,
    requestBody: string,
    text: string,
    spotCheck: boolean,
  ): Promise<void> {
    try {
      const response = JSON.parse(text) as Record<string, unknown>;
      await this.options.onServed!({
        endpoint: e.url,
        contributor: e.admission?.ok ? e.admission.contributor || null : null,
        requestBody,
        response,
        receipt: (response.pactus_receipt as Receipt | undefined) ?? null,
        spotCheck,
      });
    } catch (error) {
      this.options.logger.error({ err: error, endpoint: e.url }, 'recording a served completion failed');
    }
  }
}
