// The contract checker: how long a check takes (a fresh jail process, load, report, ABI checks, init run), how
// long a simulation request takes end to end, how fast fuel-metered code runs, and what hostile contracts cost:
// their time, the jail's peak memory, and the bot's (which should not move).
import { readFileSync } from 'node:fs';
import { loadContract } from '../contracts/load.js';
import { inspectModule } from '../contracts/inspect.js';
import { simulate } from '../contracts/sandbox.js';
import { checkContract } from '../contracts/service.js';
import { parseCalls } from '../contracts/calls.js';
import { COUNTER_WAT, INFINITE_LOOP_WAT } from '../test/support/contracts.js';
import { ISSUE_CHAT_BOMB, nestedBlocks } from '../test/support/hostile-wasm.js';
import { heading, summarizeLatencies } from './harness.js';

const context = { caller: 'tpc1bench', height: 1 };
const rssMb = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

async function latencies(name: string, n: number, run: () => Promise<unknown>): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  summarizeLatencies(name, samples);
}

export async function run(): Promise<void> {
  heading('contracts: check and simulate (a jail process per request)');
  await checkContract(COUNTER_WAT, context); // the jail's program is bundled once per process
  await latencies('check the counter (WAT, init run)', 20, () => checkContract(COUNTER_WAT, context));
  const { wasm } = await loadContract(COUNTER_WAT);
  await latencies('check the counter (.wasm, init run)', 20, () => checkContract(wasm, context));
  const report = inspectModule(wasm);
  const calls = parseCalls('increment(); increment(); add(5); get()');
  await latencies('simulate 4 counter calls', 20, () => simulate(wasm, report, calls, context));
  const loop = await loadContract(INFINITE_LOOP_WAT);
  const spun = await simulate(loop.wasm, inspectModule(loop.wasm), parseCalls('spin()'), context);
  const fuel = spun.outcomes[0]!.fuelUsed;
  console.log(
    `${'infinite loop until out of fuel'.padEnd(44)} ${Math.round(spun.ms)} ms for ${fuel.toLocaleString('en-US')} fuel (${Math.round(fuel / (spun.ms / 1000)).toLocaleString('en-US')} units/s, jail start included)`,
  );

  heading('contracts: hostile input (the issue)');
  const rssBefore = rssMb();
  const nested = nestedBlocks(60_000).input as Uint8Array;
  let started = performance.now();
  const checked = await checkContract(nested, context);
  console.log(
    `${'check 60,000 nested blocks (180 KB)'.padEnd(44)} ${Math.round(performance.now() - started)} ms, init ${checked.init?.outcomes[0]?.ok ? 'ran' : 'failed'}, jail peak ${Math.round((checked.init?.peakKb ?? 0) / 1024)} MiB`,
  );
  started = performance.now();
  const bomb = await checkContract(ISSUE_CHAT_BOMB, context);
  const blown = await simulate(bomb.loaded.wasm, bomb.report, parseCalls('x()'), context);
  console.log(
    `${'the 219-character chat bomb: check and x()'.padEnd(44)} ${Math.round(performance.now() - started)} ms, jail peak ${Math.round((blown.peakKb ?? 0) / 1024)} MiB: ${blown.outcomes[0]!.error!.slice(0, 60)}…`,
  );
  console.log(
    `${"the bot's resident memory meanwhile".padEnd(44)} ${rssBefore.toFixed(0)} MiB -> ${rssMb().toFixed(0)} MiB`,
  );
}
