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

export interface PgdData {
  sizes: readonly number[];
  batch: number;
  weights: Float32Array[];
  biases: Float32Array[];
  /** Clean inputs in [0, 1], [batch, sizes[0]]. */
  x: Float32Array;
  y: Int32Array;
  yOneHot: Float32Array;
  eps: number;
  alpha: number;
  steps: number;
}

/**
 * The digits setting of examples/attack-certify: an 8x8-pixel (64-input) MLP with 64 hidden ReLU
 * units and 10 classes, attacked on a 450-image batch (the digits test split) with PGD-20 at
 * eps = 0.1. Synthetic pixels and weights with those shapes keep the bench free of the data file.
 */
export function pgdData(seed = 11): PgdData {
  const sizes = [64, 64, 10];
  const batch = 450;
  const m = mlpData(sizes, batch, 0, seed);
  const eps = 0.1;
  return {
    sizes,
    batch,
    weights: m.weights.map((w) => w.map((v) => v * 3)),
    biases: m.biases,
    x: uniform(batch * sizes[0]!, seed + 5, 0, 1),
    y: m.y,
    yOneHot: m.yOneHot,
    eps,
    alpha: (2.5 * eps) / 20,
    steps: 20,
  };
}

export interface GpData {
  n: number;
  d: number;
  /** Inputs [n, d] and targets [n], float64. */
  x: Float64Array;
  y: Float64Array;
  /** log lengthscale, log signal variance, log noise variance. */
  theta: Float64Array;
}

/** n points in [0, 1]^d with a smooth target plus noise. */
export function gpData(n = 500, d = 3, seed = 21): GpData {
  const r = rng(seed);
  const x = new Float64Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = r();
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += Math.sin(3 * x[i * d + j]! + j);
    y[i] = s + 0.1 * (r() - 0.5);
  }
  return { n, d, x, y, theta: Float64Array.from([Math.log(0.3), Math.log(1.0), Math.log(0.01)]) };
}
