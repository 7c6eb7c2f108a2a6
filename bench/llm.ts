// The LLM path on a model of Qwen2.5-1.5B-Instruct's exact shape (28 layers, hidden 1,536, 12/2 heads, FFN
// 8,960, Q4_0, Qwen's tokenizer and chat template), generated under the OS temp dir at bench time and deleted
// after. Its weights are scripted (test/support/scripted-qwen-gguf.ts): it answers every request with one
// `balance` tool call and, after a tool result, "Done.", so the bot's loop and the stock loop run their real
// course while CPU time is what the released model costs. Both run through the project's adapter, 2 threads:
//   ours:  BotAgent through the conversation (compact tool docs, placeholders, returnDirect, default sequences);
//   stock: LangChain createAgent (the wrapper's JSON-schema tool docs, the raw address, the model reads the
//          tool result and answers, one sequence).
// Where the message holds a real address (the stock loop), the scripted model writes as many tokens as copying
// that address takes (it cannot copy text, so the call names no real address and the tool refuses it; the loop
// still runs its course: the model reads the refusal and answers).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HumanMessage } from '@langchain/core/messages';
import { createAgent } from 'langchain';
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import type { Logger } from 'pino';
import { LlamaChatModel, LlamaRuntime, localLlama, toLlamaFunctions } from '../agents/models/llama-model.js';
import { turnKey } from '../agents/models/turn-key.js';
import { registryTools, TURN_KEY, type TurnState } from '../agents/tools.js';
import { loadPrompt, untrustedUserText } from '../prompts/index.js';
import { ensureChatAccount } from '../wallet/index.js';
import type { Conversation } from '../bot/core/conversation.js';
import { conversationFor, dm } from '../test/support/app.js';
import {
  balanceCallScript,
  copyCostArgument,
  QWEN_1_5B,
  writeScriptedQwenModel,
} from '../test/support/scripted-qwen-gguf.js';
import { startStack } from '../test/support/stack.js';
import { devnetAccount } from '../test/support/txs.js';
import { heading, percentile } from './harness.js';

const THREADS = 2;
const BUSY = 'Many people are asking at once';

