import { clamp, customGrad, exp, mul, neg, add, sqrt, where, greater, zerosLike, type Tensor } from '@difflab/tensor';
import { mapHost } from './host-map.js';

/**
 * Radial profiles k(r²) of the stationary kernels as single elementwise ops: the forward pass is
 * one host loop over the n×m squared distances (instead of ~8 tensor ops), and the derivative
 * dk/d(r²) is itself written with differentiable tensor ops, so higher derivatives still work.
 * The Matérn-3/2 and 5/2 derivatives in r² are smooth at r = 0; Matérn-1/2's is not, and its
 * gradient is defined as 0 there (coincident points, where ∂r²/∂θ = 0 anyway).
 */
const MIN_R2 = 1e-36;
const S3 = Math.sqrt(3);
const S5 = Math.sqrt(5);

const sOf = (r2: Tensor, c: number) => mul(sqrt(clamp(r2, MIN_R2)), c);

export const rbfProfile: (r2: Tensor) => Tensor = customGrad(
  (r2: Tensor) => mapHost('rbf', r2, (v) => Math.exp(-0.5 * v)),
  (g, _out, r2) => [mul(g, mul(rbfProfile(r2), -0.5))],
);

export const matern12Profile: (r2: Tensor) => Tensor = customGrad(
  (r2: Tensor) => mapHost('matern12', r2, (v) => Math.exp(-Math.sqrt(Math.max(v, MIN_R2)))),
  (g, _out, r2) => {
    const r = sOf(r2, 1);
    const d = mul(exp(neg(r)), mul(r, 2).reciprocal().neg());
    return [mul(g, where(greater(r2, MIN_R2), d, zerosLike(d)))];
  },
);

export const matern32Profile: (r2: Tensor) => Tensor = customGrad(
  (r2: Tensor) =>
    mapHost('matern32', r2, (v) => {
      const s = S3 * Math.sqrt(Math.max(v, MIN_R2));
      return (1 + s) * Math.exp(-s);
    }),
  (g, _out, r2) => [mul(g, mul(exp(neg(sOf(r2, S3))), -1.5))],
);

export const matern52Profile: (r2: Tensor) => Tensor = customGrad(
  (r2: Tensor) =>
    mapHost('matern52', r2, (v) => {
      const s = S5 * Math.sqrt(Math.max(v, MIN_R2));
      return (1 + s + (5 / 3) * v) * Math.exp(-s);
    }),
  (g, _out, r2) => {
    const s = sOf(r2, S5);
    return [mul(g, mul(mul(add(s, 1), exp(neg(s))), -5 / 6))];
  },
);
