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
 * Differentiable linear algebra, batched over leading dimensions, float32 and float64 (computed in
 * float64 on the host; a device may provide its own kernels under `Backend.kernels['linalg.*']`).
 * Conventions follow `torch.linalg`; see each function. `diagonal` extracts the main diagonal of
 * the last two axes (a differentiable view), handy for `2 * sum(log(diagonal(L)))` log-determinants.
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
