// The prompt the model reads, counted exactly: Qwen2.5's real tokenizer and chat template in a generated GGUF,
// rendered through node-llama-cpp's Qwen chat wrapper with our compact tool documentation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { LlamaRuntime, toLlamaFunctions } from '../../../agents/models/llama-model.js';
import { Placeholders } from '../../../agents/placeholders.js';
import { registryTools } from '../../../agents/tools.js';
import { loadPrompt, untrustedUserText } from '../../../prompts/index.js';
import { writeTinyQwenModel } from '../../support/scripted-qwen-gguf.js';

const logger = pino({ level: 'silent' });
let dir: string;
let compact: LlamaRuntime;
let stock: LlamaRuntime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qwen-'));
  const modelPath = join(dir, 'qwen-tokenizer.gguf');
  writeTinyQwenModel(modelPath);
  compact = await LlamaRuntime.load({ modelPath, threads: 1, contextSize: 4096 }, logger);
  stock = await LlamaRuntime.load({ modelPath, threads: 1, contextSize: 4096, stock: true }, logger);
}, 60_000);
afterAll(async () => {
  await compact?.dispose();
  await stock?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const functions = () => toLlamaFunctions(registryTools(buildRegistry().actions, logger))!;
const system = () => [{ type: 'system' as const, text: loadPrompt('system') }];

it('resolves to the Qwen wrapper from the real template, and the static prompt is at most 400 tokens', () => {
  expect(compact.chat.chatWrapper.wrapperName).toBe('Qwen');
  const tokens = compact.promptTokens(system(), functions());
  const stockTokens = stock.promptTokens(system(), functions());
  console.log(`static prompt: ${tokens} tokens (stock tool documentation: ${stockTokens})`);
  expect(tokens).toBeLessThanOrEqual(400);
  expect(tokens).toBeLessThan(stockTokens / 2);
});

it('documents each tool the model is offered on one line, with the call syntax of the wrapper', () => {
  const { contextText } = compact.chat.chatWrapper.generateContextState({
    chatHistory: system(),
    availableFunctions: functions(),
  });
  const text = contextText.toString();
  expect(text).toMatch(/^send\(to, amount, memo\?, from\?\): /m);
  expect(text).toMatch(/^vote\(proposal, choice: yes\|no\|abstain, addresses\?\): /m);
  expect(text).toContain('<tool_call>');
  expect(text).not.toMatch(/"type":/); // no JSON schemas
  expect(text).not.toMatch(/^link\(/m); // what the rules serve is not offered
});

it('a turn with placeholders costs a few tokens; the address it replaces would cost dozens', () => {
  const address = 'tpc1zq9xgsh6l4qt7dnc6ahnmsrpnz3vxlzf8e7l6fc';
  const message = `could you send 12.5 PAC to ${address} please`;
  const placeholders = new Placeholders();
  const turn = (text: string) =>
    compact.promptTokens([...system(), { type: 'user', text: untrustedUserText(text) }], functions()) -
    compact.promptTokens(system(), functions());
  const masked = turn(placeholders.mask(message));
  const raw = turn(message);
  console.log(`one turn: ${masked} tokens with placeholders, ${raw} without`);
  expect(raw - masked).toBeGreaterThan(15);
  // The person's words and the user turn's own tokens, nothing else (no frame around them: 12 tokens a turn).
  expect(masked).toBe(14);
});
