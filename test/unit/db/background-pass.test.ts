// The one mechanism for background passes (db/background-pass.ts), attacked with generated outages: whatever
// fails and however often, nothing escapes as an unhandled rejection, an outage is logged once and its end once,
// runs never overlap, retries back off within bounds, and a stopped pass runs no more.
import fc from 'fast-check';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BackgroundPass } from '../../../db/background-pass.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));

function recordingLogger(): { logger: pino.Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

/** The errors a pass meets in production: a stopped PostgreSQL, a dropped socket, SQLite busy, a plain bug. */
const failure = fc.constantFrom(
  () =>
    Object.assign(new Error('Failed query: select 1'), {
      cause: { code: '57P01', message: 'admin shutdown' },
    }),
  () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
  () => new Error('Connection terminated unexpectedly'),
  () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
  () => new TypeError("Cannot read properties of undefined (reading 'id')"),
  () => 'a thrown string',
);

const until = async (check: () => boolean, ms = 5_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
};

it('an outage of any length and kind: logged once when it starts and once when it ends, retried with bounded backoff, nothing unhandled', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(failure, { minLength: 1, maxLength: 7 }), async (errors) => {
      const { logger, lines } = recordingLogger();
      const starts: number[] = [];
      let runs = 0;
      const pass = new BackgroundPass({
        name: 'probe',
        everyMs: 2,
        maxBackoffMs: 16,
        logger,
        run: async () => {
          starts.push(Date.now());
          const make = errors[runs++];
          if (make) throw make();
        },
      });
      pass.start();
      await until(() => runs > errors.length + 1);
      await pass.stop();
      const warned = lines.filter((l) => l.level === 40);
      expect(warned.map((l) => l.msg)).toEqual([
        expect.stringMatching(/probe failed; retrying/),
        expect.stringMatching(/probe: working again/),
      ]);
      expect(lines.filter((l) => l.level === 30)).toEqual([]);
      expect(lines.filter((l) => l.level > 40)).toEqual([]); // nothing at error level: it is not a crash
      // Each retry waited at least 80% of the doubled pause (jitter), and never much past the cap.
      for (let i = 1; i <= errors.length; i++) {
        const gap = starts[i]! - starts[i - 1]!;
        expect(gap).toBeGreaterThanOrEqual(Math.floor(Math.min(16, 2 * 2 ** (i - 1)) * 0.8) - 1);
      }
      expect(pass.failing).toBe(false);
    }),
    { numRuns: 12 },
  );
  expect(unhandled).toEqual([]);
});

it('never two runs at once, whatever mix of wakes and runNow calls, and none after stop', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.constantFrom('wake', 'runNow', 'sleep'), fc.nat(3)), { maxLength: 30 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
      async (steps, fails) => {
        const { logger } = recordingLogger();
        let inside = 0;
        let overlapped = false;
        let runs = 0;
        const pass = new BackgroundPass({
          name: 'overlap',
          everyMs: null,
          maxBackoffMs: 5,
          logger,
          run: async () => {
            if (inside++) overlapped = true;
            await new Promise((r) => setTimeout(r, 1));
            inside--;
            if (fails[runs++ % fails.length]) throw new Error('boom');
          },
        });
        pass.start();
        const pending: Promise<boolean>[] = [];
        for (const [step, ms] of steps) {
          if (step === 'wake') pass.wake();
          else if (step === 'runNow') pending.push(pass.runNow());
          else await new Promise((r) => setTimeout(r, ms));
        }
        await Promise.all(pending);
        await pass.stop();
        const after = runs;
        await new Promise((r) => setTimeout(r, 15));
        expect(runs).toBe(after); // stopped: no more runs, not even the retries of a failure
        expect(overlapped).toBe(false);
      },
    ),
    { numRuns: 40 },
  );
  expect(unhandled).toEqual([]);
});

it('stop waits for the run in progress; a stopped pass ignores wakes and can be started again (leader tasks); a wake during a run runs once more after it', async () => {
  const { logger } = recordingLogger();
  let release!: () => void;
  let runs = 0;
  const pass = new BackgroundPass({
    name: 'slow',
    everyMs: 1_000,
    logger,
    run: () => {
      runs++;
      return new Promise<void>((resolve) => (release = resolve));
    },
  });
  pass.start();
  await until(() => runs === 1);
  let stopped = false;
  const stopping = pass.stop().then(() => (stopped = true));
  await new Promise((r) => setTimeout(r, 10));
  expect(stopped).toBe(false);
  release();
  await stopping;
  pass.wake();
  await new Promise((r) => setTimeout(r, 10));
  expect(runs).toBe(1);
  pass.start();
  await until(() => runs === 2);
  pass.wake(); // asked during a run: one more run right after it, not at the next period
  release();
  await until(() => runs === 3, 500);
  release();
  await pass.stop();
});
