import { ShapeError, ValueError, expandDims, fmtShape, neg, squeeze, type Tensor } from '@difflab/tensor';
import type { Surrogate } from '../gp/surrogate.js';

/**
 * An acquisition function: candidate batches `X: [b, q, d]` (or `[b, d]` for q = 1) in the
 * model's input units → `[b]` values, larger is better. Differentiable with respect to `X`.
 * `maxQ` is the largest batch size it supports (1 for analytic acquisitions).
 *
 * BoTorch's `AcquisitionFunction.forward`. Maximize it with {@link optimizeAcquisition}.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fitGP, expectedImprovement, type AcquisitionFunction } from '@difflab/bayes';
 * const gp = fitGP([[0.1], [0.5], [0.9]], [1.0, 0.2, 0.7]);
 * const acq: AcquisitionFunction = expectedImprovement(gp, { maximize: false });
 * acq(tensor([[0.4], [0.95]], { dtype: 'float64' })); // [2] values, one per candidate
 * acq.maxQ; // 1
 * ```
 */
export interface AcquisitionFunction {
  (X: Tensor): Tensor;
  /** Name of the acquisition (`'ei'`, `'qNei'`, …). */
  readonly kind: string;
  /** Largest q it accepts. */
  readonly maxQ: number;
}

/**
 * Incumbent and direction options shared by the improvement-based acquisitions.
 *
 * @example
 * ```ts
 * import type { ImprovementOptions } from '@difflab/bayes';
 * const opts: ImprovementOptions = { best: 0.2, maximize: false };
 * ```
 */
export interface ImprovementOptions {
  /** Incumbent value in the units of y. Default: best observed y of a GaussianProcess. */
  best?: number;
  /** Maximize (default) or minimize the objective. */
  maximize?: boolean;
}

export function makeAcquisition(kind: string, maxQ: number, f: (X: Tensor) => Tensor): AcquisitionFunction {
  const fn = (X: Tensor) => f(X);
  return Object.assign(fn, { kind, maxQ }) as AcquisitionFunction;
}

/** `[b, q, d]` view of candidates; `[b, d]` means q = 1. */
export function asBatch(op: string, X: Tensor, dim: number, maxQ: number): Tensor {
  let x = X;
  if (x.ndim === 2) x = expandDims(x, 1);
  if (x.ndim !== 3 || x.shape[2] !== dim)
    throw new ShapeError(`${op}: candidates of shape ${fmtShape(X.shape)} need [b, q, ${dim}] (or [b, ${dim}])`);
  if (x.shape[1]! > maxQ)
    throw new ShapeError(
      `${op}: supports at most q = ${maxQ} points per batch, got candidates of shape ${fmtShape(X.shape)}`,
    );
  if (x.dtype !== 'float64') x = x.astype('float64');
  return x;
}

/** Observed targets of a model that has them (GaussianProcess), for default incumbents. */
export function observedTargets(model: Surrogate): Float64Array | null {
  const y = (model as { y?: unknown }).y;
  return y instanceof Float64Array ? y : null;
}

/** The incumbent on the maximization scale: `best` (negated when minimizing) or the best observed y. */
export function incumbent(op: string, model: Surrogate, opts: ImprovementOptions): number {
  const sign = opts.maximize === false ? -1 : 1;
  if (opts.best !== undefined) {
    if (!Number.isFinite(opts.best)) throw new ValueError(`${op}: best must be finite, got ${opts.best}`);
    return sign * opts.best;
  }
  const y = observedTargets(model);
  if (!y || y.length === 0) throw new ValueError(`${op}: pass {best} for a model without observed targets`);
  let m = -Infinity;
  for (const v of y) m = Math.max(m, sign * v);
  return m;
}

/** Marginal posterior of q = 1 candidates on the maximization scale: mean/variance `[b]`. */
export function marginal(model: Surrogate, x: Tensor, maximize: boolean): { mean: Tensor; variance: Tensor } {
  const { mean, variance } = model.predict(x);
  const m = squeeze(mean, -1);
  return { mean: maximize ? m : neg(m), variance: squeeze(variance, -1) };
}
