/** Small timing helpers for the benchmarks: warm up, then run for a fixed time and count. */

/** Runs `fn` repeatedly for about `ms` milliseconds after a warm-up; returns operations per second. */
export async function opsPerSecond(fn: (i: number) => unknown, ms = 2000, warmup = 300): Promise<number> {
  let i = 0;
  const warmEnd = performance.now() + warmup;
  while (performance.now() < warmEnd) await fn(i++);
  let count = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let k = 0; k < 50; k++) await fn(i++);
    count += 50;
  }
  return (count * 1000) / (performance.now() - start);
}

/** Percentile of sorted numbers (p in 0..100). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Prints rows as an aligned table. */
export function printTable(title: string, rows: [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${title}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}
