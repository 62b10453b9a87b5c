import { ValueError, type Tensor } from '@difflab/tensor';
import { createRng } from '../core/prng.js';
import { checkInteger, checkNonNegative } from '../core/validate.js';
import { symPinvSolve } from '../internal/host-linalg.js';
import { combineRows, gram } from './gradient-matrix.js';

/**
 * An aggregator maps the m×d Jacobian (rows = per-objective gradients) to one d-vector update
 * direction (TorchJD's `Aggregator`). All of these work through the m×m Gram matrix `J Jᵀ` and
 * return `wᵀJ`, so their cost beyond the gradients themselves is O(m² d).
 *
 * @example
 * ```ts
 * import { mean } from '@difflab/tensor';
 * import { jacobianDescent, type Aggregator } from '@difflab/optim';
 * const rowMean: Aggregator = (J) => mean(J, 0);
 * const jd = jacobianDescent({ aggregator: rowMean });
 * ```
 */
export type Aggregator = (J: Tensor) => Tensor;

/**
 * The weights `w` of an aggregator's combination `wᵀJ`, computed from the m×m Gram matrix
 * (row-major `Float64Array`); exposed for diagnostics and tests.
 *
 * @example
 * ```ts
 * import { mgdaWeights, type WeightFn } from '@difflab/optim';
 * const w: WeightFn = mgdaWeights();
 * Array.from(w(Float64Array.from([1, -1, -1, 2]), 2)); // [0.6, 0.4] (up to rounding)
 * ```
 */
export type WeightFn = (G: Float64Array, m: number) => Float64Array;

const asAggregator = (w: WeightFn): Aggregator => (J) => combineRows(J, w(gram(J), J.shape[0]!));

/**
 * The plain average of the gradients: `w_i = 1/m`.
 *
 * @example
 * ```ts
 * import { meanWeights } from '@difflab/optim';
 * Array.from(meanWeights(new Float64Array(4), 2)); // [0.5, 0.5]
 * ```
 */
export const meanWeights: WeightFn = (_G, m) => new Float64Array(m).fill(1 / m);

/**
 * PCGrad weights (Yu et al., NeurIPS 2020, "Gradient Surgery for Multi-Task Learning"): each
 * gradient is projected onto the normal plane of every other gradient it conflicts with (negative
 * dot product), in a random order when `seed` is given (fixed order otherwise), and the projected
 * gradients are summed (or averaged). Tracked as coefficients over the original gradients.
 *
 * @param opts - `seed` for the projection order; `reduction` `'sum'` (default, as the paper) or `'mean'`.
 * @returns The weight function.
 *
 * @example
 * ```ts
 * import { pcgradWeights } from '@difflab/optim';
 * // g1 = [1, 0], g2 = [-1, 1]: Gram [[1, -1], [-1, 2]]
 * Array.from(pcgradWeights()(Float64Array.from([1, -1, -1, 2]), 2)); // [2, 1.5]
 * ```
 */
export function pcgradWeights(opts: { seed?: number; reduction?: 'sum' | 'mean' } = {}): WeightFn {
  return (G, m) => {
    const rng = opts.seed === undefined ? null : createRng(opts.seed);
    const w = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const a = new Float64Array(m);
      a[i] = 1;
      const order = Array.from({ length: m }, (_, j) => j).filter((j) => j !== i);
      if (rng) for (let k = order.length - 1; k > 0; k--) {
        const r = rng.int(k + 1);
        [order[k], order[r]] = [order[r]!, order[k]!];
      }
      for (const j of order) {
        let dot = 0;
        for (let k = 0; k < m; k++) dot += a[k]! * G[k * m + j]!;
        const gjj = G[j * m + j]!;
        if (dot < 0 && gjj > 0) a[j]! -= dot / gjj;
      }
      for (let k = 0; k < m; k++) w[k]! += a[k]!;
    }
    if (opts.reduction === 'mean') for (let k = 0; k < m; k++) w[k]! /= m;
    return w;
  };
}

