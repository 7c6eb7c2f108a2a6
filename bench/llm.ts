// The LLM path on a model of Qwen2.5-1.5B-Instruct's exact shape (28 layers, hidden 1,536, 12/2 heads, FFN
// 8,960, Q4_0, Qwen's tokenizer and chat template), generated under the OS temp dir at bench time and deleted
// after. Its weights are scripted (test/support/scripted-qwen-gguf.ts): it answers every request with one
// `balance` tool call and, after a tool result, "Done.", so the bot's loop and the stock loop run their real
// course while CPU time is what the released model costs. Both run through the project's adapter, 2 threads:
//   ours:  BotAgent through the conversation (compact tool docs, placeholders, returnDirect, our decoding, the
//          remembered turns as words and calls, default sequences);
//   stock: LangChain createAgent over node-llama-cpp as it comes (the wrapper's JSON-schema tool docs, LlamaChat's
//          decoding, the raw address, the model reads the tool result and answers, one sequence).
//   pool:  the bot's agent through an inference pool (ChatOpenAI, the router) to a contributor node running the
//          same model in this process, prewarmed by the bot at admission.
// Where the message holds a real address (the stock loop), the scripted model writes as many tokens as copying
// that address takes (it cannot copy text, so the call names no real address and the tool refuses it; the loop
// still runs its course: the model reads the refusal and answers).
//
// Token counts are the model's own and deterministic; times depend on the machine, so the load average is printed
// first and last: figures for the README come from a quiet machine.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { HumanMessage } from '@langchain/core/messages';
import { createAgent } from 'langchain';
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import type { Logger } from 'pino';
import { LlamaChatModel, LlamaRuntime, localLlama, toLlamaFunctions } from '../agents/models/llama-model.js';
import { turnKey } from '../agents/models/turn-key.js';
import { registryTools, TURN_KEY, type TurnState } from '../agents/tools.js';
import { llamaEngine, llamaPrewarm } from '../bot/cli/contribute-engine.js';
import { startCompute } from '../bot/compute.js';
import { loadConfig } from '../bot/config.js';
import type { Conversation } from '../bot/core/conversation.js';
import { createContributorServer } from '../compute/contributor.js';
import { DEFAULT_DEVNET_MNEMONIC, devnetKeys } from '../devnet/genesis.js';
import { loadPrompt, untrustedUserText } from '../prompts/index.js';
import { ensureChatAccount } from '../wallet/index.js';
import { conversationFor, dm } from '../test/support/app.js';
import {
  balanceCallScript,
  copyCostArgument,
  QWEN_1_5B,
  writeScriptedQwenModel,
} from '../test/support/scripted-qwen-gguf.js';
import { startStack, type Stack } from '../test/support/stack.js';
import { devnetAccount } from '../test/support/txs.js';
import { heading, percentile } from './harness.js';

const THREADS = 2;
const BUSY = 'Many people are asking at once';

