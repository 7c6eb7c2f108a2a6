import rateLimit from '@fastify/rate-limit';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { PactusError } from '../../pactus/errors.js';
import { LinkError } from '../../wallet/errors.js';
import type { SigningService } from '../../wallet/signing.js';
import { hashLinkToken, isWellFormedToken } from '../../wallet/tokens.js';
import { loadPageAssets } from './assets.js';
import { FAVICON_SVG, paymentQrSvg } from './qr.js';
import { TokenRateLimiter } from './token-limit.js';

export const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
} as const;

const signedTxBody = z
  .object({
    signedTx: z
      .string()
      .min(2)
      .max(8192)
      .regex(/^[0-9a-fA-F]+$/),
  })
  .strict();
const signatureItem = z.object({
  signature: z
    .string()
    .min(2)
    .max(512)
    .regex(/^[0-9a-fA-F]+$/),
  publicKey: z.string().min(10).max(512),
});
const messageBody = z.union([
  signatureItem.strict(),
  z.object({ signatures: z.array(signatureItem).min(1).max(64) }).strict(),
]);

export interface SignerServerOptions {
  signing: SigningService;
  logger: Logger;
  /** Per-IP requests per minute across the whole server. */
  ipLimitPerMinute?: number;
  /** Per-token POSTs per minute. */
  tokenPostsPerMinute?: number;
  /** Behind a reverse proxy: take the client IP from X-Forwarded-For. */
  trustProxy?: boolean;
  /** The deployment's manifest history: what verifiers take as --deployment (deployment/manifest.ts). */
  deployment?: () => Promise<unknown>;
  /** Public result bundles of DAO proposals (anyone can re-verify them with `pactus-bot verify-proposal`). */
  bundle?: (proposalId: number) => Promise<unknown>;
  /** Voters' receipts: their ballot's inclusion proof in the committed ballot set (by the ballot's number). */
  receipt?: (proposalId: number, leafIndex: number) => Promise<unknown>;
  /** Closed compute epochs' public bundles (`pactus-bot verify-epoch` re-checks them). */
  computeBundle?: (epoch: number) => Promise<unknown>;
  /** A contributor's inclusion proof for one receipt (by its leaf hash) in its epoch's anchored root. */
  computeProof?: (epoch: number, leaf: string) => Promise<unknown>;
  /** A contributor's receipts in a closed epoch with their inclusion proofs (compute/proofs.ts). */
  computeProofs?: (epoch: number, contributor: string) => Promise<unknown>;
  /**
   * A contract uploaded through a one-time link (by the token's hash): the report as plain text, or null when the
   * link is unknown, used or expired.
   */
  contractUpload?: (tokenHash: string, name: string, bytes: Uint8Array) => Promise<string | null>;
}

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

/**
 * The signer server: the page, the link API and nothing else. Tokens never reach the logs: request logging is
 * done here with the route pattern (`/s/:token`), not the URL.
 */
