// The contributor node: an OpenAI-compatible server (`/v1/chat/completions`, `/v1/models`) in front of an inference
// engine (node-llama-cpp in process, or an existing llama-server/vLLM/Ollama it proxies), which signs a receipt
// for every completion with the contributor's Pactus key and serves its signed registration.
import { timingSafeEqual } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { PrivateKey } from '../pactus/keys.js';
import type { Network } from '../pactus/network.js';
import { digest, responseDigest, signReceipt } from './receipt.js';
import { COMMITMENT_HEADER } from './spot-sampling.js';
import { signRegistration } from './registration.js';

/**
 * Answers one chat-completions request (parsed JSON) with an OpenAI-shaped response. `headers` are the pool's
 * headers worth passing on (the seed commitment), the same on every request of an epoch.
 */
export type Engine = (
  request: Record<string, unknown>,
  headers?: Record<string, string>,
) => Promise<Record<string, unknown>>;

/**
 * Evaluates a bot's static prompt (a chat request of its system message and tools) into the model's cache ahead
 * of its first request: the tokens it evaluated (0 when already warm), or why it would not.
 */
export type Prewarm = (
  request: Record<string, unknown>,
) => Promise<{ evaluated: number } | { refused: string }>;

export interface ContributorOptions {
  key: PrivateKey;
  network: Network;
  engine: Engine;
  /** The in-process engine's prewarm (POST /v1/pactus/prewarm); without one that route answers 404. */
  prewarm?: Prewarm;
  model: string;
  /** SHA-256 of the GGUF file the engine serves (hex). */
  modelHash: string;
  /** How the pool reaches this node (its registration binds it). */
  publicUrl: string;
  logger: Logger;
  now?: () => number;
  /**
   * The secret its pool sends as a bearer token. With it, a completion (and so a receipt signed over this node's
   * work) is served to that pool only. Without it anyone who can reach the URL is served, and another contributor
   * could forward its own pool's requests here, sign its own receipts over these answers and be paid for this
   * node's work (test/unit/compute/free-riding.test.ts).
   */
  poolToken?: string;
}

/** Whether the request carries the pool's token (compared in constant time). */
function fromPool(authorization: string | undefined, token: string): boolean {
  const given = Buffer.from(authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const REQUEST_LIMIT = 1024 * 1024;

export async function createContributorServer(options: ContributorOptions): Promise<FastifyInstance> {
  const { key, network, engine, model, modelHash, logger } = options;
  const now = options.now ?? Date.now;
  const contributor = key.publicKey().validatorAddress().toString(network);
  const registration = signRegistration(
    key,
    { contributor, endpoint: options.publicUrl.replace(/\/+$/, ''), model, modelHash, issued: now() },
    network,
  );
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: REQUEST_LIMIT,
    // Fastify 5.12 moved this option into the log controller (the top-level one is deprecated).
    logController: new LogController({ disableRequestLogging: true }),
  });
  // The receipt covers the exact bytes received, so the body is kept as bytes and parsed here.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );

  app.get('/v1/models', async () => ({
    object: 'list',
    data: [{ id: model, object: 'model', owned_by: contributor }],
  }));
  app.get('/v1/pactus/registration', async () => registration);
  app.get('/healthz', async () => ({ ok: true }));
  app.post('/v1/pactus/prewarm', async (request, reply) => {
    if (!options.prewarm)
      return reply
        .status(404)
        .send({ error: { message: 'This node does not prewarm.', type: 'invalid_request_error' } });
    const parsed = parseJson(request.body as Buffer);
    if (
      !parsed ||
      !Array.isArray(parsed.messages) ||
      !(parsed.tools === undefined || Array.isArray(parsed.tools))
    )
      return reply.status(400).send({
        error: {
          message: 'Send a chat request: messages and tools as arrays.',
          type: 'invalid_request_error',
        },
      });
    try {
      const result = await options.prewarm(parsed);
      if ('refused' in result)
        return reply.status(429).send({ error: { message: result.refused, type: 'rate_limit_error' } });
      return { prewarmed: true, evaluated: result.evaluated };
    } catch (error) {
      logger.error({ err: error }, 'the prewarm failed');
      return reply.status(502).send({ error: { message: 'The prewarm failed.', type: 'server_error' } });
    }
  });
  app.post('/v1/chat/completions', async (request, reply) => {
    if (options.poolToken !== undefined && !fromPool(request.headers.authorization, options.poolToken))
      return reply.status(401).send({
        error: { message: 'This node answers its pool only.', type: 'invalid_request_error' },
      });
    const bytes = request.body as Buffer;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch {
      return reply
        .status(400)
        .send({ error: { message: 'The body is not JSON.', type: 'invalid_request_error' } });
    }
    const commitment = request.headers[COMMITMENT_HEADER];
    if (commitment !== undefined && (typeof commitment !== 'string' || !/^[0-9a-f]{64}$/.test(commitment)))
      return reply.status(400).send({
        error: {
          message: `The ${COMMITMENT_HEADER} header is not a hex hash.`,
          type: 'invalid_request_error',
        },
      });
    if (parsed.stream === true)
      return reply.status(400).send({
        error: {
          message: 'Streaming is not offered: a receipt covers a whole answer.',
          type: 'invalid_request_error',
        },
      });
    let response: Record<string, unknown>;
    try {
      response = await engine(parsed, commitment === undefined ? {} : { [COMMITMENT_HEADER]: commitment });
    } catch (error) {
      logger.error({ err: error }, 'the engine failed');
      return reply
        .status(502)
        .send({ error: { message: 'The inference engine failed.', type: 'server_error' } });
    }
    const usage = (response.usage ?? {}) as { prompt_tokens?: number; completion_tokens?: number };
    const receipt = signReceipt(
      key,
      {
        contributor,
        requestHash: digest(new Uint8Array(bytes)),
        responseHash: responseDigest(response),
        promptTokens: usage.prompt_tokens ?? 0,
        completionTokens: usage.completion_tokens ?? 0,
        model,
        modelHash,
        timestamp: now(),
        // Signed before the pool decides whether this request is checked: the pool's seed is fixed already.
        ...(commitment !== undefined && { commitment }),
      },
      network,
    );
    return { ...response, pactus_receipt: receipt };
  });
  return app;
}

function parseJson(bytes: Buffer): Record<string, unknown> | null {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** An engine that forwards to an existing OpenAI-compatible server (llama-server, vLLM, Ollama). */
export function upstreamEngine(upstream: string, timeoutMs = 120_000): Engine {
  const url = `${upstream.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/chat/completions`;
  return async (request, headers = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`upstream answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };
}
