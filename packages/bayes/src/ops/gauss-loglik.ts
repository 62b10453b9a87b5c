import {
  LinAlgError,
  ShapeError,
  add,
  customGrad,
  expandDims,
  eye,
  fmtShape,
  fromTypedArray,
  matmul,
  mul,
  neg,
  scalar,
  squeeze,
  swapAxes,
  type Tensor,
} from '@difflab/tensor';
import { choInverse, choLogDet, choSolve, choleskyWithJitter } from '../internal/host-la.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Out-parameter of {@link gaussLogLik}: pass an object to learn how much jitter was needed.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { gaussLogLik, type GaussLogLikInfo } from '@difflab/bayes';
 * const info: GaussLogLikInfo = { jitter: 0 };
 * gaussLogLik(tensor([[1, 1], [1, 1]], { dtype: 'float64' }), tensor([1, 1], { dtype: 'float64' }), info);
 * info.jitter; // > 0: the all-ones matrix is singular
 * ```
 */
export interface GaussLogLikInfo {
  /** Jitter added to the diagonal to make K numerically positive definite (0 if none). */
  jitter: number;
}

const sym = (m: Tensor) => mul(add(m, swapAxes(m, -1, -2)), 0.5);

/**
 * log N(y | 0, K) = −½ yᵀK⁻¹y − ½ log|K| − (n/2) log 2π for a symmetric positive-definite
 * `K: [n, n]` and `y: [n]`, computed through one host Cholesky factorization (with jitter
 * escalation, reported through `info`). Its adjoint is the closed form
 * `∂/∂K = ½(ααᵀ − K⁻¹)`, `∂/∂y = −α` with `α = K⁻¹y`, expressed through the differentiable
 * `spdSolve`/`spdInverse` below so second derivatives are exact as well. Equal, to rounding, to
 * differentiating through `linalg.cholesky` but several times cheaper for large n.
 *
 * @throws {LinAlgError} when K stays indefinite after the largest jitter.
 *
 * @param K - covariance `[n, n]`, float64.
 * @param y - observations `[n]`, float64.
 * @param info - optional out-parameter receiving the jitter used.
 * @returns The scalar log density, differentiable in K and y to any order.
 *
 * @example
 * ```ts
 * import { tensor, grad, eye, type Tensor } from '@difflab/tensor';
 * import { gaussLogLik } from '@difflab/bayes';
 * const K = eye(2, 2, { dtype: 'float64' });
 * const y = tensor([1, 0], { dtype: 'float64' });
 * gaussLogLik(K, y); // tensor(-2.3379) = -1/2 - log 2π
 * grad((yy: Tensor) => gaussLogLik(K, yy))(y); // tensor([-1, 0]) = -K⁻¹y
 * ```
 */
export function gaussLogLik(K: Tensor, y: Tensor, info?: GaussLogLikInfo): Tensor {
  const n = y.shape[0]!;
  if (K.ndim !== 2 || y.ndim !== 1 || K.shape[0] !== n || K.shape[1] !== n)
    throw new ShapeError(
      `gaussLogLik: covariance of shape ${fmtShape(K.shape)} and targets of shape ${fmtShape(y.shape)} need [n, n] and [n]`,
    );
  const f = choleskyWithJitter(K.dataSync() as Float64Array, n);
  if (!f)
    throw new LinAlgError(
      `gaussLogLik: covariance of shape ${fmtShape(K.shape)} is not positive definite even with jitter`,
    );
  if (info) info.jitter = f.jitter;
  const { L, jitter } = f;
  const yv = y.dataSync();
  const alpha = choSolve(L, n, yv);
  let quad = 0;
  for (let i = 0; i < n; i++) quad += yv[i]! * alpha[i]!;
  const value = -0.5 * quad - 0.5 * choLogDet(L, n) - 0.5 * n * LOG_2PI;
  const solve = spdSolveWith(L, n);
  const inverse = spdInverseWith(L, n);
  const adjoint = adjointWith(L, n, alpha, solve, inverse);
  const op = customGrad(
    (_K: Tensor, _y: Tensor) => scalar(value, { dtype: 'float64' }),
    (g, _out, Ka, ya) => {
      const Kj = jitter > 0 ? add(Ka, mul(eye(n, n, { dtype: 'float64' }), jitter)) : Ka;
      return [mul(adjoint(Kj, ya), g), mul(neg(solve(Kj, ya)), g)];
    },
  );
  return op(K, y);
}

/**
 * W(K, y) = ½(ααᵀ − K⁻¹), α = K⁻¹y, the adjoint of the log density with respect to K. The forward
 * pass is one fused host loop over K⁻¹ from the factor; its own derivative (needed only for second
 * order) is assembled from the differentiable solve/inverse below:
 * for a cotangent G, u = (G + Gᵀ)α, ∂/∂y = ½K⁻¹u, ∂/∂K = −½ sym((K⁻¹u)αᵀ) + ½ K⁻¹ sym(G) K⁻¹.
 */
function adjointWith(
  L: Float64Array,
  n: number,
  alpha: Float64Array,
  solve: (K: Tensor, b: Tensor) => Tensor,
  inverse: (K: Tensor) => Tensor,
): (K: Tensor, y: Tensor) => Tensor {
  return customGrad(
    (_K: Tensor, _y: Tensor) => {
      const W = choInverse(L, n);
      for (let i = 0; i < n; i++) {
        const ai = alpha[i]!;
        const r = i * n;
        for (let j = 0; j < n; j++) W[r + j] = 0.5 * (ai * alpha[j]! - W[r + j]!);
      }
      return fromTypedArray(W, [n, n], { dtype: 'float64' });
    },
    (G, _out, K, y) => {
      const a = solve(K, y);
      const Gs = add(G, swapAxes(G, 0, 1));
      const u = squeeze(matmul(Gs, expandDims(a, 1)), 1);
      const Ku = solve(K, u);
      const Ki = inverse(K);
      const gK = add(
        mul(sym(mul(expandDims(Ku, 1), expandDims(a, 0))), -0.5),
        mul(matmul(matmul(Ki, sym(G)), Ki), 0.5),
      );
      return [gK, mul(Ku, 0.5)];
    },
  );
}

/** x = K⁻¹b for a vector b, using the given Cholesky factor; differentiable in K (symmetric) and b. */
function spdSolveWith(L: Float64Array, n: number): (K: Tensor, b: Tensor) => Tensor {
  const solve: (K: Tensor, b: Tensor) => Tensor = customGrad(
    (_K: Tensor, b: Tensor) => fromTypedArray(choSolve(L, n, b.dataSync()), [n], { dtype: 'float64' }),
    (g, x, K, _b) => {
      const gb = solve(K, g);
      return [neg(sym(mul(expandDims(gb, 1), expandDims(x, 0)))), gb];
    },
  );
  return solve;
}

/** K⁻¹ from the given Cholesky factor; gradient −K⁻¹ sym(G) K⁻¹. */
function spdInverseWith(L: Float64Array, n: number): (K: Tensor) => Tensor {
  const inverse: (K: Tensor) => Tensor = customGrad(
    (_K: Tensor) => fromTypedArray(choInverse(L, n), [n, n], { dtype: 'float64' }),
    (g, _out, K) => {
      const Ki = inverse(K);
      return [neg(matmul(matmul(Ki, sym(g)), Ki))];
    },
  );
  return inverse;
}
