// The contract checker on fixtures compiled from WebAssembly text: each gets the right verdict, and the sandbox
// ends loops, traps and memory bombs within its limits.
import { describe, expect, it } from 'vitest';
import { checkContract } from '../../../contracts/service.js';
import { loadContract } from '../../../contracts/load.js';
import { inspectModule } from '../../../contracts/inspect.js';
import { simulate } from '../../../contracts/sandbox.js';
import { parseCalls } from '../../../contracts/calls.js';
import { ContractError } from '../../../contracts/errors.js';
import {
  COUNTER_WAT,
  FLOAT_WAT,
  FORBIDDEN_IMPORT_WAT,
  INFINITE_LOOP_WAT,
  INVALID_WASM,
  MEMORY_BOMB_WAT,
} from '../../support/contracts.js';

const context = { caller: 'tpc1zexample', height: 1234 };
const codes = async (wat: string) =>
  (await checkContract(wat, context)).findings.map((f) => `${f.level}:${f.code}`);

describe('checks', () => {
  it('the counter passes: exports, imports and memory reported, init run as a deployment', async () => {
    const r = await checkContract(COUNTER_WAT, context);
    expect(r.findings).toEqual([]);
    expect(r.deployable).toBe(true);
    expect(r.callable).toEqual(['increment', 'add', 'get']);
    expect(r.report.imports.map((i) => `${i.module}.${i.name}`)).toEqual([
      'env.storage_get',
      'env.storage_set',
      'env.emit_event',
    ]);
    expect(r.report.memory).toEqual({ initialPages: 1, maxPages: 1 });
    expect(r.report.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.init!.outcomes).toMatchObject([{ fn: 'init', ok: true }]);
    expect(Object.keys(r.init!.storage)).toEqual([Buffer.from('count').toString('hex')]);
  });

  it('a forbidden import, floating point, and unbounded memory are named; hex and wasm bytes read like WAT', async () => {
    expect(await codes(FORBIDDEN_IMPORT_WAT)).toEqual(['error:forbidden_import']);
    expect(await codes(FLOAT_WAT)).toEqual(['error:floating_point']);
    expect(await codes(MEMORY_BOMB_WAT)).toEqual(['warning:unbounded_memory']);
    expect(await codes(INFINITE_LOOP_WAT)).toEqual([]);
    const { wasm } = await loadContract(COUNTER_WAT);
    expect((await loadContract(Buffer.from(wasm).toString('hex'))).source).toBe('hex');
    expect((await loadContract(wasm)).source).toBe('wasm');
    expect(inspectModule(wasm).functions).toBe(6);
  });

  it('an invalid binary, broken text and oversize input are refused with the reason', async () => {
    await expect(loadContract(INVALID_WASM)).rejects.toThrow(/Not a valid WebAssembly module: .+/);
    await expect(loadContract('(module (func (i32.add))')).rejects.toThrow(ContractError);
    await expect(loadContract('(module (func $f (result i32) (i64.const 1)))')).rejects.toThrow(
      /not a valid module: .*type mismatch/i,
    );
    await expect(loadContract('hello there')).rejects.toThrow(/could not read that as a contract/);
    await expect(loadContract(new Uint8Array(300 * 1024).fill(0x41))).rejects.toThrow(ContractError);
  });
});

describe('sandbox', () => {
  it('storage carries over between calls; events, writes and fuel are reported', async () => {
    const { wasm } = await loadContract(COUNTER_WAT);
    const report = inspectModule(wasm);
    const first = await simulate(
      wasm,
      report,
      [{ fn: 'init', args: [] }, ...parseCalls('increment(); increment(); add(40)')],
      context,
    );
    expect(first.outcomes.map((o) => [o.fn, o.ok, o.result])).toEqual([
      ['init', true, null],
      ['increment', true, '1'],
      ['increment', true, '2'],
      ['add', true, '42'],
    ]);
    expect(first.outcomes[1]!.events).toEqual(['incremented']);
    expect(first.outcomes[1]!.writes).toHaveLength(1);
    expect(first.outcomes[1]!.fuelUsed).toBeGreaterThan(0);
    const again = await simulate(wasm, report, parseCalls('get()'), { ...context, storage: first.storage });
    expect(again.outcomes[0]!.result).toBe('42');
  });

  it('an infinite loop runs out of fuel, a memory bomb hits the memory cap, and both end as reports', async () => {
    const loop = await loadContract(INFINITE_LOOP_WAT);
    const spun = await simulate(loop.wasm, inspectModule(loop.wasm), parseCalls('spin()'), context);
    expect(spun.outcomes[0]).toMatchObject({ ok: false, error: expect.stringMatching(/^out of fuel/) });
    const bomb = await loadContract(MEMORY_BOMB_WAT);
    const blown = await simulate(bomb.wasm, inspectModule(bomb.wasm), parseCalls('bomb()'), context);
    expect(blown.outcomes[0]).toMatchObject({ ok: false, error: expect.stringMatching(/^memory limit/) });
    // A hard stop from outside (time limit) for what fuel cannot see: here, a fuel budget too large to spend.
    const slow = await simulate(loop.wasm, inspectModule(loop.wasm), parseCalls('spin(); spin()'), {
      ...context,
      limits: { ...(await import('../../../contracts/limits.js')).CONTRACT_LIMITS, fuel: 1e12, timeMs: 300 },
    });
    expect(slow.outcomes.map((o) => o.error)).toEqual([
      expect.stringMatching(/^time limit/),
      'not run (an earlier call was stopped)',
    ]);
  });

  it('wrong arguments are refused before running', async () => {
    const { wasm } = await loadContract(COUNTER_WAT);
    const r = await simulate(wasm, inspectModule(wasm), parseCalls('add(1, 2)'), context);
    expect(r.outcomes[0]!.error).toMatch(/takes 1 parameter\(s\), and was given 2/);
    expect(() => parseCalls('add(')).toThrow(/is not a call/);
  });
});

describe('npx pactus-bot wasm:check', () => {
  it('prints the report as JSON, runs --call after init, and exits 1 for a refused contract', async () => {
    const { execFile } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'pactus-wasm-'));
    const counter = join(dir, 'counter.wasm');
    writeFileSync(counter, (await loadContract(COUNTER_WAT)).wasm);
    const floats = join(dir, 'floats.wat');
    writeFileSync(floats, FLOAT_WAT);
    const cli = (args: string[]) =>
      new Promise<{ code: number; json: Record<string, unknown> }>((resolve) =>
        execFile(process.execPath, ['bin/pactus-bot.js', 'wasm:check', ...args], (error, stdout) =>
          resolve({
            code: error ? (error.code as number) : 0,
            json: JSON.parse(stdout) as Record<string, unknown>,
          }),
        ),
      );
    const [ok, refused] = await Promise.all([
      cli([counter, '--call', 'increment(); add(2); get()']),
      cli([floats]),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({ source: 'wasm', deployable: true, findings: [], init: { ok: true } });
    expect((ok.json.calls as { result: string }[]).map((c) => c.result)).toEqual(['1', '3', '3']);
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({
      source: 'wat',
      deployable: false,
      findings: [{ code: 'floating_point' }],
    });
  });
});
