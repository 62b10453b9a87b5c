import { record } from '../autodiff/graph.js';
import { LinAlgError, fmtShape } from '../errors.js';
import { mul, sub } from '../ops/binary.js';
import { fromStorage } from '../ops/core.js';
import { matmul } from '../ops/matmul.js';
import { expandDims } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';
import { batchNote, floatTensor, matrixDims } from './checks.js';
import { runLinalg } from './dispatch.js';
import { inverseGaps } from './gaps.js';
import { eighInPlace } from './kernels/eigh.js';
import { mT } from './util.js';

/**
 * Options of `linalg.eigh`.
 *
 * @example
 * ```ts
 * import { linalg, tensor, type EighOptions } from '@difflab/tensor';
 * const opts: EighOptions = { upper: true }; // the lower triangle (here garbage) is ignored
 * linalg.eigh(tensor([[2, 1], [99, 2]]), opts).eigenvalues.toArray(); // => [1, 3]
 * ```
 */
export interface EighOptions {
  /** Read the upper triangle instead of the lower one (`UPLO='U'` in PyTorch). Default false. */
  upper?: boolean;
}

/**
 * Result of `linalg.eigh`: `a = eigenvectors · diag(eigenvalues) · eigenvectorsᵀ`.
 *
 * @example
 * ```ts
 * import { linalg, tensor, matmul, type EighResult } from '@difflab/tensor';
 * const a = tensor([[2, 1], [1, 2]], { dtype: 'float64' });
 * const { eigenvalues: w, eigenvectors: V }: EighResult = linalg.eigh(a);
 * matmul(V.mul(w), V.T).toArray(); // => [[2, 1], [1, 2]]
 * ```
 */
export interface EighResult {
  /** `[..., n]`, ascending. */
  eigenvalues: Tensor;
  /** `[..., n, n]`, orthonormal; column i belongs to eigenvalue i. Each column's sign is arbitrary. */
  eigenvectors: Tensor;
}

/**
 * Eigen-decomposition of real symmetric matrices `[..., n, n]`, like `torch.linalg.eigh`.
 *
 * `a = V diag(w) V^T` with ascending eigenvalues. Only the lower triangle is read (upper with
 * `{upper: true}`). Host kernel: Householder tridiagonalisation + implicit QR with Wilkinson shifts
 * (~1e-15 relative).
 *
 * Gradient (symmetric, as PyTorch): `gA = V (diag(gw) + F ∘ skew(V^T gV)) V^T` with
 * `F_ij = 1/(w_j - w_i)`. For repeated eigenvalues the eigenvectors are not unique; the
 * corresponding F entries are set to 0 (see `inverseGaps`), which is exact for losses that depend
 * only on eigenvalues or on whole eigenspaces.
 *
 * @param a - symmetric float matrices `[..., n, n]`.
 * @param opts - `upper` (default false).
 * @returns `{ eigenvalues: [..., n], eigenvectors: [..., n, n] }`.
 * @throws {LinAlgError} if the QR iteration fails to converge (e.g. NaN input).
 * @throws {ShapeError} for non-square input.
 *
 * @example
 * ```ts
 * import { linalg, grad, tensor, Tensor } from '@difflab/tensor';
 * const a = tensor([[2, 1], [1, 2]], { dtype: 'float64' });
 * linalg.eigh(a).eigenvalues.toArray(); // => [1, 3]
 * // d(largest eigenvalue)/da = v vᵀ for its unit eigenvector v = [1, 1]/√2
 * grad((m: Tensor) => linalg.eigh(m).eigenvalues.slice(1))(a).toArray(); // => [[0.5, 0.5], [0.5, 0.5]]
 * ```
 */
export function eigh(a: Tensor, opts: EighOptions = {}): EighResult {
  const op = 'eigh';
  const A0 = floatTensor(op, a);
  matrixDims(op, A0, true);
  const A = opts.upper ? mT(A0) : A0;
  const { batch, n, count } = matrixDims(op, A, true);
  const [sw, sv] = runLinalg({
    op,
    kernel: 'linalg.eigh',
    inputs: [A],
    dtype: A.dtype,
    host: ([d]) => {
      const w = new Float64Array(count * n);
      const v = new Float64Array(count * n * n);
      for (let i = 0; i < count; i++) {
        const block = d!.subarray(i * n * n, (i + 1) * n * n);
        const wi = w.subarray(i * n, (i + 1) * n);
        const vi = v.subarray(i * n * n, (i + 1) * n * n);
        if (!block.every(Number.isFinite) || !eighInPlace(block, n, wi, vi))
          throw new LinAlgError(
            `${op}: eigenvalue iteration did not converge for the input of shape ${fmtShape(a.shape)}${batchNote(batch, i)} (non-finite entries?)`,
          );
      }
      return [w, v];
    },
  });
  const W = fromStorage(sw!, [...batch, n], A.dtype);
  const V = fromStorage(sv!, A.shape, A.dtype);
  const eigenvalues = record(W, 'eigh.eigenvalues', [A], (g) => [matmul(mul(V, expandDims(g, -2)), mT(V))]);
  const eigenvectors = record(V, 'eigh.eigenvectors', [A], (g) => {
    const k = matmul(mT(V), g);
    const skew = mul(sub(k, mT(k)), 0.5);
    return [matmul(matmul(V, mul(skew, inverseGaps(W))), mT(V))];
  });
  return { eigenvalues, eigenvectors };
}
