// A small OpenAI-compatible chat server (the shape of llama-server, vLLM and Ollama's /v1 API) for contributor
// nodes to proxy. Like a real server it samples unless asked for greedy decoding: without `temperature: 0` (the
// servers default to 0.8 or 1) the answer carries a random part, so two nodes agree only on greedy requests, as
// spot checks need. With it, the answer depends only on the messages, and the token counts on the text. `lie` makes
// it alter its answers (a contributor that returns something other than the model's).
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OpenAiEmulator {
  url: string;
  requests: Record<string, unknown>[];
  close(): Promise<void>;
}

const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

export async function startOpenAiEmulator(
  options: { lie?: boolean; model?: string; port?: number } = {},
): Promise<OpenAiEmulator> {
  const requests: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/v1/models')
      return send(200, { object: 'list', data: [{ id: options.model ?? 'tiny', object: 'model' }] });
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
      return send(404, { error: { message: 'not found', type: 'invalid_request_error' } });
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let request: { messages?: { role: string; content?: string | null }[]; temperature?: number };
      try {
        request = JSON.parse(body) as typeof request;
      } catch {
        return send(400, { error: { message: 'bad JSON', type: 'invalid_request_error' } });
      }
      if (!Array.isArray(request.messages))
        return send(400, { error: { message: "'messages' is required", type: 'invalid_request_error' } });
      requests.push(request as Record<string, unknown>);
      const prompt = request.messages.map((m) => `${m.role}: ${m.content ?? ''}`).join('\n');
      const sampled = request.temperature === 0 ? '' : ` ${randomBytes(4).toString('hex')}`;
      const digest = createHash('sha256').update(prompt).digest('hex').slice(0, 8) + sampled;
      const content = options.lie
        ? `Pactus was founded on the moon. (${digest})`
        : `Pactus is a proof-of-stake blockchain. (${digest})`;
      send(200, {
        id: `chatcmpl-${digest}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: options.model ?? 'tiny',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
        usage: {
          prompt_tokens: tokens(prompt),
          completion_tokens: tokens(content),
          total_tokens: tokens(prompt) + tokens(content),
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
