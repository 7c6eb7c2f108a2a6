// The compute layer's costs: what the pool router adds to a request (against calling the server directly), how
// many receipts per second the bot can check (BLS signature verification dominates), and closing an epoch.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { closeDatabase, openDatabase, transaction } from '../db/connection.js';
import { bundleOf, closeEpoch } from '../compute/epoch.js';
import { verifyEpochBundle } from '../compute/epoch-verify.js';
import { operatorKey, testManifest } from '../test/support/deployment.js';
import { meteringOf, receiptsOf, storeEpoch, storeReceipt, storeSpotCheck } from '../compute/ledger.js';
import { digest, receiptLeaf, signReceipt, verifyReceipt, type Receipt } from '../compute/receipt.js';
import { isDue, ratePpm, seedCommitment } from '../compute/spot-sampling.js';
import { loadTokenCounters } from '../compute/tokenizer.js';
import { writeTinyQwenModel } from '../test/support/scripted-qwen-gguf.js';
import { InferenceRouter } from '../compute/router.js';
import { ReceiptVerifier } from '../compute/verifier.js';
import { PrivateKey } from '../pactus/keys.js';
import { startOpenAiEmulator } from '../test/support/emulators/openai.js';
import { formatRate, heading, opsPerSecond, summarizeLatencies } from './harness.js';

const BODY = JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: 'what is pactus?' }] });

async function timed(n: number, call: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return samples;
}

export async function run(): Promise<void> {
  heading('compute: router overhead, receipt checks, epoch close');
  const servers = await Promise.all([startOpenAiEmulator(), startOpenAiEmulator(), startOpenAiEmulator()]);
  const router = new InferenceRouter({
    urls: servers.map((s) => s.url),
    logger: pino({ level: 'silent' }),
    deadlineMs: 5_000,
  });
  await router.start();
  const direct = () =>
    fetch(`${servers[0]!.url}/v1/chat/completions`, { method: 'POST', body: BODY }).then((r) => r.text());
  const routed = () =>
    router
      .fetch('http://inference-pool.invalid/v1/chat/completions', { method: 'POST', body: BODY })
      .then((r) => r.text());
  await timed(50, direct);
  await timed(50, routed);
  const d = summarizeLatencies('direct POST to one server', await timed(500, direct));
  const r = summarizeLatencies('through the router (3 endpoints)', await timed(500, routed));
  console.log(
    `  router overhead: p50 ${(r.p50 - d.p50).toFixed(2)} ms, p99 ${(r.p99 - d.p99).toFixed(2)} ms`,
  );
  router.stop();
  await Promise.all(servers.map((s) => s.close()));

  const key = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(9));
  const receipts: Receipt[] = Array.from({ length: 200 }, (_, i) =>
    signReceipt(
      key,
      {
        contributor: key.publicKey().validatorAddress().toString('testnet'),
        requestHash: digest(`q${i}`),
        responseHash: digest(`a${i}`),
        promptTokens: 600,
        completionTokens: 40,
        model: 'tiny',
        modelHash: digest('model'),
        timestamp: Date.now(),
      },
      'testnet',
    ),
  );
  let i = 0;
  const rate = opsPerSecond('check a receipt (BLS verify)', () =>
    verifyReceipt(receipts[i++ % receipts.length]!, 'testnet'),
  );
  console.log(`  receipt checks: ${formatRate(rate)}/s on the event loop`);
  for (const threads of [...new Set([1, availableParallelism()])]) {
    const verifier = new ReceiptVerifier(threads);
    await verifier.verify(receipts[0]!, 'testnet'); // the thread starts (tsx loads) before timing
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const t0 = performance.now();
    await Promise.all(receipts.map((r) => verifier.verify(r, 'testnet')));
    const seconds = (performance.now() - t0) / 1000;
    delay.disable();
    console.log(
      `  receipt checks in ${threads} worker thread(s): ${formatRate(receipts.length / seconds)}/s, event loop delay meanwhile p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms (max ${(delay.max / 1e6).toFixed(1)} ms)`,
    );
    await verifier.close();
  }
  const many = Array.from({ length: 10_000 }, (_, n) => ({ ...receipts[n % 200]!, timestamp: n }));
  const started = performance.now();
  closeEpoch({
    epoch: 0,
    startHeight: 0,
    endHeight: 8640,
    rewardPerBlock: 350_000_000n,
    models: { [digest('model')]: 1_500_000_000n },
    receipts: many,
    zeroed: {},
  });
  console.log(
    `  close an epoch of 10,000 receipts (leaf hashes, Merkle root, split): ${(performance.now() - started).toFixed(0)} ms`,
  );
  await countingRate();
  await meteredClose();
}

/** A request shaped like the agent's: a system prompt, a few turns, and 19 tools with JSON-schema parameters. */
function agentLikeRequest(n: number): { body: string; response: Record<string, unknown> } {
  const tools = Array.from({ length: 19 }, (_, i) => ({
    type: 'function',
    function: {
      name: `action_${i}`,
      description: `Does thing ${i} for the person: looks up the chain, drafts a transaction or answers a question.`,
      parameters: {
        type: 'object',
        properties: {
          address: { type: 'string', minLength: 1, maxLength: 100 },
          amount: { type: 'string', minLength: 1, maxLength: 40 },
          kind: { type: 'string', enum: ['transfer', 'batch', 'stake', 'unstake', 'withdraw'] },
        },
        additionalProperties: false,
      },
    },
  }));
  const messages = [
    { role: 'system', content: 'You are the Pactus chat bot. '.repeat(40) },
    { role: 'user', content: `what is my balance, question ${n}?` },
    { role: 'assistant', content: 'Your balance is 12.5 PAC on tpc1zabc.' },
    { role: 'user', content: `and how much is staked? ${n}` },
  ];
  return {
    body: JSON.stringify({ model: 'm', messages, tools, temperature: 0, top_p: 1, seed: n }),
    response: {
      choices: [{ message: { role: 'assistant', content: `You stake 1,000 PAC with validator ${n}.` } }],
    },
  };
}

