import {
  ShapeError,
  ValueError,
  add,
  exp,
  fmtShape,
  fromTypedArray,
  log,
  logsumexp,
  mul,
  pow,
  reshape,
  stopGradient,
  sub,
  sum,
  transpose,
  type Tensor,
} from '@difflab/tensor';
import { checkPositiveNumber, checkSimplex, requireFloat } from '../core/validate.js';
import { asPointPair, safeSqrt, sqDistances } from './pairwise.js';

/**
 * Options of {@link sinkhorn} and {@link symmetricSinkhornCost}.
 *
 * @example
 * ```ts
 * import type { SinkhornOptions } from '@difflab/losses';
 * const o: SinkhornOptions = { eps: 0.05, maxIters: 500, tol: 1e-6 };
 * ```
 */
export interface SinkhornOptions {
  /** Entropic regularisation ε > 0 (in the units of the cost). Default 0.1. */
  eps?: number;
  /** Maximum number of Sinkhorn iterations (each updates both potentials). Default 2000. */
  maxIters?: number;
  /**
   * Stop when the L1 error of the plan's row marginals falls below this (columns are exact after
   * each update). The value's error shrinks faster than the marginal error. Checked on devices that
   * can be read synchronously; elsewhere all `maxIters` run. Default 1e-7 for float64, 1e-5 for
   * float32. Nearly identical point clouds at small ε converge slowly (their plan is close to a
   * permutation): raise `maxIters` or ε there.
   */
  tol?: number;
}

/**
 * Result of {@link sinkhorn} and {@link entropicOT}: the entropic OT value, the plan and the dual potentials.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { entropicOT, type SinkhornResult } from '@difflab/losses';
 * const r: SinkhornResult = entropicOT(tensor([[0], [1]]), tensor([[0], [1]]), { eps: 0.01 });
 * r.plan.sum().item(); // 1 (up to the tolerance)
 * ```
 */
export interface SinkhornResult {
  /** Entropic OT value OT_ε(a, b) = min_P <P, C> + ε KL(P ‖ a ⊗ b), scalar. */
  cost: Tensor;
  /** Transport plan P [n, m]. */
  plan: Tensor;
  /** Dual potentials f [n] and g [m]. */
  f: Tensor;
  /** Dual potential of the second marginal, `[m]`. */
  g: Tensor;
  /** Iterations run. */
  iterations: number;
}

/** -ε log Σ_j exp(logw_j + (pot_j - C_ij)/ε): the soft c-transform along the columns of C. */
function softmin(cost: Tensor, logw: Tensor, pot: Tensor, eps: number): Tensor {
  return mul(logsumexp(add(reshape(add(logw, mul(pot, 1 / eps)), [1, -1]), mul(cost, -1 / eps)), 1), -eps);
}

/**
 * L1 violation of the row marginal when f is replaced by its update fNext: the plan built from
 * (f, g) has row sums a_i exp((f_i - fNext_i) / ε), so the error is Σ_i a_i |expm1((f - fNext)_i / ε)|.
 */
function marginalError(a: ArrayLike<number>, f: Tensor, fNext: Tensor, eps: number): number {
  const x = f.dataSync();
  const y = fNext.dataSync();
  let e = 0;
  for (let i = 0; i < x.length; i++) e += a[i]! * Math.abs(Math.expm1((x[i]! - y[i]!) / eps));
  return e;
}

/**
 * Entropic optimal transport by log-domain Sinkhorn iterations (Cuturi 2013; the stabilised
 * log-sum-exp form of Peyré & Cuturi, "Computational Optimal Transport", 2019, Section 4.4) for a
 * cost matrix C [n, m] and weights a [n], b [m] (each summing to 1).
 *
 * The iterations run without recording a graph; the returned cost is the dual value rebuilt from one
 * last differentiable soft c-transform of each converged potential, ½(<a, T(g)> + <b, g>) +
 * ½(<a, f> + <b, T'(f)>), whose gradient in C is the plan P by the envelope theorem (what unrolled
 * differentiation converges to, at the cost of one iteration). Gradients in a and b are defined up
 * to an additive constant, as on the simplex.
 *
 * @param cost - Cost matrix `[n, m]`.
 * @param a - Source weights `[n]`, summing to 1.
 * @param b - Target weights `[m]`, summing to 1.
 * @param opts - See {@link SinkhornOptions}.
 * @returns The cost, plan, potentials and iteration count.
 * @throws {ShapeError} when the shapes do not fit.
 * @throws {ValueError} for weights that are negative or do not sum to 1, or invalid options.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sinkhorn } from '@difflab/losses';
 * const C = tensor([[0, 1], [1, 0]]);
 * const a = tensor([0.5, 0.5]);
 * const r = sinkhorn(C, a, a, { eps: 0.01 });
 * r.plan.toArray(); // about [[0.5, 0], [0, 0.5]]
 * r.cost.item(); // 0.006931
 * ```
 */
