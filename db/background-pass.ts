// The one way the bot runs work in the background (delivering notifications, tracking drafts, settling rewards,
// scanning alerts, renewing leases, sweeping the Telegram inbox, ...). It lives in db/ because that is the lowest
// folder every folder that runs such work may import (bot/, wallet/, rewards/, governance/, compute/), and because
// what it mostly has to survive is the database going away for a while. ESLint (eslint-rules/background-passes.js)
// refuses a periodic timer started anywhere else.
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from './connection.js';

export interface BackgroundPassOptions {
  /** Names the pass in logs ("outbox delivery (telegram)", "confirmation tracker"). */
  name: string;
  /** One run. A rejection is a failed run: logged (once per outage), retried with backoff; nothing escapes. */
  run: () => Promise<void>;
  logger: Logger;
  /** The pause between the end of one run and the start of the next; null runs only when woken (or to retry). */
  everyMs: number | null;
  /** The longest pause between retries after failures (they double from `everyMs`, or from 500 ms). */
  maxBackoffMs?: number;
  /** Whether the first run starts at once (the default) or after `everyMs`. */
  runAtStart?: boolean;
}

/** A short description of a failure for the log: the database's trouble needs no stack, anything else does. */
function describe(error: unknown): Record<string, unknown> {
  if (isDatabaseUnavailable(error)) {
    const codes: string[] = [];
    for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e)
      if (typeof e.code === 'string') codes.push(e.code);
    return { database: 'unavailable', codes };
  }
  return { err: error };
}

/**
 * Work that runs again and again in the background, one run at a time (a run that takes longer than the period
 * delays the next rather than overlapping it). A failed run never escapes as an unhandled rejection: the first
 * failure of an outage is logged, the next ones only at debug level, the retries back off (doubling, with jitter,
 * up to `maxBackoffMs`), and the first success after an outage is logged once. So a database that stops for a
 * while costs a few log lines and a delay, never the process.
 *
 * A pass is active between start() and stop(), and may be started again (leader tasks are). wake() asks for a
 * run soon (joining a run in progress by running once more after it); runNow() runs one and says whether it
 * worked.
 */
export class BackgroundPass {
  private active = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<boolean> | null = null;
  private again = false;
  private failures = 0;
  private failingSince = 0;
  private retryInMs = 0;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: BackgroundPassOptions) {
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  get name(): string {
    return this.options.name;
  }

  /** Whether the last run failed (the pass is in an outage and retrying). */
  get failing(): boolean {
    return this.failures > 0;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    if (this.running) return; // a run of the previous activation is ending; it schedules the next one
    if (this.options.runAtStart === false && this.options.everyMs !== null)
      this.schedule(this.options.everyMs);
    else if (this.options.everyMs !== null || this.options.runAtStart) this.schedule(0);
  }

  /** Stops scheduling runs and waits for the one in progress, so nothing runs after (the database may close). */
  async stop(): Promise<void> {
    this.active = false;
    this.again = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** A run soon (after the one in progress, if any). Does nothing while the pass is stopped. */
  wake(): void {
    if (!this.active) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /**
   * Runs the pass now, after any run in progress (which may have started before what the caller wants seen), and
   * resolves with whether this run worked. It runs even while the pass is stopped (a last flush before shutdown).
   */
  async runNow(): Promise<boolean> {
    while (this.running) await this.running;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this.launch();
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.running) this.again = true;
      else void this.launch();
    }, delayMs);
    this.timer.unref();
  }

  private launch(): Promise<boolean> {
    const run = this.once().then((ok) => {
      this.running = null;
      this.next(ok);
      return ok;
    });
    this.running = run;
    return run;
  }

  private async once(): Promise<boolean> {
    try {
      await this.options.run();
    } catch (error) {
      this.failed(error);
      return false;
    }
    // At the outage's own level, so whoever saw it start sees it end.
    if (this.failures > 0)
      this.options.logger.warn(
        { pass: this.name, failures: this.failures, downMs: Date.now() - this.failingSince },
        `${this.name}: working again`,
      );
    this.failures = 0;
    return true;
  }

  private failed(error: unknown): void {
    this.failures++;
    const retryInMs = (this.retryInMs = this.backoffMs());
    if (this.failures === 1) {
      this.failingSince = Date.now();
      this.options.logger.warn(
        { pass: this.name, ...describe(error), retryInMs },
        `${this.name} failed; retrying with backoff until it works again`,
      );
    } else
      this.options.logger.debug(
        { pass: this.name, ...describe(error), failures: this.failures, retryInMs },
        `${this.name} still failing`,
      );
  }

  /** Doubling from the period (or 500 ms) per consecutive failure, at most maxBackoffMs, +-20% jitter. */
  private backoffMs(): number {
    const base = Math.max(100, this.options.everyMs ?? 500);
    const doubled = Math.min(this.maxBackoffMs, base * 2 ** Math.min(this.failures - 1, 20));
    return Math.round(doubled * (0.8 + Math.random() * 0.4));
  }

  private next(ok: boolean): void {
    if (!this.active) return;
    if (!ok) this.schedule(this.retryInMs);
    else if (this.again) this.schedule(0);
    else if (this.options.everyMs !== null) this.schedule(this.options.everyMs);
    this.again = false;
  }
}
