import { ChatOpenAI } from '@langchain/openai';
import type { InferenceRouter } from '../../compute/router.js';

/**
 * The agent's model over an inference pool: LangChain's ChatOpenAI speaks the OpenAI chat API (tool calls
 * included) to what looks like one server, and the router behind its `fetch` picks the endpoint, fails over and
 * meters. The base URL is never contacted: every request goes through the router.
 */
export function createPoolChatModel(
  router: InferenceRouter,
  options: { model: string; timeoutMs: number },
): ChatOpenAI {
  return new ChatOpenAI({
    model: options.model,
    apiKey: 'inference-pool',
    temperature: 0,
    // The router fails over itself; retries here would repeat a whole deadline.
    maxRetries: 0,
    timeout: options.timeoutMs,
    configuration: { baseURL: 'http://inference-pool.invalid/v1', fetch: router.fetch },
  });
}
