// Hostile contracts generated at test time, through the checker the chat, the upload page and the CLI share
// (checkContract, then simulate): every family ends as a report that names the limit, the bot's own memory stays
// bounded (its VmHWM, reset before), each jail stays under its ceiling, one contract that breaks the WAT compiler
// breaks nothing after it, and every limit is the runtime's to enforce (a jail given less heap, memory or time
// is stopped by V8, the kernel or the timer, and says which). The chat, upload and CLI paths have their own files.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCalls } from '../../../contracts/calls.js';
import { ContractError } from '../../../contracts/errors.js';
import { CONTRACT_LIMITS } from '../../../contracts/limits.js';
import { loadContract } from '../../../contracts/load.js';
import { simulate } from '../../../contracts/sandbox.js';
import { checkContract } from '../../../contracts/service.js';
import { inspectModule } from '../../../contracts/inspect.js';
import { buildModule, op } from '../../support/wasm-build.js';
import { COUNTER_WAT, INFINITE_LOOP_WAT, peakMemoryKb, resetPeakMemory } from '../../support/contracts.js';
import {
  hostileSample,
  ISSUE_CHAT_BOMB,
  nestedBlocks,
  watNesting,
  type Hostile,
} from '../../support/hostile-wasm.js';
import fc from 'fast-check';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const context = { caller: 'tpc1zhostile', height: 7 };
/** Processes whose parent is `pid` (from /proc/<pid>/stat: the fourth field). */
const childrenOf = (pid: number) =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(d)] : [];
      } catch {
        return [];
      }
    });
const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
const line = (o: { fn: string; ok: boolean; result: string | null; error: string | null }) =>
  o.ok ? `${o.fn} → ${o.result ?? 'done'}` : `${o.fn} stopped: ${o.error}`;
/** A finished jail's VmHWM stays under its data ceiling plus the Node binary's resident text. */
const JAIL_PEAK_KB = (CONTRACT_LIMITS.processMb + 100) * 1024;

let counterWasm: Uint8Array;
let before = 0;
beforeAll(async () => {
  counterWasm = (await loadContract(COUNTER_WAT)).wasm;
  before = resetPeakMemory();
});

/** Sends one hostile contract through check (and simulate), asserting the words it must end with. */
async function attack(h: Hostile): Promise<void> {
  const why = h.family;
  let result;
  try {
    result = await checkContract(h.input, context);
  } catch (error) {
    expect(error, why).toBeInstanceOf(ContractError);
    const message = (error as Error).message;
    if ('refused' in h.expect) expect(message, why).toMatch(h.expect.refused);
    else if ('refusedOrReported' in h.expect) expect(message, why).toMatch(h.expect.refusedOrReported);
    else expect.fail(`${why}: refused with "${message}"`);
    return;
  }
  if ('refused' in h.expect) expect.fail(`${why}: expected a refusal, got a report`);
  if ('refusedOrReported' in h.expect) return;
  if ('finding' in h.expect) {
    expect(
      result.findings.map((f) => f.code),
      why,
    ).toContain(h.expect.finding);
    expect(result.findings.length, why).toBeLessThanOrEqual(12); // five of a kind and a count, never thousands
    return;
  }
  expect(result.deployable, why).toBe(true);
  const init = result.init!.outcomes[0]!;
  if (h.expect.init === 'ok') expect(init.error, why).toBeNull();
  else expect(init.error, why).toMatch(h.expect.init);
  if (result.init!.peakKb !== null) expect(result.init!.peakKb, why).toBeLessThan(JAIL_PEAK_KB);
  if (h.expect.call) {
    const run = await simulate(result.loaded.wasm, result.report, parseCalls(h.expect.call.text), {
      ...context,
      storage: result.init!.storage,
    });
    expect(line(run.outcomes[0]!), why).toMatch(h.expect.call.outcome);
  }
}

