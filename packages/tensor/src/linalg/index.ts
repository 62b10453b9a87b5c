import { cholesky } from './cholesky.js';
import { det, slogdet } from './det.js';
import { eigh } from './eigh.js';
import { inv } from './inv.js';
import { lstsq } from './lstsq.js';
import { qr } from './qr.js';
import { solve } from './solve.js';
import { svd } from './svd.js';
import { triangularSolve } from './triangular.js';
import { diagonal } from './util.js';

export { cholesky, det, slogdet, eigh, inv, lstsq, qr, solve, svd, triangularSolve };
export type { CholeskyOptions } from './cholesky.js';
export type { SlogdetResult } from './det.js';
export type { EighOptions, EighResult } from './eigh.js';
export type { LstsqOptions } from './lstsq.js';
export type { QROptions, QRResult } from './qr.js';
export type { SolveOptions } from './solve.js';
export type { SVDOptions, SVDResult } from './svd.js';
export type { TriangularSolveOptions } from './triangular.js';
export type { LinalgKernel, LinalgKernelName } from './kernels/types.js';

/**
 * Differentiable linear algebra (`torch.linalg` / `jax.numpy.linalg`), batched over leading
 * dimensions.
 *
 * float32 and float64 inputs are computed in float64 on the host (a device may provide its own
 * kernels under `Backend.kernels['linalg.*']`, see {@link LinalgKernel}); results keep the input
 * dtype. Conventions follow `torch.linalg`; see each function. `diagonal` extracts the main
 * diagonal of the last two axes (a differentiable view), handy for `2 * sum(log(diagonal(L)))`
 * log-determinants. Every gradient is written with these same ops, so any order works.
 *
 * @example
 * ```ts
 * import { linalg, grad, tensor, Tensor } from '@difflab/tensor';
 * // GP-style quadratic form yᵀ K⁻¹ y through a Cholesky factor.
 * const K = tensor([[2, 1], [1, 2]], { dtype: 'float64' });
 * const y = tensor([[1], [1]], { dtype: 'float64' });
 * const quad = (k: Tensor) => linalg.triangularSolve(linalg.cholesky(k), y).square().sum();
 * quad(K).item(); // => 0.6667
 * grad(quad)(K).toArray(); // => [[-0.1111, -0.1111], [-0.1111, -0.1111]]
 * ```
 *
 * @namespace
 */
export const linalg = {
  // `@function` makes typedoc document each member with the function's own doc comment.
  /** @function */
  cholesky,
  /** @function */
  triangularSolve,
  /** @function */
  solve,
  /** @function */
  inv,
  /** @function */
  det,
  /** @function */
  slogdet,
  /** @function */
  eigh,
  /** @function */
  svd,
  /** @function */
  qr,
  /** @function */
  lstsq,
  /** @function */
  diagonal,
} as const;
