// The jail's program: one job, then exit. jail.ts bundles this file (esbuild) and starts it in a fresh Node
// process under a memory ceiling (RLIMIT_DATA), a JavaScript heap limit, a cap on every WebAssembly memory and a
// wall-clock timer, with an empty environment. Nothing here outlives the job: a parser that one input breaks, or
// a module that exhausts a limit, takes only this process with it.
import { readFileSync } from 'node:fs';
import { checkModule } from '../checks.js';
import { ContractError } from '../errors.js';
import type { ContractLimits } from '../limits.js';
import { reportOf } from '../inspect.js';
import { instrumentModule, OverCap } from '../wasm/instrument.js';
import { WasmDecodeError } from '../wasm/bytes.js';
import { decodeModule } from '../wasm/module.js';
import { runCalls } from './host.js';
import type { JailJob, JailMessage } from './protocol.js';
import { OUT_OF_MEMORY, outOfMemory, readContract } from './read-contract.js';

function send(message: JailMessage): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())),
  );
}

function peakKb(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function run(job: JailJob): Promise<void> {
  const { limits } = job;
  let wasm: Uint8Array<ArrayBuffer>;
  if (job.op === 'run') {
    // Checked when it was stored, but validated again: instrumentation must only ever see a valid module (an
    // invalid one could name the fuel global by an index that did not exist before).
    wasm = new Uint8Array(job.wasm);
    if (!WebAssembly.validate(wasm))
      throw new ContractError('That contract is not a valid WebAssembly module.');
  } else {
    const loaded = await readContract(job.input, job.wabt, limits);
    await send({ kind: 'loaded', wasm: loaded.wasm, source: loaded.source });
    if (job.op === 'load') return;
    wasm = loaded.wasm;
  }
  const decoded = decodeModule(wasm);
  let calls: Extract<JailJob, { op: 'run' }>['calls'];
  if (job.op === 'check') {
    const report = reportOf(wasm, decoded);
    const findings = checkModule(report, limits);
    await send({ kind: 'checked', report, findings });
    if (findings.some((f) => f.level === 'error')) return;
    calls = [{ fn: 'init', params: [], args: [] }];
  } else calls = job.calls;
  let sandbox;
  try {
    sandbox = instrumentModule(wasm, decoded, limits);
  } catch (error) {
    if (error instanceof OverCap) throw new ContractError(`It cannot run in the sandbox: ${error.message}.`);
    throw error;
  }
  const module = await WebAssembly.compile(sandbox.wasm);
  await send({ kind: 'running' });
  await runCalls(module, sandbox, calls, job.context, limits, (outcome, storage) =>
    send({ kind: 'outcome', outcome, storage }),
  );
}

/** What the person is told when the job failed: a ContractError's own words, a decoding error's, or a plain line. */
function refusal(error: unknown, limits: ContractLimits): string {
  if (error instanceof ContractError) return error.message;
  if (error instanceof WasmDecodeError) return `The contract could not be read: ${error.message}.`;
  if (error instanceof Error && OUT_OF_MEMORY.test(error.message)) return outOfMemory(limits);
  return 'The contract could not be read: the checker failed on it.';
}

async function main(job: JailJob): Promise<void> {
  try {
    await run(job);
  } catch (error) {
    await send({ kind: 'refused', message: refusal(error, job.limits) });
  }
  await send({ kind: 'done', peakKb: peakKb() });
}

process.on('disconnect', () => process.exit(0)); // the bot went away: so does the jail
process.once('message', (job: JailJob) => void main(job).finally(() => process.exit(0)));
