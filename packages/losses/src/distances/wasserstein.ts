import {
  ValueError,
  abs,
  fromTypedArray,
  gather,
  matmul,
  mean,
  mul,
  norm,
  pow,
  random,
  reshape,
  sort,
  sub,
  sum,
  transpose,
  type Tensor,
} from '@difflab/tensor';
import { seedKey } from '../core/seed.js';
import { checkPositiveNumber, requireFloat } from '../core/validate.js';
import { asPointPair } from './pairwise.js';

/**
 * Pieces of the quantile coupling of two uniform empirical measures of sizes n and m: on each
 * piece the quantile functions are constant (sorted indices i and j) and the piece has `length`.
 * This depends only on n and m, so the values stay on their device and differentiable.
 */
function quantilePieces(n: number, m: number): { i: Int32Array; j: Int32Array; length: Float64Array } {
  const is: number[] = [];
  const js: number[] = [];
  const len: number[] = [];
  let i = 0;
  let j = 0;
  let t = 0;
  while (i < n && j < m) {
    // Next breakpoints (i + 1)/n and (j + 1)/m compared exactly in integers.
    const a = (i + 1) * m;
    const b = (j + 1) * n;
    const next = Math.min(a, b) / (n * m);
    is.push(i);
    js.push(j);
    len.push(next - t);
    t = next;
    if (a <= b) i++;
    if (b <= a) j++;
  }
  return { i: Int32Array.from(is), j: Int32Array.from(js), length: Float64Array.from(len) };
}

/** W_p^p between the columns of sorted samples xs [n, L] and ys [m, L], one value per column. */
function sortedWassersteinPow(xs: Tensor, ys: Tensor, p: number): Tensor {
  const powAbs = (d: Tensor) => (p === 1 ? abs(d) : pow(abs(d), p));
  const n = xs.shape[0]!;
  const m = ys.shape[0]!;
  if (n === m) return mean(powAbs(sub(xs, ys)), 0);
  const pieces = quantilePieces(n, m);
  const device = xs.device;
  const xi = gather(xs, fromTypedArray(pieces.i, [pieces.i.length], { dtype: 'int32', device }), 0);
  const yj = gather(ys, fromTypedArray(pieces.j, [pieces.j.length], { dtype: 'int32', device }), 0);
  const w = fromTypedArray(pieces.length, [pieces.length.length, 1], { dtype: xs.dtype, device });
  return sum(mul(powAbs(sub(xi, yj)), w), 0);
}

/**
 * Options of {@link wasserstein1d}.
 *
 * @example
 * ```ts
 * import type { Wasserstein1dOptions } from '@difflab/losses';
 * const o: Wasserstein1dOptions = { p: 2 };
 * ```
 */
export interface Wasserstein1dOptions {
  /** Order p >= 1. Default 1 (scipy's `wasserstein_distance`). */
  p?: number;
}

/**
 * p-Wasserstein distance between two 1-D empirical samples u [n] and v [m] (uniform weights):
 * (∫_0^1 |F⁻¹(t) - G⁻¹(t)|^p dt)^{1/p}, computed from the sorted samples. Gradients flow to the
 * sample values through the sort.
 *
 * @param u - Samples `[n]`.
 * @param v - Samples `[m]`.
 * @param opts - See {@link Wasserstein1dOptions}.
 * @returns A scalar Tensor.
 * @throws {ValueError} for samples that are not non-empty 1-D, or p < 1.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { wasserstein1d } from '@difflab/losses';
 * wasserstein1d(tensor([0, 1, 3]), tensor([5, 6, 8])).item(); // 5
 * wasserstein1d(tensor([0, 1]), tensor([0, 3]), { p: 2 }).item(); // 1.414
 * ```
 */
export function wasserstein1d(u: Tensor, v: Tensor, opts: Wasserstein1dOptions = {}): Tensor {
  const op = 'wasserstein1d';
  requireFloat(op, 'u', u);
  requireFloat(op, 'v', v);
  if (u.ndim !== 1 || v.ndim !== 1 || u.size === 0 || v.size === 0)
    throw new ValueError(`${op}: u and v must be non-empty 1-D samples, got shapes [${u.shape}] and [${v.shape}]`);
  const p = opts.p ?? 1;
  if (!(p >= 1 && Number.isFinite(p))) throw new ValueError(`${op}: p must be a finite number >= 1, got ${p}`);
  const w = sortedWassersteinPow(reshape(sort(u), [-1, 1]), reshape(sort(v), [-1, 1]), p);
  return reshape(p === 1 ? w : pow(w, 1 / p), []);
}

/**
 * Options of {@link slicedWasserstein}.
 *
 * @example
 * ```ts
 * import type { SlicedWassersteinOptions } from '@difflab/losses';
 * const o: SlicedWassersteinOptions = { projections: 256, p: 2, seed: 1 };
 * ```
 */
export interface SlicedWassersteinOptions {
  /** Number of random directions. Default 64. */
  projections?: number;
  /** Order p >= 1. Default 2. */
  p?: number;
  /** Seed of the directions (uniform on the sphere). Default 0. */
  seed?: number;
}

/**
 * Sliced p-Wasserstein distance (Rabin et al. 2011; Bonneel et al. 2015) between x [n, d] and y [m, d]:
 * (mean over random unit directions θ of W_p^p(θ·x, θ·y))^{1/p}, a Monte Carlo estimate whose
 * directions are fixed by `seed`.
 *
 * @param x - Points `[n, d]`.
 * @param y - Points `[m, d]`.
 * @param opts - See {@link SlicedWassersteinOptions}.
 * @returns A scalar Tensor, differentiable in x and y.
 * @throws {ShapeError} when the point dimensions differ.
 * @throws {ValueError} for p < 1 or a non-positive number of projections.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { slicedWasserstein } from '@difflab/losses';
 * const x = tensor([[0, 0], [1, 0], [0, 1]]);
 * const y = x.add(0.5);
 * slicedWasserstein(x, y, { seed: 0 }).item(); // 0.4734
 * ```
 */
export function slicedWasserstein(x: Tensor, y: Tensor, opts: SlicedWassersteinOptions = {}): Tensor {
  const op = 'slicedWasserstein';
  const [a, b] = asPointPair(op, x, y);
  const L = opts.projections ?? 64;
  if (!Number.isInteger(L) || L < 1) throw new ValueError(`${op}: projections must be a positive integer, got ${L}`);
  const p = opts.p ?? 2;
  checkPositiveNumber(op, 'p', p);
  if (p < 1) throw new ValueError(`${op}: p must be >= 1, got ${p}`);
  const d = a.shape[1]!;
  const dirs0 = random
    .normal(seedKey(op, opts.seed ?? 0), [L, d], { dtype: 'float64', device: a.device })
    .astype(a.dtype);
  const dirs = dirs0.div(norm(dirs0, 2, 1, true));
  const xs = sort(matmul(a, transpose(dirs)), 0);
  const ys = sort(matmul(b, transpose(dirs)), 0);
  return pow(mean(sortedWassersteinPow(xs, ys, p)), 1 / p);
}