export function sinkhorn(cost: Tensor, a: Tensor, b: Tensor, opts: SinkhornOptions = {}): SinkhornResult {
  const op = 'sinkhorn';
  requireFloat(op, 'cost', cost);
  requireFloat(op, 'a', a);
  requireFloat(op, 'b', b);
  if (cost.ndim !== 2 || a.ndim !== 1 || b.ndim !== 1 || a.shape[0] !== cost.shape[0] || b.shape[0] !== cost.shape[1])
    throw new ShapeError(
      `${op}: cost [n, m] needs weights a [n] and b [m], got ${fmtShape(cost.shape)}, ${fmtShape(a.shape)}, ${fmtShape(b.shape)}`,
    );
  checkSimplex(op, 'a', a, 0);
  checkSimplex(op, 'b', b, 0);
  const { eps, maxIters, tol } = settings(op, cost, opts);
  const canCheck = cost.device === 'cpu';

  const C = stopGradient(cost);
  const CT = transpose(C);
  const la = log(stopGradient(a));
  const lb = log(stopGradient(b));
  let f = mul(sum(C, 1), 0);
  let g = mul(sum(C, 0), 0);
  const aHost = canCheck ? a.dataSync() : null;
  let iterations = 0;
  while (iterations < maxIters) {
    const fNext = softmin(C, lb, g, eps);
    const converged = aHost !== null && iterations > 0 && marginalError(aHost, f, fNext, eps) < tol;
    f = fNext;
    g = softmin(CT, la, f, eps);
    iterations++;
    if (converged) break;
  }
  const fs = stopGradient(f);
  const gs = stopGradient(g);
  const laT = log(a);
  const lbT = log(b);
  const fT = softmin(cost, lbT, gs, eps);
  const gT = softmin(transpose(cost), laT, fs, eps);
  const dot = (w: Tensor, v: Tensor) => sum(mul(w, v));
  const value = mul(add(add(dot(a, fT), dot(b, gs)), add(dot(a, fs), dot(b, gT))), 0.5);
  const rowTerm = reshape(add(laT, mul(fT, 1 / eps)), [-1, 1]);
  const colTerm = reshape(add(lbT, mul(gT, 1 / eps)), [1, -1]);
  const plan = exp(sub(add(rowTerm, colTerm), mul(cost, 1 / eps)));
  return { cost: value, plan, f: fT, g: gT, iterations };
}

/**
 * OT_ε(a, a) for a symmetric cost, by the symmetric fixed point f = T(f) with the averaged update
 * f ← ½ (f + T(f)) (Feydy et al. 2019, Section 3.1). Alternating Sinkhorn converges very slowly on
 * such self-transport problems (the plan is close to a permutation); the averaged form takes a few
 * dozen iterations. The value 2<a, f> is rebuilt as <a, T(f*)> + <a, f*> for envelope gradients.
 *
 * @param cost - Symmetric cost matrix `[n, n]`.
 * @param a - Weights `[n]`, summing to 1.
 * @param opts - See {@link SinkhornOptions}.
 * @returns The scalar OT_ε(a, a).
 * @throws {ShapeError} for a non-square cost or mismatched weights.
 * @throws {ValueError} for invalid weights or options.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { symmetricSinkhornCost } from '@difflab/losses';
 * const C = tensor([[0, 1], [1, 0]]);
 * symmetricSinkhornCost(C, tensor([0.5, 0.5]), { eps: 0.1 }).item(); // 0.06931
 * ```
 */
export function symmetricSinkhornCost(cost: Tensor, a: Tensor, opts: SinkhornOptions = {}): Tensor {
  const op = 'symmetricSinkhornCost';
  requireFloat(op, 'cost', cost);
  requireFloat(op, 'a', a);
  if (cost.ndim !== 2 || a.ndim !== 1 || cost.shape[0] !== cost.shape[1] || a.shape[0] !== cost.shape[0])
    throw new ShapeError(
      `${op}: cost [n, n] needs weights a [n], got ${fmtShape(cost.shape)} and ${fmtShape(a.shape)}`,
    );
  checkSimplex(op, 'a', a, 0);
  const { eps, maxIters, tol } = settings(op, cost, opts);
  const C = stopGradient(cost);
  const la = log(stopGradient(a));
  const aHost = cost.device === 'cpu' ? a.dataSync() : null;
  let f = mul(sum(C, 1), 0);
  for (let k = 1; k <= maxIters; k++) {
    const t = softmin(C, la, f, eps);
    const done = aHost !== null && k > 1 && marginalError(aHost, f, t, eps) < tol;
    f = mul(add(f, t), 0.5);
    if (done) break;
  }
  const fs = stopGradient(f);
  return add(sum(mul(a, softmin(cost, log(a), fs, eps))), sum(mul(a, fs)));
}