describe('hostile contracts through the checker', () => {
  it('the issue: 219 characters that grew the bot by 2 GB end as a memory-limit report', async () => {
    expect(ISSUE_CHAT_BOMB.length).toBeLessThanOrEqual(219);
    const r = await checkContract(ISSUE_CHAT_BOMB, context);
    expect(r.findings.map((f) => f.code)).toEqual(['unbounded_memory']);
    const run = await simulate(r.loaded.wasm, r.report, parseCalls('x()'), context);
    expect(run.outcomes[0]!.error).toMatch(
      /^memory limit: its memory cannot grow past 16 pages \(1 MiB\), and growing it was refused 1 time\(s\); then trap: memory access out of bounds/,
    );
  });

  it('every generated family ends as a report naming the limit; the bot answers after each', async () => {
    const sample = hostileSample(counterWasm, Date.now() % 100_000, 1);
    expect(sample.length).toBe(14);
    // Two at a time, as the jail gate allows: the suite's wall time, not a change in what is asserted.
    for (let i = 0; i < sample.length; i += 2) await Promise.all(sample.slice(i, i + 2).map(attack));
    expect((await checkContract(COUNTER_WAT, context)).init!.outcomes[0]!.ok).toBe(true);
  });

  it('a WAT that breaks the text compiler breaks nothing after it (a fresh compiler per request)', async () => {
    for (const h of fc.sample(watNesting(5000), 2)) {
      await expect(checkContract(h.input, context)).rejects.toThrow(/ran out of stack/);
      const after = await checkContract(COUNTER_WAT, context);
      expect(after.findings).toEqual([]);
      expect(after.init!.outcomes[0]!.ok).toBe(true);
    }
  });

  it("the bot's own memory stayed bounded through all of it", () => {
    // Before the jail, one of these grew the bot by 2 GB (the chat bomb) or 3 GB (the nested blocks).
    expect(peakMemoryKb() - before).toBeLessThan(150 * 1024);
  });
});

describe('the limits are the runtime’s', () => {
  const limits = { ...CONTRACT_LIMITS };

  it('a jail with too little JavaScript heap is stopped by V8, and says so', async () => {
    await expect(checkContract(COUNTER_WAT, context, { ...limits, heapMb: 4 })).rejects.toThrow(
      /^Reading the contract needed more than 4 MiB of JavaScript heap, so it was stopped\.$/,
    );
  });

  it('a jail with too little memory is stopped by the kernel (RLIMIT_DATA) or V8 (its wasm memory cap)', async () => {
    for (const tight of [{ processMb: 64 }, { wasmMemoryMb: 1 }])
      await expect(checkContract(COUNTER_WAT, context, { ...limits, ...tight })).rejects.toThrow(
        /^Reading the contract needed more memory than the checker allows \(\d+ MiB for the text compiler, \d+ MiB in all\)/,
      );
  });

  it('a jail past its time is killed: while reading, and during a call (what fuel cannot see)', async () => {
    await expect(checkContract(COUNTER_WAT, context, { ...limits, readMs: 1 })).rejects.toThrow(
      /^Reading the contract took longer than 0\.001 s, so it was stopped\.$/,
    );
    const loop = await checkContract(INFINITE_LOOP_WAT, context);
    const slow = await simulate(loop.loaded.wasm, loop.report, parseCalls('spin(); spin()'), {
      ...context,
      limits: { ...limits, fuel: 1e15, timeMs: 300 },
    });
    expect(slow.outcomes.map((o) => o.error)).toEqual([
      'time limit: stopped after 0.3 s',
      'not run (an earlier call was stopped)',
    ]);
    expect(slow.peakKb).toBeNull();
  });

  it('the jail process itself: an empty environment, the kernel ceiling and V8 limits as configured', async () => {
    const loop = await checkContract(INFINITE_LOOP_WAT, context);
    const running = simulate(loop.loaded.wasm, loop.report, parseCalls('spin()'), {
      ...context,
      limits: { ...limits, fuel: 1e15, timeMs: 800 },
    });
    let jail: number | null = null;
    for (let i = 0; i < 100 && jail === null; i++) {
      jail =
        childrenOf(process.pid).find((pid) => cmdline(pid).includes('--wasm-max-mem-pages=2048')) ?? null;
      if (jail === null) await new Promise((r) => setTimeout(r, 20));
    }
    if (jail === null) expect.fail('no jail process found among this process’s children');
    // No token or key of the bot's: only what Node sets for the IPC channel itself.
    const environment = readFileSync(`/proc/${jail}/environ`, 'utf8').split('\0').filter(Boolean);
    expect(environment.map((v) => v.split('=')[0]).sort()).toEqual([
      'NODE_CHANNEL_FD',
      'NODE_CHANNEL_SERIALIZATION_MODE',
    ]);
    expect(readFileSync(`/proc/${jail}/limits`, 'utf8')).toMatch(
      new RegExp(`Max data size\\s+${limits.processMb * 2 ** 20}\\s+${limits.processMb * 2 ** 20}\\s+bytes`),
    );
    expect(cmdline(jail)).toEqual(expect.arrayContaining([`--max-old-space-size=${limits.heapMb}`]));
    expect((await running).outcomes[0]!.error).toBe('time limit: stopped after 0.8 s');
  });

  it('a module that only instrumentation would make valid is refused: nothing runs unmetered', async () => {
    // global.set 0 names no global here; after instrumentation global 0 would be the fuel, reset forever.
    const wasm = buildModule({
      types: [[[], []]],
      funcs: [{ type: 0, body: [op.loop, op.empty, op.i64_const, 0x00, op.global_set, 0, op.br, 0, op.end] }],
      memories: [{ min: 1, max: 1 }],
      exports: [{ name: 'x', kind: 'func', index: 0 }],
    });
    expect(WebAssembly.validate(wasm)).toBe(false);
    await expect(simulate(wasm, inspectModule(wasm), parseCalls('x()'), context)).rejects.toThrow(
      /not a valid WebAssembly module/,
    );
  });

  it('at most `jails` run and `queued` wait: the rest are told the checker is busy, and it answers after', async () => {
    const tight = { ...limits, jails: 1, queued: 2 };
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => checkContract(COUNTER_WAT, context, tight)),
    );
    const busy = results.filter(
      (r) => r.status === 'rejected' && /checker is busy/.test((r.reason as Error).message),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(busy).toHaveLength(3);
    expect((await checkContract(COUNTER_WAT, context, tight)).deployable).toBe(true);
  });
});