export async function createSignerServer(options: SignerServerOptions): Promise<FastifyInstance> {
  const { signing, logger } = options;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify's own request lines include the URL, and with it the token: they are off, see onResponse below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 32 * 1024,
    trustProxy: options.trustProxy ?? false,
  });
  const tokenPosts = new TokenRateLimiter(options.tokenPostsPerMinute ?? 10, 60_000);
  const tokenReads = new TokenRateLimiter(120, 60_000);

  await app.register(rateLimit, {
    max: options.ipLimitPerMinute ?? 300,
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, context) => ({
      statusCode: context.statusCode,
      error: { code: 'rate_limited', message: 'Too many requests; please wait a minute.' },
    }),
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof LinkError)
      return reply.status(error.status).send({ error: { code: error.code, message: error.message } });
    if (error instanceof PactusError)
      return reply.status(400).send({ error: { code: error.code, message: error.message } });
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500)
      return reply.status(status).send({
        error: { code: status === 429 ? 'rate_limited' : 'bad_request', message: (error as Error).message },
      });
    request.log.error({ err: error }, 'signer server error');
    return reply
      .status(500)
      .send({ error: { code: 'internal', message: 'Something went wrong on our side. Please try again.' } });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: 'Not found.' } }),
  );

  const limit = (limiter: TokenRateLimiter) => async (request: TokenRequest, reply: FastifyReply) => {
    if (!limiter.allow(hashLinkToken(request.params.token)))
      return reply.status(429).send({
        error: { code: 'rate_limited', message: 'Too many attempts with this link; wait a minute.' },
      });
  };

  const assets = await loadPageAssets();
  app.get('/s/:token', async (_request, reply) => reply.type('text/html; charset=utf-8').send(assets.html));
  app.get('/assets/page.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(Buffer.from(assets.js)),
  );
  app.get('/assets/page.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').send(assets.css),
  );
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/qr.svg', async (request: FastifyRequest<{ Querystring: { d?: unknown } }>, reply) => {
    const svg = typeof request.query.d === 'string' ? await paymentQrSvg(request.query.d) : null;
    if (!svg)
      return reply
        .status(400)
        .send({ error: { code: 'bad_request', message: 'Only a payment URI can be drawn.' } });
    return reply.type('image/svg+xml').send(svg);
  });
  for (const path of ['/favicon.svg', '/favicon.ico'])
    app.get(path, async (_request, reply) => reply.type('image/svg+xml').send(FAVICON_SVG));
  app.get('/c/:token', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(assets.uploadHtml),
  );
  app.get('/assets/upload.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(Buffer.from(assets.uploadJs)),
  );
  const contractUpload = options.contractUpload;
  if (contractUpload)
    await app.register(async (scope) => {
      // A contract file is bytes, up to 1 MiB: only this route takes them.
      scope.addContentTypeParser(
        'application/octet-stream',
        { parseAs: 'buffer', bodyLimit: 1024 * 1024 },
        (_request, body, done) => done(null, body),
      );
      scope.post(
        '/api/contracts/:token',
        { preHandler: limit(tokenPosts), bodyLimit: 1024 * 1024 },
        async (request: TokenRequest, reply) => {
          const { token } = request.params;
          const body = request.body;
          if (!isWellFormedToken(token) || !Buffer.isBuffer(body))
            return reply
              .status(400)
              .send({ error: { code: 'bad_request', message: 'Send the file as bytes.' } });
          const name = decodeURIComponent(String(request.headers['x-file-name'] ?? 'contract.wasm')).slice(
            0,
            100,
          );
          const report = await contractUpload(hashLinkToken(token), name, new Uint8Array(body));
          if (report === null)
            return reply.status(410).send({
              error: {
                code: 'link_used',
                message: 'This upload link was used or has expired; ask the bot for a new one.',
              },
            });
          return { report };
        },
      );
    });
  app.get('/deployment.json', async (_request, reply) => {
    const history = await options.deployment?.();
    if (!history)
      return reply.status(404).send({
        error: { code: 'not_found', message: 'This bot has no deployment operator (OPERATOR_ADDRESS).' },
      });
    return reply.type('application/json').send(JSON.stringify(history, null, 2));
  });

  app.get(
    '/proposals/:id/bundle.json',
    async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const id = Number(request.params.id);
      const bundle = Number.isInteger(id) && id > 0 ? await options.bundle?.(id) : null;
      if (!bundle)
        return reply.status(404).send({ error: { code: 'not_found', message: 'No such proposal.' } });
      return reply.type('application/json').send(JSON.stringify(bundle, null, 2));
    },
  );

  app.get(
    '/proposals/:id/receipts/:n.json',
    async (request: FastifyRequest<{ Params: { id: string; n: string } }>, reply) => {
      const id = Number(request.params.id);
      const n = Number(request.params.n);
      const receipt =
        Number.isInteger(id) && id > 0 && Number.isInteger(n) && n > 0
          ? await options.receipt?.(id, n - 1)
          : null;
      if (!receipt)
        return reply.status(404).send({ error: { code: 'not_found', message: 'No such receipt.' } });
      return reply.type('application/json').send(JSON.stringify(receipt, null, 2));
    },
  );

  app.get(
    '/compute/epochs/:n/bundle.json',
    async (request: FastifyRequest<{ Params: { n: string } }>, reply) => {
      const n = Number(request.params.n);
      const bundle = Number.isInteger(n) && n >= 0 ? await options.computeBundle?.(n) : null;
      if (!bundle)
        return reply.status(404).send({ error: { code: 'not_found', message: 'No such closed epoch.' } });
      return reply.type('application/json').send(JSON.stringify(bundle, null, 2));
    },
  );
  app.get(
    '/compute/epochs/:n/proofs/:leaf.json',
    async (request: FastifyRequest<{ Params: { n: string; leaf: string } }>, reply) => {
      const n = Number(request.params.n);
      const proof =
        Number.isInteger(n) && n >= 0 && /^[0-9a-f]{64}$/.test(request.params.leaf)
          ? await options.computeProof?.(n, request.params.leaf)
          : null;
      if (!proof)
        return reply
          .status(404)
          .send({ error: { code: 'not_found', message: 'No such receipt in that epoch.' } });
      return reply.type('application/json').send(JSON.stringify(proof, null, 2));
    },
  );

  app.get(
    '/compute/epochs/:n/contributors/:address/proofs.json',
    async (request: FastifyRequest<{ Params: { n: string; address: string } }>, reply) => {
      const n = Number(request.params.n);
      const proofs =
        Number.isInteger(n) && n >= 0 && /^[a-z0-9]{20,100}$/.test(request.params.address)
          ? await options.computeProofs?.(n, request.params.address)
          : null;
      if (!proofs)
        return reply
          .status(404)
          .send({ error: { code: 'not_found', message: 'That contributor has no receipts in that epoch.' } });
      return reply.type('application/json').send(JSON.stringify(proofs, null, 2));
    },
  );

  app.get('/api/links/:token', { preHandler: limit(tokenReads) }, async (request: TokenRequest) =>
    signing.describe(request.params.token),
  );
  app.get('/api/links/:token/status', { preHandler: limit(tokenReads) }, async (request: TokenRequest) =>
    signing.status(request.params.token),
  );
  app.post('/api/links/:token', { preHandler: limit(tokenPosts) }, async (request: TokenRequest) => {
    const body = request.body as unknown;
    const tx = signedTxBody.safeParse(body);
    if (tx.success) return signing.submitTransaction(request.params.token, tx.data.signedTx);
    const message = messageBody.safeParse(body);
    if (message.success) return signing.submitMessage(request.params.token, message.data);
    throw new LinkError(
      'malformed',
      'Send {"signedTx": "<hex>"} or {"signature": "<hex>", "publicKey": "<key>"}.',
      400,
    );
  });
  return app;
}
