/** Small helpers so every benchmark prints numbers the same way. */
export function opsPerSecond(name: string, fn: () => void, minMs = 1000): number {
  for (let i = 0; i < 3; i++) fn(); // warm up the JIT
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    count++;
    elapsed = performance.now() - start;
  }
  const rate = (count * 1000) / elapsed;
  console.log(`${name.padEnd(44)} ${formatRate(rate).padStart(12)} ops/s`);
  return rate;
}

export function formatRate(rate: number): string {
  return rate >= 100 ? Math.round(rate).toLocaleString('en-US') : rate.toFixed(1);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarizeLatencies(name: string, samplesMs: number[]): { p50: number; p99: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  console.log(
    `${name.padEnd(44)} p50 ${p50.toFixed(2)} ms   p99 ${p99.toFixed(2)} ms   (n=${sorted.length}, max ${sorted.at(-1)!.toFixed(2)} ms)`,
  );
  return { p50, p99 };
}

export function heading(text: string): void {
  console.log(`\n== ${text}`);
}
