import { ValueError, clamp, concat, div, expandDims, full, mul, sqrt, type Tensor } from '@difflab/tensor';
import { expectedImprovement } from '../acquisition/analytic.js';
import { asBatch, makeAcquisition, type AcquisitionFunction } from '../acquisition/types.js';
import type { Surrogate } from '../gp/surrogate.js';

/**
 * Options of {@link multiFidelityExpectedImprovement}.
 *
 * @example
 * ```ts
 * import type { MultiFidelityEIOptions } from '@difflab/bayes';
 * const opts: MultiFidelityEIOptions = { fidelityDim: 1, target: 1, level: 0, costs: [1, 10], best: 0.2, maximize: false };
 * ```
 */
export interface MultiFidelityEIOptions {
  /** Column holding the fidelity level. */
  fidelityDim: number;
  /** The level whose optimum is sought (usually the highest). */
  target: number;
  /** The level this acquisition evaluates candidates at. */
  level: number;
  /** Cost of one evaluation per level. */
  costs: readonly number[];
  /** Best target-level value observed (y units). */
  best: number;
  /** Maximize (default) or minimize the objective. */
  maximize?: boolean;
}

/**
 * Cost-aware multi-fidelity expected improvement (augmented EI of Huang et al. 2006): for design x
 * evaluated at `level`, α = EI_target(x) · corr(y_level(x), f_target(x)) · cost_target / cost_level,
 * where the correlation (including observation noise at `level`) discounts levels that say little
 * about the target and the cost ratio rewards cheap evaluations. Candidates are design points
 * `[b, d − 1]` (the fidelity column is inserted here), so the usual optimizer applies.
 *
 * @param model - a GP over (x, level) inputs, e.g. with {@link autoregressiveKernel}.
 * @param opts - fidelity column, target and evaluated level, costs, incumbent, direction.
 * @returns An acquisition over design points `[b, d − 1]` evaluated at `opts.level`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { autoregressiveKernel, rbf, fitGP, multiFidelityExpectedImprovement } from '@difflab/bayes';
 * const kernel = autoregressiveKernel({ base: rbf({ dims: [0] }), delta: rbf({ dims: [0] }), fidelityDim: 1 });
 * const gp = fitGP([[0, 0], [0.5, 0], [1, 0], [0.5, 1]], [1, 0.3, 0.8, 0.4], { kernel });
 * const cheap = multiFidelityExpectedImprovement(gp, { fidelityDim: 1, target: 1, level: 0, costs: [1, 10], best: 0.4, maximize: false });
 * cheap(tensor([[0.4]], { dtype: 'float64' })); // [1]: EI × correlation × cost ratio 10
 * ```
 */
export function multiFidelityExpectedImprovement(model: Surrogate, opts: MultiFidelityEIOptions): AcquisitionFunction {
  const op = 'multiFidelityExpectedImprovement';
  if (!model.predictJoint) throw new ValueError(`${op}: the model needs a joint posterior`);
  const { fidelityDim: fd, target, level, costs } = opts;
  for (const c of costs) if (!(c > 0)) throw new ValueError(`${op}: costs must be positive, got ${c}`);
  if (costs[target] === undefined || costs[level] === undefined)
    throw new ValueError(`${op}: no cost given for level ${costs[target] === undefined ? target : level}`);
  const ratio = costs[target]! / costs[level]!;
  const noise = model.noiseVariance ?? 0;
  const d = model.dim;
  const withLevel = (x: Tensor, l: number) => {
    const b = x.shape[0]!;
    const col = full([b, 1], l, { dtype: 'float64' });
    return concat([x.slice(null, `0:${fd}`), col, x.slice(null, `${fd}:`)], 1);
  };
  const ei = expectedImprovement(model, { best: opts.best, maximize: opts.maximize });
  return makeAcquisition('mfEi', 1, (X) => {
    const x = asBatch(op, X, d - 1, 1).reshape([-1, d - 1]);
    const xt = withLevel(x, target);
    const value = ei(xt);
    if (level === target) return mul(value, ratio);
    const pair = concat([expandDims(withLevel(x, level), 1), expandDims(xt, 1)], 1); // [b, 2, d]
    const C = model.predictJoint!(pair).covariance; // [b, 2, 2]
    const c01 = C.slice(null, 0, 1);
    const c00 = clamp(C.slice(null, 0, 0), 1e-18);
    const c11 = clamp(C.slice(null, 1, 1), 1e-18);
    const corr = div(c01, sqrt(mul(c00.add(noise), c11)));
    return mul(mul(value, clamp(corr, 0)), ratio);
  });
}
