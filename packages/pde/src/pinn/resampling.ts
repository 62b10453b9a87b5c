import { createRng } from '@difflab/optim';
import { Tensor, ValueError, abs, concat, fromTypedArray, sum } from '@difflab/tensor';
import type { Geometry } from '../geometry/geometry.js';
import { hostData, integer, nonNegative, positive } from '../internal/checks.js';
import type { SamplingMethod } from '../sampling/unit.js';

/**
 * Options of residual-based adaptive resampling ({@link resample}, `trainPinn`’s `resampling`).
 *
 * @example
 * ```ts
 * import { type ResamplingOptions } from '@difflab/pde';
 * const rad: ResamplingOptions = { method: 'rad', every: 500, lbfgsEvery: 1000, k: 1, c: 1 };
 * // await trainPinn(problem, { adam: { steps: 2000 }, lbfgs: { iterations: 2000 }, resampling: rad });
 * ```
 */
export interface ResamplingOptions {
  /**
   * - 'rar': residual-based adaptive refinement (Lu et al. 2021, DeepXDE) — add the `add` candidate
   *   points with the largest |residual|;
   * - 'rar-d': add `add` points drawn with probability ∝ |r|^k / mean|r|^k + c;
   * - 'rad': residual-based adaptive distribution (Wu et al. 2023) — replace every collocation point
   *   by a draw from that density over the candidates.
   */
  method: 'rar' | 'rar-d' | 'rad';
  /** Adam steps between resamplings. */
  every: number;
  /**
   * L-BFGS iterations between resamplings (rounded up to whole chunks; default: none). The
   * L-BFGS memory restarts after each, as the objective changes.
   */
  lbfgsEvery?: number;
  /** Candidate points per resampling (default 10 × the collocation size, at most 20000). */
  candidates?: number;
  /** Points added per round ('rar', 'rar-d'; default 10). */
  add?: number;
  /** Density exponent k and offset c ('rar-d', 'rad'; defaults 1 and 1, the paper's robust choice). */
  k?: number;
  /** Density offset c (default 1). */
  c?: number;
  /** How candidates are drawn (default 'pseudo'). */
  sampler?: SamplingMethod;
  /** Seed of the candidate draws (default 0). */
  seed?: number;
}

/**
 * |residual| summed over equations, as host numbers.
 *
 * @example
 * ```ts
 * import { residualMagnitude } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * residualMagnitude(tensor([[1, -2], [0.5, 0]])); // [3, 0.5]
 * ```
 */
export function residualMagnitude(r: Tensor): Float64Array {
  return hostData(r.shape[1] === 1 ? abs(r).reshape([r.shape[0]!]) : sum(abs(r), 1));
}

/**
 * Indices drawn without replacement with probabilities ∝ weights (Efraimidis–Spirakis keys).
 *
 * @example
 * ```ts
 * import { weightedSampleWithoutReplacement } from '@difflab/pde';
 * const picked = weightedSampleWithoutReplacement([1, 1, 8], 2, 0); // two distinct indices, 2 most likely
 * ```
 */
export function weightedSampleWithoutReplacement(weights: ArrayLike<number>, count: number, seed: number): number[] {
  const rng = createRng(seed, 0x7ad);
  const keys = Array.from(weights, (w, i) => ({
    i,
    key: w > 0 ? Math.log(Math.max(rng.uniform(), 1e-300)) / w : -Infinity,
  }));
  keys.sort((a, b) => b.key - a.key);
  return keys.slice(0, count).map((k) => k.i);
}

/**
 * The density p ∝ |r|^k / mean(|r|^k) + c over candidates (RAD / RAR-D).
 *
 * @example
 * ```ts
 * import { residualDensity } from '@difflab/pde';
 * residualDensity([1, 3], 1, 0.5); // [1, 2]: |r|/mean|r| + c
 * ```
 */
export function residualDensity(mag: ArrayLike<number>, k: number, c: number): Float64Array {
  nonNegative('residualDensity', 'k', k);
  nonNegative('residualDensity', 'c', c);
  const e = Float64Array.from(mag, (v) => Math.pow(v, k));
  const m = e.reduce((a, b) => a + b, 0) / e.length;
  return e.map((v) => (m > 0 ? v / m : 1) + c);
}

/**
 * One resampling round: draws candidates in the geometry, evaluates |residual| there and returns
 * the new collocation set (the old one grown for 'rar'/'rar-d', replaced for 'rad').
 *
 * @example
 * ```ts
 * import { interval, resample } from '@difflab/pde';
 * import { mul } from '@difflab/tensor';
 * const I = interval(0, 1);
 * const x0 = I.sample(20);
 * // RAR: add the 5 candidates with the largest residual (here r = x², largest near x = 1).
 * const x1 = resample(x0, I, (x) => mul(x, x), { method: 'rar', every: 1, add: 5 }, 0); // [25, 1]
 * ```
 */
export function resample(
  current: Tensor,
  geometry: Geometry,
  residualAt: (x: Tensor) => Tensor,
  opts: ResamplingOptions,
  round: number,
): Tensor {
  const op = 'resample';
  if (!['rar', 'rar-d', 'rad'].includes(opts.method))
    throw new ValueError(`${op}: unknown method '${String(opts.method)}'`);
  const n = current.shape[0]!;
  const nc = integer(op, 'candidates', opts.candidates ?? Math.min(20000, 10 * n), 1);
  const seed = (opts.seed ?? 0) * 7919 + round;
  const cand = geometry.sample(nc, {
    method: opts.sampler ?? 'pseudo',
    seed,
    dtype: current.dtype as 'float32' | 'float64',
  });
  const mag = residualMagnitude(residualAt(cand));
  const d = current.shape[1]!;
  const cx = hostData(cand);
  const pick = (idx: number[]) => {
    const out = new Float64Array(idx.length * d);
    idx.forEach((i, r) => out.set(cx.subarray(i * d, (i + 1) * d), r * d));
    return fromTypedArray(current.dtype === 'float64' ? out : Float32Array.from(out), [idx.length, d], {
      dtype: current.dtype,
    });
  };
  if (opts.method === 'rar') {
    const m = integer(op, 'add', opts.add ?? 10, 1);
    const order = Array.from(mag.keys()).sort((a, b) => mag[b]! - mag[a]!);
    return concat([current, pick(order.slice(0, Math.min(m, nc)))], 0);
  }
  const p = residualDensity(mag, positive(op, 'k', opts.k ?? 1), opts.c ?? 1);
  if (opts.method === 'rar-d') {
    const m = integer(op, 'add', opts.add ?? 10, 1);
    return concat([current, pick(weightedSampleWithoutReplacement(p, Math.min(m, nc), seed))], 0);
  }
  if (nc < n)
    throw new ValueError(`${op}: 'rad' needs at least as many candidates (${nc}) as collocation points (${n})`);
  return pick(weightedSampleWithoutReplacement(p, n, seed));
}
