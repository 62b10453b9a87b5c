import type { Case } from './libs/types.js';

export interface TimingOptions {
  /** Warm-up runs before anything is recorded (JIT tiers, kernel caches, allocator). */
  warmupRuns: number;
  /** Minimum warm-up wall time in ms. */
  warmupMs: number;
  /** Recorded samples per round. */
  samples: number;
  /** Runs are batched so that one sample lasts at least this long (timer resolution, GC spread). */
  minSampleMs: number;
}

export const defaultTiming: TimingOptions = { warmupRuns: 3, warmupMs: 300, samples: 5, minSampleMs: 25 };

async function timeRuns(c: Case, runs: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await c.run();
  return (performance.now() - t0) / runs;
}

/** Warms `c` up, then returns per-run times (ms) of `opts.samples` samples. */
export async function sample(c: Case, opts: TimingOptions): Promise<number[]> {
  const w0 = performance.now();
  let runs = 0;
  let last = 0;
  while (runs < opts.warmupRuns || performance.now() - w0 < opts.warmupMs) {
    last = await timeRuns(c, 1);
    runs++;
  }
  const perSample = Math.max(1, Math.ceil(opts.minSampleMs / Math.max(last, 1e-3)));
  const out: number[] = [];
  for (let s = 0; s < opts.samples; s++) out.push(await timeRuns(c, perSample));
  return out;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median absolute deviation as a fraction of the median: a robust noise figure. */
export function relMad(xs: readonly number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m))) / m;
}

/** max |a - b| / max |ref|; NaN anywhere makes it Infinity. */
export function relError(ref: Float32Array, got: Float32Array): number {
  if (ref.length !== got.length) return Infinity;
  let scale = 0;
  let err = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const g = got[i]!;
    if (Number.isNaN(r) || Number.isNaN(g)) return Infinity;
    scale = Math.max(scale, Math.abs(r));
    err = Math.max(err, Math.abs(r - g));
  }
  return scale === 0 ? err : err / scale;
}

export function checksum(xs: Float32Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}
