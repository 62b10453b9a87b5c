import { record } from '../autodiff/graph.js';
import { LinAlgError, fmtShape } from '../errors.js';
import { neg } from '../ops/unary.js';
import { fromStorage } from '../ops/core.js';
import { matmul } from '../ops/matmul.js';
import type { Tensor } from '../tensor.js';
import { batchNote, floatTensor, matrixDims } from './checks.js';
import { runLinalg } from './dispatch.js';
import { luInPlace, luSolve, zeroPivot } from './kernels/lu.js';
import { mT } from './util.js';

/**
 * Inverse of square matrices `[..., n, n]`, like `torch.linalg.inv`.
 *
 * Computed by LU with partial pivoting. Prefer {@link solve} for systems (cheaper and more
 * accurate than multiplying by the inverse). Gradient: `gA = -X^T g X^T` with `X = inv(a)`.
 *
 * @param a - square float matrices `[..., n, n]`.
 * @returns the inverses, same shape and dtype.
 * @throws {LinAlgError} for an exactly singular matrix.
 * @throws {ShapeError} for non-square input.
 *
 * @example
 * ```ts
 * import { linalg, tensor } from '@difflab/tensor';
 * linalg.inv(tensor([[4, 7], [2, 6]], { dtype: 'float64' })).toArray(); // => [[0.6, -0.7], [-0.2, 0.4]]
 * linalg.inv(tensor([[1, 2], [2, 4]])); // throws LinAlgError
 * ```
 */
export function inv(a: Tensor): Tensor {
  const op = 'inv';
  const A = floatTensor(op, a);
  const { batch, n, count } = matrixDims(op, A, true);
  const [s] = runLinalg({
    op,
    kernel: 'linalg.inv',
    inputs: [A],
    dtype: A.dtype,
    host: ([lu]) => {
      const out = new Float64Array(count * n * n);
      const perm = new Int32Array(n);
      for (let i = 0; i < count; i++) {
        const off = i * n * n;
        luInPlace(lu!, off, n, perm);
        const z = zeroPivot(lu!, off, n);
        if (z >= 0)
          throw new LinAlgError(
            `${op}: matrix of shape ${fmtShape(A.shape)}${batchNote(batch, i)} is singular (zero pivot at column ${z})`,
          );
        for (let j = 0; j < n; j++) out[off + j * n + j] = 1;
        luSolve(lu!, off, n, perm, out, off, n);
      }
      return [out];
    },
  });
  const X = fromStorage(s!, A.shape, A.dtype);
  return record(X, 'inv', [A], (g) => {
    const xt = mT(X);
    return [neg(matmul(matmul(xt, g), xt))];
  });
}