describe('npx pactus-bot wasm:check on hostile files', () => {
  // Prints the CLI process's own VmHWM on stderr as it exits: the process the issue saw die at 3.36 GB.
  const PEAK_HOOK = `--import=data:text/javascript,import{readFileSync,writeSync}from"node:fs";process.on("exit",()=>writeSync(2,"\\npeak-kb "+/VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status","utf8"))[1]+"\\n"))`;
  const cli = (args: string[]) =>
    new Promise<{ code: number; json: Record<string, unknown>; peakKb: number; output: string }>((resolve) =>
      execFile(
        process.execPath,
        [PEAK_HOOK, 'bin/pactus-bot.js', 'wasm:check', ...args],
        { maxBuffer: 64 * 2 ** 20 },
        (error, stdout, stderr) =>
          resolve({
            code: error ? (error.code as number) : 0,
            json: JSON.parse(stdout) as Record<string, unknown>,
            peakKb: Number(/peak-kb (\d+)/.exec(stderr)?.[1]),
            output: stdout + stderr,
          }),
      ),
    );

  it('always JSON, never "[object Object]", an exit code that says how it went, and a bounded process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pactus-hostile-'));
    const nested = join(dir, 'nested.wasm');
    writeFileSync(nested, nestedBlocks(60_000).input as Uint8Array);
    const broken = join(dir, 'broken.wat');
    writeFileSync(broken, fc.sample(watNesting(20_000), { numRuns: 1 })[0]!.input as string);
    const bomb = join(dir, 'bomb.wat');
    writeFileSync(bomb, ISSUE_CHAT_BOMB);
    const [a, b, c] = await Promise.all([cli([nested]), cli([broken]), cli([bomb, '--call', 'x()'])]);

    expect(a).toMatchObject({ code: 0, json: { source: 'wasm', deployable: true, init: { ok: true } } });
    expect(b).toMatchObject({
      code: 1,
      json: { deployable: false, error: expect.stringMatching(/ran out of stack/) },
    });
    expect(c.code).toBe(0);
    expect((c.json.calls as { error: string }[])[0]!.error).toMatch(
      /^memory limit: its memory cannot grow past 16/,
    );
    for (const run of [a, b, c]) {
      expect(run.output).not.toMatch(/\[object Object\]|at .+\.ts:\d+/); // no stray object, no stack trace
      expect(run.peakKb).toBeGreaterThan(0);
      expect(run.peakKb).toBeLessThan(300 * 1024); // tsx and the CLI's own code; the issue saw 3.36 GB
    }
  });
});
