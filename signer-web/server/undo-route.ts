import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { SigningService } from '../../wallet/signing.js';
import { undoWords } from '../../wallet/undo.js';

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

/**
 * The page's Cancel during the undo window: POST /api/links/:token/cancel. 200 when the held transaction was
 * cancelled (nothing reaches the node); 409 with the reason in words otherwise ("too late: it was broadcast at
 * block N"); 404 for a link that names nothing.
 */
export function registerUndoRoute(
  app: FastifyInstance,
  signing: SigningService,
  rateLimit: (request: TokenRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  app.post(
    '/api/links/:token/cancel',
    { preHandler: rateLimit as preHandlerAsyncHookHandler },
    async (request: TokenRequest, reply) => {
      const outcome = await signing.cancelHeld(request.params.token);
      if (outcome.kind === 'cancelled') return { cancelled: true, message: undoWords(outcome) };
      return reply
        .status(outcome.kind === 'not_found' ? 404 : 409)
        .send({ error: { code: outcome.kind, message: undoWords(outcome) } });
    },
  );
}