/**
 * MGDA weights (Désidéri 2012; Sener & Koltun, NeurIPS 2018): the minimum-norm point of the
 * convex hull of the gradients, `min_{α in simplex} ||Σ α_i g_i||²`, by Frank-Wolfe with exact
 * line search. The result is a common descent direction (or zero at a Pareto-stationary point).
 *
 * @param opts - `maxIter` (default 250) and `tol` (default 1e-10).
 * @returns The weight function.
 * @throws {ValueError} for invalid maxIter or tol.
 *
 * @example
 * ```ts
 * import { mgdaWeights } from '@difflab/optim';
 * Array.from(mgdaWeights()(Float64Array.from([1, -1, -1, 2]), 2)); // [0.6, 0.4] (up to rounding)
 * ```
 */
export function mgdaWeights(opts: { maxIter?: number; tol?: number } = {}): WeightFn {
  const maxIter = checkInteger('mgda', 'maxIter', opts.maxIter ?? 250, 1);
  const tol = checkNonNegative('mgda', 'tol', opts.tol ?? 1e-10);
  return (G, m) => {
    const a = new Float64Array(m).fill(1 / m);
    for (let it = 0; it < maxIter; it++) {
      const Ga = new Float64Array(m);
      for (let i = 0; i < m; i++) for (let k = 0; k < m; k++) Ga[i]! += G[i * m + k]! * a[k]!;
      let t = 0;
      for (let i = 1; i < m; i++) if (Ga[i]! < Ga[t]!) t = i;
      let vv = 0;
      for (let i = 0; i < m; i++) vv += a[i]! * Ga[i]!;
      const vt = Ga[t]!;
      const tt = G[t * m + t]!;
      // Exact minimiser of ||(1 - γ) v + γ g_t||² over γ in [0, 1].
      const den = vv - 2 * vt + tt;
      const gamma = den <= 0 ? 0 : Math.min(1, Math.max(0, (vv - vt) / den));
      if (gamma * Math.sqrt(Math.max(den, 0)) <= tol) break;
      for (let i = 0; i < m; i++) a[i] = (1 - gamma) * a[i]!;
      a[t]! += gamma;
    }
    return a;
  };
}

/**
 * ConFIG weights (Liu et al., 2024, "ConFIG: Towards Conflict-free Training of Physics Informed
 * Neural Networks"): the direction with equal cosine to every gradient,
 * `g_u ∝ pinv([ĝ_1 … ĝ_m]ᵀ) 1` (ĝ_i unit gradients), scaled by the sum of the gradients'
 * projections onto it: `g = (Σ_i g_iᵀ g_u) g_u`. Zero gradients are ignored.
 *
 * @returns The weight function.
 *
 * @example
 * ```ts
 * import { configWeights } from '@difflab/optim';
 * // orthogonal unit gradients: the bisector with projections summing to 2
 * Array.from(configWeights()(Float64Array.from([1, 0, 0, 1]), 2)); // [1, 1]
 * ```
 */