const line = (label: string, value: string) => console.log(`${label.padEnd(46)} ${value}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** Raw prefill and generation speed of the model file, outside any chat loop. */
async function rawSpeed(modelPath: string, promptText: string, logger: Logger): Promise<void> {
  const llama = await localLlama(THREADS, logger);
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 2048, threads: THREADS, sequences: 4 });
  const sequence = context.getSequence();
  const tokens = model.tokenize(promptText).slice(0, 512);
  const prefill = await timed(() => sequence.evaluateWithoutGeneratingNewTokens(tokens));
  const generation = await timed(() => generate(sequence, 32));
  const batch = await timed(() => Promise.all([1, 2, 3].map(() => generate(context.getSequence(), 32))));
  line(
    'prefill, generation speed',
    `${((tokens.length * 1000) / prefill.ms).toFixed(1)} tok/s (${tokens.length} tokens), ${((32 * 1000) / generation.ms).toFixed(1)} tok/s (32 tokens)`,
  );
  line('generation, 3 sequences in one batch', `${((3 * 32 * 1000) / batch.ms).toFixed(1)} tok/s in all`);
  await context.dispose();
  await model.dispose();
  await llama.dispose();
}

/** Greedy tokens: token 0 ("!") is off the script and its own successor, so generation never ends by itself. */
async function generate(sequence: LlamaContextSequence, count: number): Promise<void> {
  let n = 0;
  for await (const token of sequence.evaluate([0 as Token], { temperature: 0 })) {
    void token;
    if (++n >= count) break;
  }
}

interface Turn {
  ms: number;
  /** Ours: answered by the rules with a busy note. Stock: timed out. */
  busy: boolean;
  calls: number;
  /** node-llama-cpp's token meter: tokens put through the model, and tokens it generated (decode steps). */
  evaluated: number;
  generated: number;
}

/** One turn, with the model calls and tokens it cost on `runtime`. */
async function metered(runtime: LlamaRuntime, turn: () => Promise<boolean>): Promise<Turn> {
  const before = { ...runtime.usage };
  const { ms, value: busy } = await timed(turn);
  return {
    ms,
    busy,
    calls: runtime.usage.calls - before.calls,
    evaluated: runtime.usage.inputTokens - before.inputTokens,
    generated: runtime.usage.outputTokens - before.outputTokens,
  };
}

const describe = (t: Turn) =>
  `${seconds(t.ms)} (${t.calls} call${t.calls === 1 ? '' : 's'}, ${t.evaluated} evaluated + ${t.generated} generated tokens)`;

/** Turns of the bot's own path: a message through the conversation, answered by the model or the rules. */
function turnsThrough(runtime: LlamaRuntime, conversation: Conversation) {
  return (user: string, text: string) =>
    metered(runtime, async () => JSON.stringify(await conversation.handle(dm(text, user))).includes(BUSY));
}

/** LangChain's stock createAgent loop on the stock runtime: each message a fresh conversation. */
function stockTurns(s: Stack, runtime: LlamaRuntime, systemPrompt: string) {
  const { catalog, services } = conversationFor(s);
  const agent = createAgent({
    model: new LlamaChatModel(runtime),
    tools: registryTools(catalog.actions, s.logger, { returnDirect: false }),
    systemPrompt,
  });
  return (user: string, text: string) =>
    metered(runtime, async () => {
      const caller = {
        chatAccountId: await ensureChatAccount(s.db, { platform: 'console', userId: user }),
        platform: 'console',
        userId: user,
        chatId: `dm-${user}`,
        isPrivateChat: true,
        isAdmin: false,
      };
      const state: TurnState = {
        ctx: { caller, services },
        replies: [],
        ran: [],
        message: text,
        guarded: false,
      };
      return turnKey
        .run(`console:${user}`, () =>
          agent.invoke(
            { messages: [new HumanMessage(text)] },
            { configurable: { [TURN_KEY]: state }, recursionLimit: 13, signal: AbortSignal.timeout(60_000) },
          ),
        )
        .then(
          () => false,
          () => true, // timed out
        );
    });
}

/** New people asking at the same moment, one message each: the median and the slowest answer. */
async function atOnce(
  label: string,
  turn: (user: string, text: string) => Promise<Turn>,
  messages: string[],
  kind: 'ours' | 'stock',
): Promise<void> {
  const people = messages.length;
  const turns = await Promise.all(messages.map((text, i) => turn(`${label}-${i}`, text)));
  const ms = turns.map((t) => t.ms).sort((a, b) => a - b);
  const busy = turns.filter((t) => t.busy).length;
  const note =
    kind === 'ours'
      ? `${people - busy} answered by the model, ${busy} by the rules with a busy note`
      : `${busy} timed out (60 s)`;
  line(label, `median ${seconds(median(ms))}, slowest ${seconds(ms.at(-1)!)}; ${note}`);
}

export async function run(): Promise<void> {
  heading(`LLM path: Qwen2.5-1.5B shape, ${THREADS} threads, ours vs stock createAgent vs a pool node`);
  line('machine', `${availableParallelism()} cores, load average ${loadAverage()} (1 / 5 / 15 min) at start`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-llm-'));
  const modelPath = join(dir, 'qwen2.5-1.5b-shape-q4_0.gguf');
  const s = await startStack({ devnet: { blockMs: 1000 } });
  const address = devnetAccount(s.devnet, 'ed25519-account', 1).address.toString('testnet');
  const written = await timed(async () =>
    writeScriptedQwenModel({
      path: modelPath,
      shape: QWEN_1_5B,
      ...balanceCallScript(copyCostArgument(address)),
      onProgress: (step) => process.stderr.write(`\r  writing the model: ${step}          `),
    }),
  );
  process.stderr.write('\r' + ' '.repeat(60) + '\r');
  line(
    'model file (generated)',
    `Qwen2.5-1.5B-Instruct's shape (28 layers, hidden 1,536, 12/2 heads, FFN 8,960), Q4_0 layers, Q8_0 embeddings and output, Qwen's tokenizer and template; ${(statSync(modelPath).size / 2 ** 20).toFixed(0)} MiB in ${seconds(written.ms)}`,
  );

  const runtimes: LlamaRuntime[] = [];
  const stopPool: (() => Promise<void>)[] = [];
  try {
    const systemPrompt = loadPrompt('system');
    await rawSpeed(modelPath, systemPrompt.repeat(4), s.logger);
    // Messages the rules cannot read (so the model answers), each worded differently.
    const words = ['now', 'today', 'lately', 'again', 'still', 'anyway', 'tonight', 'at last'];
    const ask = (i: number) => `how rich is ${address} ${words[i % words.length]}`;

    const loadRuntime = (options: Partial<Parameters<typeof LlamaRuntime.load>[0]> = {}) =>
      LlamaRuntime.load(
        { modelPath, threads: THREADS, contextSize: 4096, queueWaitMs: 9000, maxTokens: 64, ...options },
        s.logger,
      ).then((r) => (runtimes.push(r), r));
    const loaded = await timed(() => loadRuntime());
    const ours = loaded.value;
    line('model load (the bot takes messages after it)', seconds(loaded.ms));
    const stock = await loadRuntime({ stock: true, sequences: 1, queueWaitMs: 600_000 });
    const { conversation, agent, catalog } = conversationFor(s, new LlamaChatModel(ours));

    // Exact prompt sizes, through each runtime's own wrapper and the model's tokenizer.
    const functions = toLlamaFunctions(registryTools(catalog.actions, s.logger));
    const system = [{ type: 'system' as const, text: systemPrompt }];
    for (const [name, runtime, text] of [
      ['ours', ours, untrustedUserText('how rich is A1 now')],
      ['stock', stock, ask(0)],
    ] as const) {
      const fixed = runtime.promptTokens(system, functions);
      const turn = runtime.promptTokens([...system, { type: 'user', text }], functions) - fixed;
      line(`prompt tokens, ${name}`, `static ${fixed}, the message ${turn}`);
    }

    const oursTurn = turnsThrough(ours, conversation);
    const stockTurn = stockTurns(s, stock, systemPrompt);
    const cold = { ours: await oursTurn('ours-a', ask(0)), stock: await stockTurn('stock-a', ask(0)) };
    line('cold first turn (empty cache), ours', describe(cold.ours));
    line('cold first turn (empty cache), stock', describe(cold.stock));
    const prewarm = await timed(() => agent.prewarm());
    line('prewarm (the static prompt, once), ours', seconds(prewarm.ms));
    const fresh = await oursTurn('ours-fresh', ask(0));
    line('new person after the prewarm, ours', describe(fresh));

    const warm: Record<'ours' | 'stock', Turn[]> = { ours: [], stock: [] };
    for (let i = 1; i <= 5; i++) {
      warm.ours.push(await oursTurn('ours-a', ask(i)));
      warm.stock.push(await stockTurn('stock-a', ask(i)));
    }
    line(
      'warm turns 1-5, ours (tokens)',
      warm.ours.map((t) => `${t.evaluated}+${t.generated}`).join(', ') +
        ' (the 5th starts the history window again: the memory forgot its first turn)',
    );
    const steady = { ours: warm.ours.slice(0, 4), stock: warm.stock.slice(0, 4) };
    for (const name of ['ours', 'stock'] as const) {
      const mid = [...steady[name]].sort((a, b) => a.ms - b.ms)[1]!;
      line(`warm turn (median of turns 1-4), ${name}`, describe(mid));
    }
    const ratio = median(steady.stock.map((t) => t.ms)) / median(steady.ours.map((t) => t.ms));
    line('warm turn: stock / ours', `${ratio.toFixed(2)}x`);
    line('warm turn 5 (window starts again), ours', describe(warm.ours[4]!));

    const messages = (people: number) => Array.from({ length: people }, (_, i) => ask(i));
    for (const people of [1, 4, 16]) {
      const who = people === 1 ? '1 person' : `${people} people`;
      await atOnce(`${who} at once, ours`, oursTurn, messages(people), 'ours');
      await atOnce(`${who} at once, stock`, stockTurn, messages(people), 'stock');
    }
    await ours.dispose();
    await stock.dispose();
    runtimes.length = 0;

    // The same 16 people with 4 sequences decoded in one batch (LLM_PARALLEL=4; the default above 2 threads): on
    // a CPU without spare compute, batching does not raise decode throughput (see the first lines).
    const batched = await loadRuntime({ parallel: 4 });
    const four = conversationFor(s, new LlamaChatModel(batched));
    await four.agent.prewarm();
    await atOnce(
      '16 people at once, ours, LLM_PARALLEL=4',
      turnsThrough(batched, four.conversation),
      messages(16),
      'ours',
    );
    await batched.dispose();
    runtimes.length = 0;

    // The pool path: a fresh contributor node with the same model, prewarmed by the bot when the pool admits it.
    const node = await loadRuntime();
    const key = devnetKeys(DEFAULT_DEVNET_MNEMONIC).validators[0]!.key;
    const server = await createContributorServer({
      key,
      network: 'testnet',
      engine: llamaEngine(node, 'bench'),
      prewarm: llamaPrewarm(node),
      model: 'bench',
      modelHash: '0'.repeat(64),
      publicUrl: 'http://127.0.0.1',
      logger: s.logger,
    });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    stopPool.push(() => server.close());
    const pool = await startCompute(loadConfig({ LLM_ENDPOINTS: url, LLM_TIMEOUT_MS: '60000' }), {
      db: s.db,
      node: s.client,
      wallet: s.wallet,
      network: 'testnet',
      devnet: s.devnet,
      announce: [],
      logger: s.logger,
    });
    stopPool.unshift(() => pool.stop());
    const viaPool = conversationFor(s, pool.llm);
    const poolPrewarm = await timed(() => viaPool.agent.prewarm());
    line('pool node prewarmed by the bot', seconds(poolPrewarm.ms));
    const poolTurn = turnsThrough(node, viaPool.conversation);
    const first = await poolTurn('pool-a', ask(0));
    line('first turn through a fresh pool node', describe(first));
    const poolWarm: Turn[] = [];
    for (let i = 1; i <= 3; i++) poolWarm.push(await poolTurn('pool-a', ask(i)));
    const poolMid = [...poolWarm].sort((a, b) => a.ms - b.ms)[1]!;
    line('warm turn through the pool (median of 3)', describe(poolMid));
    line('first turn through a fresh node / warm turn', `${(first.ms / poolMid.ms).toFixed(2)}x`);
    line('machine', `load average ${loadAverage()} at the end`);
  } finally {
    for (const stop of stopPool) await stop();
    for (const r of runtimes) await r.dispose();
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
