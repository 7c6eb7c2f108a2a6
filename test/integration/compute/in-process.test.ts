// Contributors that run the model themselves (`contribute --model <gguf>`, node-llama-cpp in process) rather than
// proxying another server: two of them serve the bot's agent a Qwen2.5-shaped scripted model. Every request is
// spot-checked, so each answer and its token counts must come out the same from both processes: the counts come
// from the model's own tokenizer and chat template, not from what a KV cache happened to reuse.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import type { Receipt } from '../../../compute/receipt.js';
import { DEFAULT_DEVNET_MNEMONIC, devnetKeys } from '../../../devnet/genesis.js';
import { dm } from '../../support/app.js';
import { startApp } from '../../support/bot-app.js';
import { spawnContributor, type ContributorProcess } from '../../support/contributor-process.js';
import { rows } from '../../support/db.js';
import { balanceCallScript, writeScriptedQwenModel } from '../../support/scripted-qwen-gguf.js';
import { waitFor } from '../../support/wait.js';

const keys = devnetKeys(DEFAULT_DEVNET_MNEMONIC);
const validator = (i: number) => keys.validators[i]!.key.publicKey().validatorAddress().toString('testnet');

let dir: string;
let modelHash: string;
const nodes: ContributorProcess[] = [];
let harness: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'compute-model-'));
  const modelPath = join(dir, 'qwen-scripted.gguf');
  writeScriptedQwenModel({
    path: modelPath,
    shape: { layers: 2, embedding: 256, heads: 4, kvHeads: 2, ff: 512 },
    ...balanceCallScript(),
  });
  modelHash = createHash('sha256').update(readFileSync(modelPath)).digest('hex');
  const args = ['--model', modelPath, '--threads', '1'];
  nodes.push(
    ...(await Promise.all([
      spawnContributor(dir, 'm0', keys.validators[0]!.key, args),
      spawnContributor(dir, 'm1', keys.validators[1]!.key, args),
    ])),
  );
  harness = await startApp({
    LLM_ENDPOINTS: nodes.map((n) => n.url).join(','),
    COMPUTE_MODELS: `${modelHash}:1500000000`,
    // The bot counts tokens with the same GGUF's vocabulary (loaded without its weights) and chat template.
    COMPUTE_TOKENIZERS: `${modelHash}=${modelPath}`,
    COMPUTE_SPOT_CHECK_RATE: '1',
    COMPUTE_MIN_STAKE_PAC: '100',
    LLM_TIMEOUT_MS: '60000',
  });
}, 120_000);
afterAll(async () => {
  await harness?.close();
  await Promise.all(nodes.map((n) => n.kill()));
  rmSync(dir, { recursive: true, force: true });
});

it('serves the agent from the model in process: receipts with exact token counts, spot checks agree', async () => {
  const app = harness.app;
  const endpoints = app.compute!.pool!.endpoints;
  expect(endpoints.map((e) => e.admission)).toEqual([
    expect.objectContaining({ ok: true, contributor: validator(0), modelHash }),
    expect.objectContaining({ ok: true, contributor: validator(1), modelHash }),
  ]);
  const someone = keys.accounts[0]!.address.toString('testnet');
  for (const text of [`how rich is ${someone} these days?`, `and how rich is ${someone} now?`])
    expect(replyToText(await app.conversation.handle(dm(text, 'asker')))).toContain(`${someone}: `);
  // The model called the balance tool each turn (its answer ends the turn): each completion re-run on the other.
  const checks = await waitFor(async () => {
    const list = await rows<{ contributor: string; outcome: string; reason: string }>(
      app.db,
      'SELECT contributor, outcome, reason FROM compute_checks',
    );
    return list.length >= 2 ? list : null;
  }, 60_000);
  expect(checks.map((c) => c.outcome)).toEqual(checks.map(() => 'pass'));
  const receipts = (
    await rows<{ receipt: string }>(app.db, 'SELECT receipt FROM compute_receipts ORDER BY id')
  ).map((row) => JSON.parse(row.receipt) as Receipt);
  // Each request and its re-run: both nodes credited, and for the same request the same counts.
  expect(new Set(receipts.map((r) => r.contributor))).toEqual(new Set([validator(0), validator(1)]));
  expect(receipts.length).toBeGreaterThanOrEqual(4);
  for (const r of receipts) expect(r.promptTokens).toBeGreaterThan(100);
  expect(receipts.some((r) => r.completionTokens > 0)).toBe(true);
  expect(new Set(receipts.map((r) => r.model))).toEqual(new Set(['qwen-scripted.gguf']));
  // node-llama-cpp's own counts (its Qwen chat wrapper with one-line tool docs) are what the node evaluated; the
  // template renders the tools in full, so the node claims less than the bot counts: credited its claim, never
  // flagged.
  const counted = await rows<{ counted_prompt: number; counted_completion: number; flag: string | null }>(
    app.db,
    'SELECT counted_prompt, counted_completion, flag FROM compute_receipts ORDER BY id',
  );
  expect(counted.map((c) => c.flag)).toEqual(counted.map(() => null));
  receipts.forEach((r, i) => {
    expect(r.promptTokens).toBeLessThanOrEqual(counted[i]!.counted_prompt);
    expect(r.completionTokens).toBeLessThanOrEqual(counted[i]!.counted_completion);
  });
}, 120_000);
