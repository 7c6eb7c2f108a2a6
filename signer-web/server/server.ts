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
import { hashLinkToken } from '../../wallet/tokens.js';
import { loadPageAssets } from './assets.js';
import { registerContractUpload, type ContractUpload } from './contract-upload.js';
import {
  SECURITY_HEADERS,
  clientError,
  clientStatus,
  errorBody,
  frameworkError,
  plainText,
} from './edges.js';
import { FAVICON_SVG, paymentQrSvg } from './qr.js';
import { LinkAttempts, TokenRateLimiter } from './token-limit.js';
import { registerUndoRoute } from './undo-route.js';

export { SECURITY_HEADERS } from './edges.js';

/** Refusals of a link submission that say the attempt was real (it parsed, and was checked against the draft). */
const REAL_ATTEMPT = new Set(['tx_mismatch', 'wrong_signer', 'bad_signature', 'rejected', 'unsafe_message']);

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
  /** Real attempts per link and client address per minute (junk that does not parse is not counted). */
  tokenPostsPerMinute?: number;
  /**
   * Behind reverse proxies: their number (the client is that many hops from the right of X-Forwarded-For), or
   * their addresses/CIDRs, as Fastify's trustProxy (proxy-addr) takes them. false: the socket's address.
   */
  trustProxy?: false | number | string;
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
  /** A contract uploaded through a one-time link (by the token's hash): see ContractUpload. */
  contractUpload?: ContractUpload;
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
    trustProxy: trustedProxies(options.trustProxy),
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
  });
  const attempts = new LinkAttempts(options.tokenPostsPerMinute ?? 10);
  const tokenReads = new TokenRateLimiter(120, 60_000);

  await app.register(rateLimit, {
    max: options.ipLimitPerMinute ?? 300,
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, context) => ({
      statusCode: context.statusCode,
      ...errorBody('rate_limited', 'Too many requests; please wait a minute.'),
    }),
  });

  // The headers go on at the start of every request and again just before any reply is sent, so no path out
  // (a route, an error, a 404, a rate limit, a body too large) leaves without them.
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  // What people read in an error or a report is plain text (a compiler's stray bytes are not passed on).
  app.addHook('preSerialization', async (_request, _reply, payload: unknown) => {
    const body = payload as { error?: { message?: unknown }; report?: unknown } | null;
    if (body && typeof body.error?.message === 'string') body.error.message = plainText(body.error.message);
    if (body && typeof body.report === 'string') body.report = plainText(body.report);
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
      return reply.status(error.status).send(errorBody(error.code, error.message));
    if (error instanceof PactusError) return reply.status(400).send(errorBody(error.code, error.message));
    const status = clientStatus(error);
    if (status !== null)
      return reply
        .status(status)
        .send(errorBody(status === 429 ? 'rate_limited' : 'bad_request', clientMessage(error, status)));
    request.log.error({ err: error }, 'signer server error');
    return reply
      .status(500)
      .send(errorBody('internal', 'Something went wrong on our side. Please try again.'));
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(errorBody('not_found', 'Not found.')));

  // Reads of a link, per link and client address: someone else's refreshing cannot lock the person's page.
  const readLimit = async (request: TokenRequest, reply: FastifyReply) => {
    if (!tokenReads.allow(`${hashLinkToken(request.params.token)}|${request.ip}`))
      return reply
        .status(429)
        .send(errorBody('rate_limited', 'Too many requests for this link; wait a minute.'));
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
  if (options.contractUpload) await registerContractUpload(app, options.contractUpload, attempts);
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

  app.get('/api/links/:token', { preHandler: readLimit }, async (request: TokenRequest) =>
    signing.describe(request.params.token),
  );
  app.get('/api/links/:token/status', { preHandler: readLimit }, async (request: TokenRequest) =>
    signing.status(request.params.token),
  );
  app.post('/api/links/:token', async (request: TokenRequest, reply) => {
    const hash = hashLinkToken(request.params.token);
    if (attempts.blocked(hash, request.ip))
      return reply
        .status(429)
        .send(errorBody('rate_limited', 'Too many attempts with this link; wait a minute.'));
    const body = request.body as unknown;
    const tx = signedTxBody.safeParse(body);
    const message = tx.success ? null : messageBody.safeParse(body);
    if (!tx.success && !message?.success)
      throw new LinkError(
        'malformed',
        'Send {"signedTx": "<hex>"} or {"signature": "<hex>", "publicKey": "<key>"}.',
        400,
      );
    try {
      const result = tx.success
        ? await signing.submitTransaction(request.params.token, tx.data.signedTx)
        : await signing.submitMessage(request.params.token, message!.data!);
      attempts.record(hash, request.ip);
      return result;
    } catch (error) {
      // Only an attempt that parsed and was checked against the draft uses up the link's tries; junk does not.
      if (error instanceof LinkError && REAL_ATTEMPT.has(error.code)) attempts.record(hash, request.ip);
      throw error;
    }
  });
  registerUndoRoute(app, signing, readLimit);
  return app;
}

/** A client error's message in plain words: Fastify's own, or ours for what a client sent that would not decode. */
function clientMessage(error: unknown, status: number): string {
  if (error instanceof URIError) return 'Something in the request is not valid %-encoding.';
  if (status === 413) return 'The request body is too large.';
  return error instanceof Error ? error.message : 'The request is not valid.';
}

/**
 * A number of hops as proxy-addr's hop-count trust (Express's "trust proxy" number): the socket's peer and the
 * next N-1 addresses of X-Forwarded-For, read from the right, are proxies; the address after them is the client
 * (N=1: the rightmost). Fastify 5 itself now takes a bare number as "trust nothing" (lib/request.js,
 * getTrustProxyFn: a hop count cannot check the immediate peer), which behind nginx would make every person
 * the proxy's one address, so the count is given as the function that means it. The server must then be
 * reachable only through the proxy (SIGNER_HOST=127.0.0.1, the default), as the README says.
 */
function trustedProxies(trust: false | number | string | undefined) {
  if (trust === undefined || trust === false) return false;
  if (typeof trust === 'number') return (_address: string, hop: number) => hop < trust;
  return trust;
}
