// A vitest reporter for the suite's wall time: for each test file, when its worker took it, how long the worker
// was busy with it (start-up and imports included, which vitest's own per-file duration leaves out), and how that
// splits into preparing, importing (collect) and running the tests. Written as JSON to SUITE_TIMINGS (when set), so
// runs can be compared file by file:
//   SUITE_TIMINGS=t.json npx vitest run <files> --reporter=default --reporter=./test/support/timing-reporter.ts
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export interface FileTiming {
  file: string;
  state: string;
  /** Milliseconds from the start of the run to when a worker took the file. */
  startMs: number;
  /** Milliseconds the worker spent on the file, from taking it to its end. */
  slotMs: number;
  prepareMs: number;
  collectMs: number;
  testsMs: number;
}

export interface SuiteTimings {
  wallMs: number;
  files: FileTiming[];
}

export default class TimingReporter implements Reporter {
  private runStart = 0;
  private readonly taken = new Map<string, number>();
  private readonly files: FileTiming[] = [];

  onTestRunStart(): void {
    this.runStart = performance.now();
  }

  onTestModuleQueued(module: TestModule): void {
    this.taken.set(module.moduleId, performance.now());
  }

  onTestModuleEnd(module: TestModule): void {
    const now = performance.now();
    const taken = this.taken.get(module.moduleId) ?? now;
    const d = module.diagnostic();
    this.files.push({
      file: relative(process.cwd(), module.moduleId),
      state: module.state(),
      startMs: Math.round(taken - this.runStart),
      slotMs: Math.round(now - taken),
      prepareMs: Math.round(d.prepareDuration),
      collectMs: Math.round(d.collectDuration),
      testsMs: Math.round(d.duration),
    });
  }

  onTestRunEnd(): void {
    const out = process.env.SUITE_TIMINGS;
    if (!out) return;
    const timings: SuiteTimings = {
      wallMs: Math.round(performance.now() - this.runStart),
      files: this.files,
    };
    writeFileSync(out, JSON.stringify(timings, null, 1));
  }
}
