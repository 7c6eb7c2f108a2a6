/**
 * Runs `task` every `ms` milliseconds, never two runs at once (an async tick that takes longer than the period
 * delays the next one instead of overlapping it). Errors go to `onError`. The returned stop waits for a run in
 * progress, so the database is not closed under it.
 */
export function every(
  ms: number,
  task: () => Promise<void>,
  onError: (error: unknown) => void,
): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = (): void => {
    running = task()
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(run, ms).unref();
      });
  };
  timer = setTimeout(run, ms).unref();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

/** `every` as a task that can be started and stopped again (a leader task). */
export function periodic(
  ms: number,
  task: () => Promise<void>,
  onError: (error: unknown) => void,
): { start(): void; stop(): Promise<void> } {
  let stop: (() => Promise<void>) | null = null;
  return {
    start() {
      stop ??= every(ms, task, onError);
    },
    async stop() {
      const running = stop;
      stop = null;
      await running?.();
    },
  };
}
