// The contract checker: how long a check takes (load, report, ABI checks, init in the sandbox), how long a
// simulation request takes end to end (worker start included), and how fast fuel-metered code runs.
import { loadContract } from '../contracts/load.js';
import { inspectModule } from '../contracts/inspect.js';
import { simulate } from '../contracts/sandbox.js';
import { checkContract } from '../contracts/service.js';
import { parseCalls } from '../contracts/calls.js';
import { COUNTER_WAT, INFINITE_LOOP_WAT } from '../test/support/contracts.js';
import { heading, summarizeLatencies } from './harness.js';

const context = { caller: 'tpc1bench', height: 1 };

export async function run(): Promise<void> {
  heading('contracts: check and simulate (worker thread per request)');
  await checkContract(COUNTER_WAT, context); // the jail's program is bundled once per process
  const checks: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await checkContract(COUNTER_WAT, context);
    checks.push(performance.now() - started);
  }
  summarizeLatencies('check the counter (WAT, init run)', checks);
  const { wasm } = await loadContract(COUNTER_WAT);
  const report = inspectModule(wasm);
  const calls = parseCalls('increment(); increment(); add(5); get()');
  const sims: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await simulate(wasm, report, calls, context);
    sims.push(performance.now() - started);
  }
  summarizeLatencies('simulate 4 counter calls', sims);
  const loop = await loadContract(INFINITE_LOOP_WAT);
  const spun = await simulate(loop.wasm, inspectModule(loop.wasm), parseCalls('spin()'), context);
  const fuel = spun.outcomes[0]!.fuelUsed;
  console.log(
    `${'infinite loop until out of fuel'.padEnd(44)} ${Math.round(spun.ms)} ms for ${fuel.toLocaleString('en-US')} fuel (${Math.round(fuel / (spun.ms / 1000)).toLocaleString('en-US')} units/s, worker start included)`,
  );
}
