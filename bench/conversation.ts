// The conversation core: message -> Reply latency on the rules path (devnet + SQLite), throughput with 100
// concurrent users, and for the LLM path the prompt size per turn and model calls per turn.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlamaChatModel, LlamaRuntime, toLlamaFunctions } from '../agents/models/llama-model.js';
import { Placeholders } from '../agents/placeholders.js';
import { registryTools } from '../agents/tools.js';
import { loadPrompt, untrustedUserText } from '../prompts/index.js';
import { addLinkedAddress, ensureChatAccount } from '../wallet/index.js';
import { conversationFor, dm } from '../test/support/app.js';
import { buildVocab, functionCallScript, successorsFrom, writeScriptedModel } from '../test/support/gguf.js';
import { startStack, type Stack } from '../test/support/stack.js';
import { writeTinyQwenModel } from '../test/support/scripted-qwen-gguf.js';
import { devnetAccount } from '../test/support/txs.js';
import { heading, summarizeLatencies } from './harness.js';

/** Console users u0..u{count-1}, each with devnet account ed25519 0 linked (the sender of the bench's drafts). */
export async function linkBenchUsers(s: Stack, count: number): Promise<void> {
  const sender = devnetAccount(s.devnet, 'ed25519-account', 0).address.toString('testnet');
  for (let u = 0; u < count; u++)
    await addLinkedAddress(
      s.db,
      await ensureChatAccount(s.db, { platform: 'console', userId: `u${u}` }),
      sender,
    );
}

export async function run(): Promise<void> {
  heading('conversation (rules model, devnet, SQLite)');
  const s = await startStack({ devnet: { blockMs: 1000 } });
  const { conversation, catalog } = conversationFor(s);
  const t = (k: { address: { toString(n: 'testnet'): string } }) => k.address.toString('testnet');
  const to = t(devnetAccount(s.devnet, 'ed25519-account', 1));
  const messages = [
    "what's my balance",
    `send 1.5 PAC to ${to} memo bench`,
    'help',
    `balance of ${to}`,
    'what is the fee',
  ];
  await linkBenchUsers(s, 100);

  for (let i = 0; i < 50; i++) await conversation.handle(dm(messages[i % messages.length]!, 'u0'));
  const byKind = new Map<string, number[]>();
  for (let i = 0; i < 1000; i++) {
    const text = messages[i % messages.length]!;
    const started = performance.now();
    await conversation.handle(dm(text, `u${i % 100}`));
    const kind = text.startsWith('send')
      ? 'send (draft + link)'
      : text.startsWith('what') && text.includes('balance')
        ? 'my balance'
        : text.split(' ')[0]!;
    (byKind.get(kind) ?? byKind.set(kind, []).get(kind)!).push(performance.now() - started);
  }
  summarizeLatencies('all messages, sequential', [...byKind.values()].flat());
  for (const [kind, samples] of byKind) summarizeLatencies(`  ${kind}`, samples);

  const total = 3000;
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 100 }, async (_, u) => {
      while (sent < total) {
        const i = sent++;
        await conversation.handle(dm(messages[i % messages.length]!, `u${u}`));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${'throughput, 100 concurrent users'.padEnd(44)} ${Math.round(total / seconds).toLocaleString('en-US')} messages/s`,
  );

  heading('LLM path: prompt size (exact: Qwen2.5 tokenizer and chat wrapper) and model calls per turn');
  const tools = registryTools(catalog.actions, s.logger);
  const functions = toLlamaFunctions(tools)!;
  const system = [{ type: 'system' as const, text: loadPrompt('system') }];
  const qwenDir = mkdtempSync(join(tmpdir(), 'bench-qwen-'));
  writeTinyQwenModel(join(qwenDir, 'q.gguf'));
  const counters = {
    compact: await LlamaRuntime.load(
      { modelPath: join(qwenDir, 'q.gguf'), threads: 1, contextSize: 4096 },
      s.logger,
    ),
    stock: await LlamaRuntime.load(
      { modelPath: join(qwenDir, 'q.gguf'), threads: 1, contextSize: 4096, stock: true },
      s.logger,
    ),
  };
  const message = `send 5 PAC to ${to} with memo rent`;
  for (const [name, runtime] of Object.entries(counters)) {
    const staticTokens = runtime.promptTokens(system, functions);
    const turn = (text: string) =>
      runtime.promptTokens([...system, { type: 'user', text: untrustedUserText(text) }], functions) -
      staticTokens;
    const masked = name === 'compact' ? new Placeholders().mask(message) : message;
    console.log(
      `${`static prompt, ${name} tool docs (${tools.length} tools)`.padEnd(44)} ${staticTokens} tokens; one turn ${turn(masked)} tokens${name === 'compact' ? ' (placeholders)' : ' (raw address)'}`,
    );
    await runtime.dispose();
  }
  rmSync(qwenDir, { recursive: true, force: true });

  const dir = mkdtempSync(join(tmpdir(), 'bench-gguf-'));
  const call = functionCallScript('balance', ['{"address": "', 'A1', '"}']);
  const vocab = buildVocab(call.tokens);
  writeScriptedModel({ path: join(dir, 'm.gguf'), vocab, successors: successorsFrom(vocab, call.pairs) });
  const runtime = await LlamaRuntime.load(
    { modelPath: join(dir, 'm.gguf'), threads: 1, contextSize: 16384, maxTokens: 64 },
    s.logger,
  );
  const llm = conversationFor(s, new LlamaChatModel(runtime));
  const turns = 10;
  for (let i = 0; i < turns; i++)
    await llm.conversation.handle(dm(`how rich is ${to} (${i})`, `llm${i % 3}`));
  console.log(
    `${'model calls per single-intent turn (LLM)'.padEnd(44)} ${(runtime.usage.calls / turns).toFixed(2)} (the action's Reply ends the turn)`,
  );
  for (let i = 0; i < turns; i++) await llm.conversation.handle(dm(`balance of ${to}`, `fast${i}`));
  console.log(
    `${'model calls per turn on the rules fast path'.padEnd(44)} ${((runtime.usage.calls - turns) / turns).toFixed(2)}`,
  );
  console.log(
    `${'tokens evaluated, first turn vs later (tiny model)'.padEnd(44)} cache reuse: ${runtime.usage.inputTokens} input tokens over ${runtime.usage.calls} calls`,
  );
  await runtime.dispose();
  rmSync(dir, { recursive: true, force: true });
  await s.close();
}
