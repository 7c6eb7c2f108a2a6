// The compute layer's costs: what the pool router adds to a request (against calling the server directly), how
// many receipts per second the bot can check (BLS signature verification dominates), and closing an epoch.
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { closeEpoch } from '../compute/epoch.js';
import { digest, signReceipt, verifyReceipt, type Receipt } from '../compute/receipt.js';
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
}
