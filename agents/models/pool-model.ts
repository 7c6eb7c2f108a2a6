import { createHmac, randomBytes } from 'node:crypto';
import type { BindToolsInput } from '@langchain/core/language_models/chat_models';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { ChatOpenAI } from '@langchain/openai';
import type { Logger } from 'pino';
import type { InferenceRouter } from '../../compute/router.js';
import { turnKey } from './turn-key.js';

/** The contributor's route that evaluates a bot's static prompt ahead of its first request (compute/contributor.ts). */
export const PREWARM_PATH = '/v1/pactus/prewarm';

/**
 * The agent's model over an inference pool: LangChain's ChatOpenAI speaks the OpenAI chat API (tool calls
 * included) to what looks like one server, and the router behind its `fetch` picks the endpoint, fails over and
 * meters. The base URL is never contacted: every request goes through the router.
 *
 * Each request carries OpenAI's `user` field: an opaque per-person key (an HMAC under a secret of this process,
 * so a contributor can keep one person's conversation in one cached sequence without learning who they are).
 * The static prompt (system prompt and tools, as ChatOpenAI sends them) is sent once to each endpoint when the
 * pool admits it, so the first turn it serves does not evaluate that prompt.
 */
export class PoolChatModel extends ChatOpenAI {
  private staticRequest: string | null = null;

  constructor(
    private readonly router: InferenceRouter,
    options: { model: string; timeoutMs: number },
    private readonly logger: Logger,
    secret = randomBytes(32),
  ) {
    const personKey = (key: string) =>
      createHmac('sha256', secret).update(key).digest('base64url').slice(0, 22);
    super({
      model: options.model,
      apiKey: 'inference-pool',
      temperature: 0,
      // The router fails over itself; retries here would repeat a whole deadline.
      maxRetries: 0,
      timeout: options.timeoutMs,
      configuration: {
        baseURL: 'http://inference-pool.invalid/v1',
        fetch: (input: string | URL | Request, init?: RequestInit) => {
          const key = turnKey.getStore();
          if (!key || typeof init?.body !== 'string') return router.fetch(input, init);
          const body = { ...(JSON.parse(init.body) as object), user: personKey(key) };
          return router.fetch(input, { ...init, body: JSON.stringify(body) });
        },
      },
    });
  }

  /** Remembers the static prompt and sends it to every endpoint that can take work now. */
  async prewarm(systemPrompt: string, tools: BindToolsInput[]): Promise<void> {
    this.staticRequest = JSON.stringify({
      model: this.model,
      messages: [{ role: 'system', content: systemPrompt }],
      tools: tools.map((t) => convertToOpenAITool(t as Parameters<typeof convertToOpenAITool>[0])),
    });
    await Promise.all(this.router.usable().map((e) => this.prewarmEndpoint(e.url)));
  }

  /** Sends the static prompt to one endpoint (when the pool admits it); a node that cannot prewarm is fine. */
  async prewarmEndpoint(url: string): Promise<void> {
    if (!this.staticRequest) return;
    try {
      const response = await fetch(`${url}${PREWARM_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: this.staticRequest,
        signal: AbortSignal.timeout(120_000),
      });
      const body = (await response.json().catch(() => ({}))) as { evaluated?: number };
      // Servers other than contributor nodes (llama-server, vLLM) have no such route: they start cold.
      if (response.ok) this.logger.info({ endpoint: url, evaluated: body.evaluated }, 'endpoint prewarmed');
      else this.logger.debug({ endpoint: url, status: response.status }, 'endpoint does not prewarm');
    } catch (error) {
      this.logger.warn({ endpoint: url, err: (error as Error).message }, 'prewarming an endpoint failed');
    }
  }
}

export function createPoolChatModel(
  router: InferenceRouter,
  options: { model: string; timeoutMs: number },
  logger: Logger,
): PoolChatModel {
  return new PoolChatModel(router, options, logger);
}
