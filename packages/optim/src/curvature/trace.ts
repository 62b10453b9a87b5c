import { createRng } from '../core/prng.js';
import { randomLike } from '../core/random-tree.js';
import { num, treeDot } from '../core/tree-utils.js';
import type { LossFn } from '../core/types.js';
import { checkInteger } from '../core/validate.js';
import { ValueError } from '@difflab/tensor';
import { hessianVectorProduct } from './hvp.js';

/**
 * A Hutchinson trace estimate with its standard error.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { hessianTrace, type TraceResult } from '@difflab/optim';
 * const r: TraceResult = hessianTrace((p: { w: Tensor }) => p.w.square().sum(), { w: tensor([1, 2]) }, { samples: 4 });
 * r.trace; // 4: exact for a diagonal Hessian with Rademacher probes
 * ```
 */
export interface TraceResult {
  /** Mean of the probes' vᵀHv. */
  trace: number;
  /** Standard error of that mean. */
  stdError: number;
  /** Number of probes used. */
  samples: number;
}

/**
 * Hutchinson's estimator of `tr(H)`: the mean of `vᵀHv` over random probes with `E[vvᵀ] = I`
 * (Rademacher by default: lowest variance, `2 Σ_{i≠j} H_ij²` per probe). Used by PyHessian and
 * AdaHessian-style diagnostics.
 *
 * @param lossFn - Scalar loss of the params.
 * @param params - Where the Hessian is taken.
 * @param opts - `samples` (default 100), `seed` (default 0), `distribution` (`'rademacher'` or `'normal'`).
 * @returns The estimate and its standard error.
 * @throws {ValueError} for invalid samples or an unknown distribution.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { hessianTrace } from '@difflab/optim';
 * const loss = (p: { w: Tensor }) => p.w.pow(3).sum(); // H = diag(6 w)
 * hessianTrace(loss, { w: tensor([1, 2]) }, { samples: 8 }).trace; // 18
 * ```
 */
export function hessianTrace<P>(lossFn: LossFn<P>, params: P, opts: { samples?: number; seed?: number; distribution?: 'rademacher' | 'normal' } = {}): TraceResult {
  const n = checkInteger('hessianTrace', 'samples', opts.samples ?? 100, 1);
  const dist = opts.distribution ?? 'rademacher';
  if (dist !== 'rademacher' && dist !== 'normal') throw new ValueError(`hessianTrace: distribution must be 'rademacher' or 'normal', got ${String(dist)}`);
  const rng = createRng(opts.seed ?? 0);
  let mean = 0;
  let m2 = 0;
  for (let i = 1; i <= n; i++) {
    const v = randomLike(params, rng, dist);
    const x = num(treeDot(v, hessianVectorProduct(lossFn, params, v)));
    const d = x - mean;
    mean += d / i;
    m2 += d * (x - mean);
  }
  return { trace: mean, stdError: n > 1 ? Math.sqrt(m2 / (n - 1) / n) : Infinity, samples: n };
}