/** Tokens the bot counts per second (prompt and completion of agent-shaped requests), per tokenizer source. */
async function countingRate(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-count-'));
  const path = join(dir, 'qwen-tiny.gguf');
  writeTinyQwenModel(path);
  const [gguf, pkg] = [digest('gguf'), digest('package')];
  const counters = await loadTokenCounters({ [gguf]: path, [pkg]: 'qwen2.5' });
  const requests = Array.from({ length: 40 }, (_, n) => agentLikeRequest(n));
  for (const [name, hash] of [
    ['the GGUF vocabulary (llama.cpp)', gguf],
    ['the qwen2.5 package (JavaScript)', pkg],
  ] as const) {
    const counter = counters.of(hash)!;
    counter.count(requests[0]!.body, requests[0]!.response); // warm
    let tokens = 0;
    let answers = 0;
    const started = performance.now();
    while (performance.now() - started < 2_000) {
      const { body, response } = requests[answers++ % requests.length]!;
      const counted = counter.count(body, response);
      tokens += counted.prompt + counted.completion;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `  tokens counted by the bot with ${name}: ${formatRate(tokens / seconds)} tokens/s (${formatRate(answers / seconds)} answers/s of ${Math.round(tokens / answers)} tokens)`,
    );
  }
  await counters.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Closing an epoch of 10,000 receipts from the database as the bot does: reading receipts, counts and spot checks,
 * the books with min(claimed, counted), the bundle with the revealed seed, storing it; and re-checking its
 * metering as verify-epoch does (signatures aside, measured above).
 */
async function meteredClose(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-close-'));
  const db = await openDatabase(join(dir, 'bot.db'));
  const keys = Array.from({ length: 4 }, (_, i) =>
    PrivateKey.fromBytes('bls', new Uint8Array(32).fill(20 + i)),
  );
  const contributors = keys.map((k) => k.publicKey().validatorAddress().toString('testnet'));
  const seed = digest('bench seed');
  const commitment = seedCommitment(seed);
  const rate = 0.05;
  // One signature per contributor, reused with other timestamps: signatures are not what this measures.
  const receipts: Receipt[] = Array.from({ length: 10_000 }, (_, n) => ({
    contributor: contributors[n % 4]!,
    requestHash: digest(`request ${n}`),
    responseHash: digest(`answer ${n}`),
    promptTokens: 2_000,
    completionTokens: 40,
    model: 'tiny',
    modelHash: digest('model'),
    timestamp: n,
    commitment,
    publicKey: keys[n % 4]!.publicKey().toString('testnet'),
    signature: 'not measured',
  }));
  const filled = performance.now();
  // Filled in one transaction: the bot stores receipts one by one as they come, which is not what this measures.
  await transaction(db, async (tx) => {
    for (const r of receipts)
      await storeReceipt(tx, 0, r, 0, { counted: { prompt: 1_990, completion: 40 }, flag: null });
    for (const r of receipts)
      if (isDue(seed, receiptLeaf(r), ratePpm(rate)))
        await storeSpotCheck(
          tx,
          0,
          {
            request: r.requestHash,
            leaf: receiptLeaf(r),
            contributor: r.contributor,
            reruns: [],
            outcome: 'unchecked',
            failed: null,
            detail: 'bench',
          },
          0,
        );
  });
  const fillMs = performance.now() - filled;
  const started = performance.now();
  const stored = await receiptsOf(db, 0);
  const { counted, flagged, checks } = await meteringOf(db, 0);
  const books = {
    epoch: 0,
    startHeight: 0,
    endHeight: 8640,
    rewardPerBlock: 350_000_000n,
    models: { [digest('model')]: 1_500_000_000n },
    receipts: stored,
    zeroed: {},
    counted,
    flagged,
    spotChecks: { ratePpm: ratePpm(rate), commitment, seed, checks },
  };
  const bundle = bundleOf(books, 'testnet', closeEpoch(books));
  await storeEpoch(db, bundle, 0);
  const closeMs = performance.now() - started;
  const verified = performance.now();
  const manifest = testManifest(operatorKey(7), {
    compute: {
      pool: null,
      models: { [digest('model')]: '1500000000' },
      minStake: '1',
      epochBlocks: books.endHeight - books.startHeight,
      rewardPerBlock: books.rewardPerBlock.toString(),
      spotCheckPpm: ratePpm(rate),
    },
  });
  const { problems } = await verifyEpochBundle(bundle, manifest, async (rs) => rs.map(() => null));
  const verifyMs = performance.now() - verified;
  console.log(
    `  close an epoch of 10,000 receipts from SQLite with counts and ${checks.length} spot checks (read, books, bundle, store): ${closeMs.toFixed(0)} ms (filling it: ${(fillMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `  re-check its books and spot checks as verify-epoch does, signatures aside: ${verifyMs.toFixed(0)} ms (${problems.length} problems)`,
  );
  await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}
