import { record } from '../autodiff/graph.js';
import { LinAlgError, fmtShape } from '../errors.js';
import { add, mul } from '../ops/binary.js';
import { fromStorage } from '../ops/core.js';
import { matmul } from '../ops/matmul.js';
import type { Tensor } from '../tensor.js';
import { batchNote, floatTensor, matrixDims } from './checks.js';
import { runLinalg } from './dispatch.js';
import { choleskyInPlace } from './kernels/cholesky.js';
import { triangularSolve } from './triangular.js';
import { mT, triPart } from './util.js';

/**
 * Options of `linalg.cholesky`.
 *
 * @example
 * ```ts
 * import { linalg, tensor, type CholeskyOptions } from '@difflab/tensor';
 * const opts: CholeskyOptions = { upper: true };
 * linalg.cholesky(tensor([[4, 2], [2, 3]]), opts).slice(0).toArray(); // => [2, 1]
 * ```
 */
export interface CholeskyOptions {
  /** Return the upper factor U with `A = U^T U` (computed from the upper triangle). Default false. */
  upper?: boolean;
}

/**
 * Cholesky factor of symmetric positive-definite matrices `[..., n, n]`, like
 * `torch.linalg.cholesky`.
 *
 * Returns the lower-triangular L with `A = L L^T`, or with `{upper: true}` the upper factor
 * `U = L^T`. Only the lower triangle of `a` is read (the upper one with `upper: true`). Batched over
 * leading dims; float32 or float64 (computed in float64 on the host), the GP workhorse.
 *
 * Gradient (Murray 2016): `gA = L^{-T} Φ L^{-1}` with Φ the symmetrised lower part of `L^T gL`,
 * built from `triangularSolve` and `matmul`, so it can be differentiated again. Like PyTorch the
 * returned gradient is symmetric, i.e. it treats `a` as a symmetric matrix.
 *
 * @param a - symmetric positive-definite matrices `[..., n, n]`.
 * @param opts - `upper` (default false).
 * @returns the triangular factor, same shape and dtype as `a`.
 * @throws {LinAlgError} when a matrix is not positive definite (message names the shape, the batch
 *   index and the failing leading minor).
 * @throws {ShapeError} for non-square input.
 * @throws {DTypeError} for non-float input.
 *
 * @example
 * ```ts
 * import { linalg, tensor } from '@difflab/tensor';
 * const L = linalg.cholesky(tensor([[4, 2], [2, 3]], { dtype: 'float64' }));
 * L.toArray(); // => [[2, 0], [1, 1.4142]]
 * linalg.cholesky(tensor([[1, 2], [2, 1]])); // throws LinAlgError
 * ```
 */
export function cholesky(a: Tensor, opts: CholeskyOptions = {}): Tensor {
  const x = floatTensor('cholesky', a);
  matrixDims('cholesky', x, true);
  if (opts.upper) return mT(choleskyLower(mT(x), a.shape));
  return choleskyLower(x, a.shape);
}

function choleskyLower(a: Tensor, userShape: readonly number[]): Tensor {
  const { batch, n, count } = matrixDims('cholesky', a, true);
  const [s] = runLinalg({
    op: 'cholesky',
    kernel: 'linalg.cholesky',
    inputs: [a],
    dtype: a.dtype,
    host: ([d]) => {
      for (let b = 0; b < count; b++) {
        const fail = choleskyInPlace(d!, b * n * n, n);
        if (fail >= 0)
          throw new LinAlgError(
            `cholesky: input of shape ${fmtShape(userShape)}${batchNote(batch, b)} is not positive definite (leading minor of order ${fail + 1} is not positive)`,
          );
      }
      return [d!];
    },
  });
  const L = fromStorage(s!, a.shape, a.dtype);
  return record(L, 'cholesky', [a], (g) => [choleskyVjp(L, g)]);
}

function choleskyVjp(L: Tensor, gL: Tensor): Tensor {
  // tril(L^T gL) suffices: L^T triu(gL, 1) is strictly upper, so gL's upper part cannot contribute.
  const phi = triPart(matmul(mT(L), gL), true, 0.5);
  const sym = add(phi, mT(phi));
  const left = triangularSolve(mT(L), sym, { upper: true });
  return mul(triangularSolve(L, left, { left: false }), 0.5);
}