function settings(op: string, cost: Tensor, opts: SinkhornOptions) {
  const eps = opts.eps ?? 0.1;
  checkPositiveNumber(op, 'eps', eps);
  const maxIters = opts.maxIters ?? 2000;
  if (!Number.isInteger(maxIters) || maxIters < 1)
    throw new ValueError(`${op}: maxIters must be a positive integer, got ${maxIters}`);
  const tol = opts.tol ?? (cost.dtype === 'float64' ? 1e-7 : 1e-5);
  checkPositiveNumber(op, 'tol', tol);
  return { eps, maxIters, tol };
}

/**
 * Options of {@link entropicOT} and {@link sinkhornDivergence}: the {@link SinkhornOptions} plus the ground cost and weights.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import type { EntropicOTOptions } from '@difflab/losses';
 * const o: EntropicOTOptions = { p: 1, eps: 0.05, a: tensor([0.2, 0.8]) };
 * ```
 */
export interface EntropicOTOptions extends SinkhornOptions {
  /** Ground cost ‖x - y‖^p. Default 2 (squared Euclidean). */
  p?: number;
  /** Weights of x and y (default uniform). */
  a?: Tensor;
  /** Weights of y (default uniform). */
  b?: Tensor;
}

function groundCost(x: Tensor, y: Tensor, p: number): Tensor {
  const d2 = sqDistances(x, y);
  if (p === 2) return d2;
  if (p === 1) return safeSqrt(d2);
  return pow(safeSqrt(d2), p);
}

function uniform(n: number, like: Tensor): Tensor {
  return fromTypedArray(new Float64Array(n).fill(1 / n), [n], { dtype: like.dtype, device: like.device });
}

/**
 * OT_ε between point clouds x [n, d] and y [m, d] with cost ‖x - y‖^p (see {@link sinkhorn}).
 *
 * @param x - Points `[n, d]` (or `[n]`).
 * @param y - Points `[m, d]`.
 * @param opts - See {@link EntropicOTOptions}.
 * @returns The {@link SinkhornResult}; `cost` is differentiable in x and y.
 * @throws {ShapeError} when the point dimensions or weight lengths differ.
 * @throws {ValueError} for invalid weights or options.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { entropicOT } from '@difflab/losses';
 * const x = tensor([[0, 0], [1, 0], [0, 1]]);
 * const y = x.add(0.5);
 * entropicOT(x, y, { eps: 0.01 }).cost.item(); // 0.511: close to W2² = 0.5
 * ```
 */
export function entropicOT(x: Tensor, y: Tensor, opts: EntropicOTOptions = {}): SinkhornResult {
  const [px, py] = asPointPair('entropicOT', x, y);
  const p = opts.p ?? 2;
  checkPositiveNumber('entropicOT', 'p', p);
  return sinkhorn(
    groundCost(px, py, p),
    opts.a ?? uniform(px.shape[0]!, px),
    opts.b ?? uniform(py.shape[0]!, py),
    opts,
  );
}

/**
 * Debiased Sinkhorn divergence (Ramdas et al. 2017; Genevay et al. 2018; Feydy et al., "Interpolating
 * between Optimal Transport and MMD using Sinkhorn Divergences", AISTATS 2019):
 * S_ε(α, β) = OT_ε(α, β) - ½ OT_ε(α, α) - ½ OT_ε(β, β), which is 0 for α = β, non-negative, and
 * interpolates between OT (ε → 0) and an MMD (ε → ∞).
 *
 * @param x - Points `[n, d]` (or `[n]`).
 * @param y - Points `[m, d]`.
 * @param opts - See {@link EntropicOTOptions}.
 * @returns A scalar Tensor, differentiable in x and y.
 * @throws {ShapeError} when the point dimensions or weight lengths differ.
 * @throws {ValueError} for invalid weights or options.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sinkhornDivergence } from '@difflab/losses';
 * const x = tensor([[0, 0], [1, 0], [0, 1]]);
 * const y = x.add(0.5);
 * sinkhornDivergence(x, y, { eps: 0.1 }).item(); // 0.5
 * sinkhornDivergence(x, x, { eps: 0.1 }).item(); // about 0
 * ```
 */
export function sinkhornDivergence(x: Tensor, y: Tensor, opts: EntropicOTOptions = {}): Tensor {
  const [px, py] = asPointPair('sinkhornDivergence', x, y);
  const p = opts.p ?? 2;
  checkPositiveNumber('sinkhornDivergence', 'p', p);
  const a = opts.a ?? uniform(px.shape[0]!, px);
  const b = opts.b ?? uniform(py.shape[0]!, py);
  const xy = sinkhorn(groundCost(px, py, p), a, b, opts).cost;
  const xx = symmetricSinkhornCost(groundCost(px, px, p), a, opts);
  const yy = symmetricSinkhornCost(groundCost(py, py, p), b, opts);
  return sub(xy, mul(add(xx, yy), 0.5));
}
