import { customGrad, exp, mul, add, neg, square, sub, type Tensor } from '@difflab/tensor';
import {
  LOG_SQRT_2PI,
  invMills as invMillsHost,
  logH as logHHost,
  logNormCdf as logNormCdfHost,
  normCdf as normCdfHost,
} from '../internal/special.js';
import { mapHost } from './host-map.js';

/**
 * Standard normal density φ(z), elementwise (plain differentiable tensor ops).
 *
 * @param z - any float tensor.
 * @returns φ(z) with the shape of `z`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { normPdf } from '@difflab/bayes';
 * normPdf(tensor([0, 1], { dtype: 'float64' })); // tensor([0.3989, 0.2420])
 * ```
 */
export function normPdf(z: Tensor): Tensor {
  return exp(sub(mul(square(z), -0.5), LOG_SQRT_2PI));
}

/**
 * Standard normal CDF Φ(z), accurate in the lower tail; dΦ/dz = φ(z).
 *
 * `torch.special.ndtr` / `scipy.stats.norm.cdf`; differentiable through a custom gradient.
 *
 * @param z - any float tensor.
 * @returns Φ(z) with the shape of `z`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { normCdf } from '@difflab/bayes';
 * normCdf(tensor([0, 1.96, -10], { dtype: 'float64' })); // tensor([0.5, 0.9750, 7.62e-24])
 * ```
 */
export const normCdf: (z: Tensor) => Tensor = customGrad(
  (z: Tensor) => mapHost('normCdf', z, normCdfHost),
  (g, _out, z) => [mul(g, normPdf(z))],
);

/**
 * Inverse Mills ratio λ(z) = φ(z)/Φ(z); dλ/dz = -λ(λ + z).
 *
 * Needed by the gradient of {@link logNormCdf} and by log-EI; stable where Φ(z) underflows.
 *
 * @param z - any float tensor.
 * @returns λ(z) with the shape of `z`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { invMills } from '@difflab/bayes';
 * invMills(tensor([0, -40], { dtype: 'float64' })); // tensor([0.7979, 40.025]): ≈ −z in the lower tail
 * ```
 */
export const invMills: (z: Tensor) => Tensor = customGrad(
  (z: Tensor) => mapHost('invMills', z, invMillsHost),
  (g, _out, z) => {
    const l = invMills(z);
    return [mul(g, neg(mul(l, add(l, z))))];
  },
);

/**
 * log Φ(z), finite for every finite z; d/dz = λ(z).
 *
 * `torch.special.log_ndtr` / `scipy.special.log_ndtr`.
 *
 * @param z - any float tensor.
 * @returns log Φ(z) with the shape of `z`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { logNormCdf } from '@difflab/bayes';
 * logNormCdf(tensor([0, -40], { dtype: 'float64' })); // tensor([-0.6931, -804.61])
 * ```
 */
export const logNormCdf: (z: Tensor) => Tensor = customGrad(
  (z: Tensor) => mapHost('logNormCdf', z, logNormCdfHost),
  (g, _out, z) => [mul(g, invMills(z))],
);

/**
 * log h(z), h(z) = φ(z) + zΦ(z) (standard-normal expected improvement), stable far into the lower
 * tail; d/dz log h = Φ(z)/h(z) = exp(log Φ(z) - log h(z)).
 *
 * The building block of {@link logExpectedImprovement} (Ament et al. 2023's log-EI): EI = σ·h(z).
 *
 * @param z - any float tensor.
 * @returns log h(z) with the shape of `z`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { logH } from '@difflab/bayes';
 * logH(tensor([0, -30], { dtype: 'float64' })); // tensor([-0.9189, -457.72]): EI far below any float64 still ranks
 * ```
 */
export const logH: (z: Tensor) => Tensor = customGrad(
  (z: Tensor) => mapHost('logH', z, logHHost),
  (g, _out, z) => [mul(g, exp(sub(logNormCdf(z), logH(z))))],
);
