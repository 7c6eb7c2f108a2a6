// gRPC client <-> devnet over loopback: GetAccount latency and throughput, broadcast -> committed latency.
import { PactusNodeClient } from '../chain/client.js';
import { startDevnet } from '../devnet/index.js';
import { waitForConfirmation } from '../chain/watcher.js';
import { PAC, devnetAccount, signedTx, transfer } from '../test/support/txs.js';
import { heading, summarizeLatencies } from './harness.js';

export async function run(): Promise<void> {
  const blockMs = Number(process.env.DEVNET_BLOCK_MS ?? 1000);
  heading(`node (gRPC over loopback, devnet blocks every ${blockMs} ms)`);
  const devnet = await startDevnet({ blockMs });
  const client = new PactusNodeClient({ endpoints: [devnet.endpoint] });
  const address = devnet.chain.keys.accounts[0]!.address.toString('testnet');

  for (let i = 0; i < 200; i++) await client.getAccount(address); // warm up
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    await client.getAccount(address);
    samples.push(performance.now() - t);
  }
  summarizeLatencies('GetAccount (sequential)', samples);

  const concurrency = 32;
  const total = 10_000;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (done < total) {
        done++;
        await client.getAccount(address);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `${`GetAccount throughput (${concurrency} in flight)`.padEnd(44)} ${Math.round(total / seconds).toLocaleString('en-US')} calls/s`,
  );

  // The node-health check every draft and tracker pass makes (chain/health.ts): GetBlockchainInfo, plus
  // GetBlockHash(1) once per endpoint. Uncached is what a draft costs when none ran in the last second.
  const fresh = new PactusNodeClient({ endpoints: [devnet.endpoint], health: { cacheMs: 0 } });
  for (let i = 0; i < 100; i++) await fresh.ensureHealthy();
  const checks: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    await fresh.ensureHealthy();
    checks.push(performance.now() - t);
  }
  summarizeLatencies('node health check (uncached)', checks);
  const cached: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    await client.ensureHealthy();
    cached.push(performance.now() - t);
  }
  summarizeLatencies('node health check (cached 1 s)', cached);
  fresh.close();

  // Block production with the committee's draw and a full transfer pool (devnet/committee.ts, devnet/pool.ts).
  devnet.pauseBlocks();
  const blockTimes: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    devnet.chain.produceBlock();
    blockTimes.push(performance.now() - t);
  }
  summarizeLatencies('devnet empty block (draw included)', blockTimes);
  devnet.resumeBlocks();

  const from = devnetAccount(devnet, 'ed25519-account', 0);
  const to = devnetAccount(devnet, 'ed25519-account', 1).address;
  const commits: number[] = [];
  for (let i = 0; i < 10; i++) {
    const { hex, tx } = signedTx(devnet, from.key, transfer(from.address, to, PAC), { memo: `bench ${i}` });
    const t = performance.now();
    const id = await client.broadcastTransaction(hex);
    await waitForConfirmation(client, id, { lockTime: tx.lockTime, pollMs: 25 });
    commits.push(performance.now() - t);
  }
  summarizeLatencies('broadcast -> committed (devnet)', commits);
  client.close();
  await devnet.stop();
}
