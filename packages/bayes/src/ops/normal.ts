import { customGrad, exp, mul, add, neg, square, sub, type Tensor } from '@difflab/tensor';
import {
  LOG_SQRT_2PI,
  invMills as invMillsHost,
  logH as logHHost,
  logNormCdf as logNormCdfHost,
  normCdf as normCdfHost,
} from '../internal/special.js';
import { mapHost } from './host-map.js';

/** Standard normal density φ(z), elementwise (plain differentiable tensor ops). */
export function normPdf(z: Tensor): Tensor {
  return exp(sub(mul(square(z), -0.5), LOG_SQRT_2PI));
}

/** Standard normal CDF Φ(z), accurate in the lower tail; dΦ/dz = φ(z). */
export const normCdf: (z: Tensor) => Tensor = customGrad(
  (z: Tensor) => mapHost('normCdf', z, normCdfHost),
  (g, _out, z) => [mul(g, normPdf(z))],
);

/** Inverse Mills ratio λ(z) = φ(z)/Φ(z); dλ/dz = -λ(λ + z). */
export const invMills: (z: Tensor) => Tensor = customGrad(
  (z: Tensor) => mapHost('invMills', z, invMillsHost),
  (g, _out, z) => {
    const l = invMills(z);
    return [mul(g, neg(mul(l, add(l, z))))];
  },
);

/** log Φ(z), finite for every finite z; d/dz = λ(z). */
export const logNormCdf: (z: Tensor) => Tensor = customGrad(
  (z: Tensor) => mapHost('logNormCdf', z, logNormCdfHost),
  (g, _out, z) => [mul(g, invMills(z))],
);

/**
 * log h(z), h(z) = φ(z) + zΦ(z) (standard-normal expected improvement), stable far into the lower
 * tail; d/dz log h = Φ(z)/h(z) = exp(log Φ(z) - log h(z)).
 */
export const logH: (z: Tensor) => Tensor = customGrad(
  (z: Tensor) => mapHost('logH', z, logHHost),
  (g, _out, z) => [mul(g, exp(sub(logNormCdf(z), logH(z))))],
);
