import { add, matmul, mul, pow, sum, swapAxes, square, type Tensor } from '@difflab/tensor';
import { ValueError } from '@difflab/tensor';
import { withAlgebra } from './combine.js';
import { resolveHyper, type HyperOption, type HyperSpecs } from './hyper.js';
import { checkInputs, type Kernel } from './kernel.js';
import { selectDims } from './stationary.js';

const BOUNDS = [1e-5, 1e5] as const;

function dotProduct(a: Tensor, b: Tensor): Tensor {
  return matmul(a, swapAxes(b, -1, -2));
}

/**
 * Options of {@link linear}.
 *
 * @example
 * ```ts
 * import type { LinearOptions } from '@difflab/bayes';
 * const opts: LinearOptions = { variance: 1, offset: 0.1, dims: [0] };
 * ```
 */
export interface LinearOptions {
  /** Scale of the dot product. Default 1, bounds [1e-5, 1e5]. */
  variance?: HyperOption;
  /** Constant added to the covariance (a bias term's variance); omitted when not given. */
  offset?: HyperOption;
  /** Columns of the input the kernel looks at (default: all). */
  dims?: readonly number[];
}

/**
 * Linear kernel `σ² x·x' (+ c)`, i.e. Bayesian linear regression.
 *
 * GPyTorch's `LinearKernel`; scikit-learn's `DotProduct` (with `offset` as σ₀²). Non-stationary.
 *
 * @param opts - variance, offset and active columns.
 * @returns The kernel, with hyperparameters `variance` (and `offset` when given).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { linear } from '@difflab/bayes';
 * const h = { variance: tensor([2], { dtype: 'float64' }) };
 * linear().cov(tensor([[1, 2]], { dtype: 'float64' }), tensor([[3, 4]], { dtype: 'float64' }), h); // tensor([[22]]) = 2 · 11
 * ```
 */
export function linear(opts: LinearOptions = {}): Kernel {
  const kind = 'linear';
  return withAlgebra({
    kind,
    hypers(): HyperSpecs {
      return {
        variance: resolveHyper(kind, 'variance', opts.variance, { value: 1, bounds: BOUNDS }, 1),
        ...(opts.offset !== undefined
          ? { offset: resolveHyper(kind, 'offset', opts.offset, { value: 1, bounds: BOUNDS }, 1) }
          : {}),
      };
    },
    cov(a, b, h) {
      checkInputs(kind, a, b);
      const k = mul(dotProduct(selectDims(kind, a, opts.dims), selectDims(kind, b, opts.dims)), h.variance!);
      return h.offset ? add(k, h.offset) : k;
    },
    diag(a, h) {
      checkInputs(kind, a);
      const k = mul(sum(square(selectDims(kind, a, opts.dims)), -1), h.variance!);
      return h.offset ? add(k, h.offset) : k;
    },
  });
}

/**
 * Options of {@link polynomial}.
 *
 * @example
 * ```ts
 * import type { PolynomialOptions } from '@difflab/bayes';
 * const opts: PolynomialOptions = { power: 3, offset: 1, variance: 1 };
 * ```
 */
export interface PolynomialOptions {
  /** Integer degree p ≥ 1 (not learned). Default 2. */
  power?: number;
  /** Offset c in (x·x' + c)^p. Default 1, bounds [1e-5, 1e5]. */
  offset?: HyperOption;
  /** Output scale. Default 1, bounds [1e-5, 1e5]. */
  variance?: HyperOption;
  /** Columns of the input the kernel looks at (default: all). */
  dims?: readonly number[];
}

/**
 * Polynomial kernel `σ² (x·x' + c)^p` (scikit-learn: `ConstantKernel(σ²) * DotProduct(√c) ** p`).
 *
 * @param opts - degree, offset, variance and active columns.
 * @returns The kernel, with hyperparameters `offset` and `variance`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { polynomial } from '@difflab/bayes';
 * const f64 = (v: number) => tensor([v], { dtype: 'float64' });
 * const k = polynomial({ power: 2 });
 * k.cov(tensor([[1]], { dtype: 'float64' }), tensor([[2]], { dtype: 'float64' }), { offset: f64(1), variance: f64(1) }); // tensor([[9]]) = (2 + 1)²
 * ```
 */
export function polynomial(opts: PolynomialOptions = {}): Kernel {
  const kind = 'polynomial';
  const p = opts.power ?? 2;
  if (!Number.isInteger(p) || p < 1) throw new ValueError(`polynomial: power must be an integer >= 1, got ${p}`);
  return withAlgebra({
    kind,
    hypers(): HyperSpecs {
      return {
        variance: resolveHyper(kind, 'variance', opts.variance, { value: 1, bounds: BOUNDS }, 1),
        offset: resolveHyper(kind, 'offset', opts.offset, { value: 1, bounds: BOUNDS }, 1),
      };
    },
    cov(a, b, h) {
      checkInputs(kind, a, b);
      return mul(
        pow(add(dotProduct(selectDims(kind, a, opts.dims), selectDims(kind, b, opts.dims)), h.offset!), p),
        h.variance!,
      );
    },
    diag(a, h) {
      checkInputs(kind, a);
      return mul(pow(add(sum(square(selectDims(kind, a, opts.dims)), -1), h.offset!), p), h.variance!);
    },
  });
}