const line = (label: string, value: string) => console.log(`${label.padEnd(44)} ${value}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

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
  line('generation, 3 sequences in one batch', `${((3 * 32 * 1000) / batch.ms).toFixed(1)} tok/s in all`);
  line(
    'prefill, generation speed',
    `${((tokens.length * 1000) / prefill.ms).toFixed(1)} tok/s (${tokens.length} tokens), ${((32 * 1000) / generation.ms).toFixed(1)} tok/s (32 tokens)`,
  );
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
  input: number;
  output: number;
}

/** One turn, with the model calls and tokens it cost on `runtime`. */
async function metered(runtime: LlamaRuntime, turn: () => Promise<boolean>): Promise<Turn> {
  const before = { ...runtime.usage };
  const { ms, value: busy } = await timed(turn);
  return {
    ms,
    busy,
    calls: runtime.usage.calls - before.calls,
    input: runtime.usage.inputTokens - before.inputTokens,
    output: runtime.usage.outputTokens - before.outputTokens,
  };
}

/** Turns of the bot's own path: a message through the conversation, answered by the model or the rules. */
function turnsThrough(runtime: LlamaRuntime, conversation: Conversation) {
  return (user: string, text: string) =>
    metered(runtime, async () => JSON.stringify(await conversation.handle(dm(text, user))).includes(BUSY));
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
      ? `${people - busy} by the model, ${busy} by the rules with a busy note`
      : `${busy} timed out (60 s)`;
  line(label, `median ${seconds(median(ms))}, slowest ${seconds(ms.at(-1)!)}; ${note}`);
}

export async function run(): Promise<void> {
  heading(
    `LLM path: Qwen2.5-1.5B shape (Q4_0, real tokenizer), ${THREADS} threads, ours vs stock createAgent`,
  );
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
    `${(statSync(modelPath).size / 2 ** 20).toFixed(0)} MiB in ${seconds(written.ms)}`,
  );

  try {
    const systemPrompt = loadPrompt('system');
    await rawSpeed(modelPath, systemPrompt.repeat(4), s.logger);
    const ask = (i: number) => `how rich is ${address} (${i})`;

    const ours = await LlamaRuntime.load(
      { modelPath, threads: THREADS, contextSize: 4096, queueWaitMs: 8000, maxTokens: 64 },
      s.logger,
    );
    const stock = await LlamaRuntime.load(
      {
        modelPath,
        threads: THREADS,
        contextSize: 4096,
        sequences: 1,
        queueWaitMs: 600_000,
        maxTokens: 64,
        stock: true,
      },
      s.logger,
    );
    const { conversation, agent, catalog, services } = conversationFor(s, new LlamaChatModel(ours));
    const stockAgent = createAgent({
      model: new LlamaChatModel(stock),
      tools: registryTools(catalog.actions, s.logger, { returnDirect: false }),
      systemPrompt,
    });

    // Exact prompt sizes, through each runtime's own wrapper and the model's tokenizer.
    const functions = toLlamaFunctions(registryTools(catalog.actions, s.logger));
    const system = [{ type: 'system' as const, text: systemPrompt }];
    for (const [name, runtime, text] of [
      ['ours', ours, untrustedUserText('how rich is A1 (1)')],
      ['stock', stock, ask(1)],
    ] as const) {
      const fixed = runtime.promptTokens(system, functions);
      const turn = runtime.promptTokens([...system, { type: 'user', text }], functions) - fixed;
      line(`prompt tokens, ${name}`, `static ${fixed}, the message ${turn}`);
    }

    const oursTurn = turnsThrough(ours, conversation);
    const stockTurn = async (user: string, text: string) =>
      metered(stock, async () => {
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
            stockAgent.invoke(
              { messages: [new HumanMessage(text)] },
              {
                configurable: { [TURN_KEY]: state },
                recursionLimit: 13,
                signal: AbortSignal.timeout(60_000),
              },
            ),
          )
          .then(
            () => false,
            () => true, // timed out
          );
      });

    const describe = (t: Turn) =>
      `${seconds(t.ms)} (${t.calls} calls, ${t.input} prompt + ${t.output} generated tokens)`;
    const results: Record<string, { cold: Turn; warm: Turn[] }> = {};
    for (const [name, turn] of [
      ['ours', oursTurn],
      ['stock', stockTurn],
    ] as const) {
      const cold = await turn(`${name}-a`, ask(0));
      const warm: Turn[] = [];
      for (let i = 1; i <= 5; i++) warm.push(await turn(`${name}-a`, ask(i)));
      results[name] = { cold, warm };
      line(`cold first turn (empty cache), ${name}`, describe(cold));
      const mid = [...warm].sort((a, b) => a.ms - b.ms)[2]!;
      line(`warm turn (median of 5), ${name}`, describe(mid));
    }
    const warmOurs = median(results.ours!.warm.map((t) => t.ms));
    const warmStock = median(results.stock!.warm.map((t) => t.ms));
    line('warm turn: stock / ours', `${(warmStock / warmOurs).toFixed(2)}x`);

    const prewarm = await timed(() => agent.prewarm());
    line(`prewarm (system prompt into ${ours.sequences} sequence(s))`, seconds(prewarm.ms));
    const fresh = await oursTurn('ours-fresh', ask(0));
    line('first turn of a new person, prewarmed, ours', describe(fresh));

    const messages = (people: number) => Array.from({ length: people }, (_, i) => ask(100 + i));
    for (const people of [1, 4, 16]) {
      await atOnce(`${people} people at once, ours`, oursTurn, messages(people), 'ours');
      await atOnce(`${people} people at once, stock`, stockTurn, messages(people), 'stock');
    }
    await ours.dispose();
    await stock.dispose();

    // The same 16 people on 4 sequences decoded in one batch (LLM_PARALLEL=4; the default on more than 2
    // threads): on a CPU without spare compute, batching does not raise decode throughput (see the first lines),
    // so interleaving people makes each answer later than a queue does.
    const batched = await LlamaRuntime.load(
      { modelPath, threads: THREADS, contextSize: 4096, sequences: 4, queueWaitMs: 8000, maxTokens: 64 },
      s.logger,
    );
    const four = conversationFor(s, new LlamaChatModel(batched));
    await four.agent.prewarm();
    const batchedTurn = turnsThrough(batched, four.conversation);
    await atOnce('16 people at once, ours, LLM_PARALLEL=4', batchedTurn, messages(16), 'ours');
    await batched.dispose();
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
