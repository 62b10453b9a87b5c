/**
 * Deterministic inputs shared by every library, so that all of them see the same numbers and
 * their results can be compared before anything is timed.
 */

/** mulberry32: tiny, fast, good enough for benchmark data (not for statistics). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

export function labels(n: number, classes: number, seed: number): Int32Array {
  const r = rng(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(r() * classes) % classes;
  return out;
}

export function oneHot(y: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(y.length * classes);
  for (let i = 0; i < y.length; i++) out[i * classes + y[i]!] = 1;
  return out;
}

export interface MlpData {
  sizes: readonly number[];
  batch: number;
  lr: number;
  /** Weights [in, out] row-major, then biases [out], per layer. */
  weights: Float32Array[];
  biases: Float32Array[];
  x: Float32Array;
  y: Int32Array;
  yOneHot: Float32Array;
}

/** Glorot-uniform weights, small non-zero biases, uniform inputs, random labels. */
export function mlpData(sizes: readonly number[], batch: number, lr: number, seed = 7): MlpData {
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    weights.push(uniform(fanIn * fanOut, seed + 10 * l + 1, -lim, lim));
    biases.push(uniform(fanOut, seed + 10 * l + 2, -0.05, 0.05));
  }
  const classes = sizes[sizes.length - 1]!;
  const y = labels(batch, classes, seed + 99);
  return {
    sizes,
    batch,
    lr,
    weights,
    biases,
    x: uniform(batch * sizes[0]!, seed + 98),
    y,
    yOneHot: oneHot(y, classes),
  };
}
