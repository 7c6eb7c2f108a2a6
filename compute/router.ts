import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { BackgroundPass } from '../db/background-pass.js';
import { PactusError } from '../pactus/errors.js';
import type { Receipt } from './receipt.js';
import { COMMITMENT_HEADER } from './spot-sampling.js';

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
  /** The base URL, without the credentials it was configured with. */
  url: string;
  /** The pool token the URL was configured with (http://pool:<token>@host), sent as a bearer token; never logged. */
  token: string | null;
  healthy: boolean;
  /** Null until admission was asked; with compute accounting off every healthy endpoint is admitted. */
  admission: Admission | null;
  inFlight: number;
  served: number;
  failures: number;
  lastError: string | null;
}

/** The epoch a request was sent in and its spot-check seed commitment (sent with it as a header). */
export interface Stamp {
  epoch: number;
  commitment: string;
}

/** One completion as it was served: what was sent, what came back, and the receipt attached to it. */
export interface Served {
  endpoint: string;
  contributor: string | null;
  requestBody: string;
  response: Record<string, unknown>;
  receipt: Receipt | null;
  /** Null when the pool meters nothing. */
  stamp: Stamp | null;
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
  /** The current epoch and its seed commitment, asked before each completion is sent (compute accounting on). */
  stamp?: () => Promise<Stamp>;
  random?: () => number;
}

/**
 * How every completion is sampled: greedily, so the same model on two honest nodes gives the same answer and any
 * request can be re-run and compared. With a fresh seed each (`withSamplingSettings`), the same for all: nothing
 * in a request says whether it will be checked, because that is decided after its answer (service.ts).
 */
export const SAMPLING = { temperature: 0, top_p: 1 } as const;
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * A chat request body with the pool's sampling settings and a fresh seed in place of whatever the caller set. The
 * seed is below 2^31: llama-server reads it as uint32, Ollama as an int.
 */
export function withSamplingSettings(body: string): string {
  return JSON.stringify({ ...(JSON.parse(body) as object), ...SAMPLING, seed: randomInt(0, 2 ** 31) });
}

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

/** Who an endpoint earns for; with compute accounting off (no contributor) each endpoint stands alone. */
const contributorOf = (e: EndpointState) => (e.admission?.ok && e.admission.contributor) || e.url;

const base = (url: string) => url.replace(/\/+$/, '').replace(/\/v1$/, '');

/**
 * An endpoint as configured: a URL's credentials (http://pool:<token>@host:port) are the token a contributor node
 * started with CONTRIBUTOR_POOL_TOKEN expects (compute/contributor.ts), taken out of the URL that logs and
 * registrations name.
 */
export function endpointOf(configured: string): { url: string; token: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(configured);
  } catch {
    return { url: base(configured), token: null };
  }
  if (!parsed.username && !parsed.password) return { url: base(configured), token: null };
  const token = decodeURIComponent(parsed.password || parsed.username);
  parsed.username = '';
  parsed.password = '';
  return { url: base(parsed.toString()), token };
}

/**
 * The inference pool: health checks, least-loaded choice, failover within a per-request deadline. It is handed to
 * ChatOpenAI as its `fetch`, so LangChain talks to "one server" and the pool decides which one answers.
 */
export class InferenceRouter {
  readonly endpoints: EndpointState[];
  private health: BackgroundPass | null = null;
  private announcedOutage = false;

  constructor(private readonly options: RouterOptions) {
    this.endpoints = options.urls.map((configured) => ({
      ...endpointOf(configured),
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

  /**
   * Endpoints that may take work now, in the order to try them (see routeOrder). A contributor serving from
   * several endpoints has its stake's weight split between them: its stake buys one share of the work however many
   * URLs it registers.
   */
  usable(exclude: string[] = []): EndpointState[] {
    const serving = this.endpoints.filter((e) => e.healthy && e.admission?.ok);
    const endpointsOf = new Map<string, number>();
    for (const e of serving) endpointsOf.set(contributorOf(e), (endpointsOf.get(contributorOf(e)) ?? 0) + 1);
    return routeOrder(
      serving
        .filter((e) => !exclude.includes(e.url))
        .map((e) => ({
          e,
          inFlight: e.inFlight,
          weight: (e.admission?.ok ? e.admission.weight : 1) / endpointsOf.get(contributorOf(e))!,
        })),
      this.options.random ?? Math.random,
    ).map((x) => x.e);
  }

  /**
   * `urls` and every other endpoint of the same contributors: a spot check's re-run must go to another contributor,
   * not to another URL of the one whose answer it checks (which would recognise its own request).
   */
  alongside(urls: string[]): string[] {
    const contributors = new Set(
      this.endpoints.filter((e) => urls.includes(e.url) && e.admission?.ok).map(contributorOf),
    );
    return [
      ...new Set([
        ...urls,
        ...this.endpoints.filter((e) => contributors.has(contributorOf(e))).map((e) => e.url),
      ]),
    ];
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
    const completion = path === '/v1/chat/completions';
    let body = typeof init?.body === 'string' ? init.body : '';
    if (completion) body = withSamplingSettings(body);
    const stamp = completion && this.options.stamp ? await this.options.stamp() : null;
    const result = await this.send(path, body, [], init?.signal ?? undefined, stamp);
    if (completion && result.response.ok && this.options.onServed)
      void this.report(result.endpoint, body, result.text, stamp);
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
    stamp: Stamp | null = null,
  ): Promise<{ endpoint: EndpointState; response: Response; text: string }> {
    // The same headers on every request of an epoch: the commitment, which is the same for all of them.
    const headers = {
      'content-type': 'application/json',
      ...(stamp && { [COMMITMENT_HEADER]: stamp.commitment }),
    };
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
          headers: e.token ? { ...headers, authorization: `Bearer ${e.token}` } : headers,
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
    stamp: Stamp | null,
  ): Promise<void> {
    try {
      const response = JSON.parse(text) as Record<string, unknown>;
      await this.options.onServed!({
        endpoint: e.url,
        contributor: e.admission?.ok ? e.admission.contributor || null : null,
        requestBody,
        response,
        receipt: (response.pactus_receipt as Receipt | undefined) ?? null,
        stamp,
      });
    } catch (error) {
      this.options.logger.error({ err: error, endpoint: e.url }, 'recording a served completion failed');
    }
  }
}