export function configWeights(): WeightFn {
  return (G, m) => {
    const n = Array.from({ length: m }, (_, i) => Math.sqrt(Math.max(G[i * m + i]!, 0)));
    const idx = n.map((v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0);
    const w = new Float64Array(m);
    const k = idx.length;
    if (k === 0) return w;
    const Gh = new Float64Array(k * k);
    idx.forEach((i, a) => idx.forEach((j, b) => (Gh[a * k + b] = G[i * m + j]! / (n[i]! * n[j]!))));
    const c = symPinvSolve(Gh, new Float64Array(k).fill(1), k);
    // x = Σ c_a ĝ_a; ||x||² = cᵀĜc; Σ_i g_iᵀ x = Σ_a n_a (Ĝc)_a.
    let xx = 0;
    let proj = 0;
    for (let a = 0; a < k; a++) {
      let gc = 0;
      for (let b = 0; b < k; b++) gc += Gh[a * k + b]! * c[b]!;
      xx += c[a]! * gc;
      proj += n[idx[a]!]! * gc;
    }
    if (!(xx > 0)) return w;
    idx.forEach((i, a) => (w[i] = ((proj / xx) * c[a]!) / n[i]!));
    return w;
  };
}

/**
 * UPGrad weights (Quinton & Rey, 2024, "Jacobian Descent for Multi-Objective Optimization"): the
 * mean of the projections of each gradient onto the dual cone `{x : Jx >= 0}`.
 *
 * Each projection solves the dual QP `min_{μ>=0} ½ μᵀGμ + μᵀG e_i` (coordinate descent), giving
 * `x = Jᵀ(e_i + μ)`. The result never conflicts with any objective and equals the mean when no two
 * gradients conflict.
 *
 * @param opts - `maxIter` of the coordinate descent (default 10000) and `tol` (default 1e-14).
 * @returns The weight function.
 * @throws {ValueError} for invalid maxIter or tol.
 *
 * @example
 * ```ts
 * import { upgradWeights } from '@difflab/optim';
 * Array.from(upgradWeights()(Float64Array.from([1, 0, 0, 2]), 2)); // [0.5, 0.5]: no conflict, the mean
 * ```
 */
export function upgradWeights(opts: { maxIter?: number; tol?: number } = {}): WeightFn {
  const maxIter = checkInteger('upgrad', 'maxIter', opts.maxIter ?? 10000, 1);
  const tol = checkNonNegative('upgrad', 'tol', opts.tol ?? 1e-14);
  return (G, m) => {
    const w = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const mu = new Float64Array(m);
      for (let it = 0; it < maxIter; it++) {
        let change = 0;
        for (let k = 0; k < m; k++) {
          const gkk = G[k * m + k]!;
          if (!(gkk > 0)) continue;
          let grad = G[k * m + i]!;
          for (let j = 0; j < m; j++) grad += G[k * m + j]! * mu[j]!;
          const next = Math.max(0, mu[k]! - grad / gkk);
          change = Math.max(change, Math.abs(next - mu[k]!) * Math.sqrt(gkk));
          mu[k] = next;
        }
        if (change <= tol) break;
      }
      for (let k = 0; k < m; k++) w[k]! += (mu[k]! + (k === i ? 1 : 0)) / m;
    }
    return w;
  };
}

/**
 * Names of the built-in aggregators, accepted wherever an {@link Aggregator} is.
 *
 * @example
 * ```ts
 * import { jacobianDescent, type AggregatorName } from '@difflab/optim';
 * const name: AggregatorName = 'mgda';
 * const jd = jacobianDescent({ aggregator: name });
 * ```
 */
export type AggregatorName = 'mean' | 'upgrad' | 'pcgrad' | 'mgda' | 'config';

/**
 * The built-in aggregators by name; each factory accepts the options of its weight function
 * (`pcgrad`: `{seed, reduction}`, `mgda`/`upgrad`: `{maxIter, tol}`).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { aggregators } from '@difflab/optim';
 * const J = tensor([[1, 0], [-1, 1]]);
 * aggregators.mgda()(J).toArray(); // [0.2, 0.4] (up to rounding)
 * aggregators.mean()(J).toArray(); // [0, 0.5]
 * ```
 */
export const aggregators: Record<AggregatorName, (opts?: any) => Aggregator> = {
  mean: () => asAggregator(meanWeights),
  upgrad: (o) => asAggregator(upgradWeights(o)),
  pcgrad: (o) => asAggregator(pcgradWeights(o)),
  mgda: (o) => asAggregator(mgdaWeights(o)),
  config: () => asAggregator(configWeights()),
};

/**
 * Resolves an aggregator given by name or as a function (UPGrad when `undefined`).
 *
 * @param op - Name of the calling op, used in error messages.
 * @param a - A name, a function, or `undefined`.
 * @returns The aggregator function.
 * @throws {ValueError} for an unknown name.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { resolveAggregator } from '@difflab/optim';
 * const agg = resolveAggregator('demo', 'pcgrad');
 * agg(tensor([[1, 0], [-1, 1]])).toArray(); // [0.5, 1.5]
 * ```
 */
export function resolveAggregator(op: string, a: AggregatorName | Aggregator | undefined): Aggregator {
  if (a === undefined) return aggregators.upgrad();
  if (typeof a === 'function') return a;
  const f = aggregators[a as AggregatorName];
  if (!f) throw new ValueError(`${op}: unknown aggregator '${String(a)}' (expected ${Object.keys(aggregators).join(', ')} or a function)`);
  return f();
}
