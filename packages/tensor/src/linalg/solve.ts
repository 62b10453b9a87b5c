import { record } from '../autodiff/graph.js';
import { LinAlgError, ShapeError, fmtShape } from '../errors.js';
import { neg } from '../ops/unary.js';
import { fromStorage } from '../ops/core.js';
import { matmul } from '../ops/matmul.js';
import { broadcastTo } from '../ops/shape.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { batchNote, floatTensor, isVectorRhs, matrixDims, promoteFloat, rhsError, solveVectorRhs } from './checks.js';
import { runLinalg } from './dispatch.js';
import { luInPlace, luSolve, zeroPivot } from './kernels/lu.js';
import { mT } from './util.js';

/**
 * Options of `linalg.solve`.
 *
 * @example
 * ```ts
 * import { linalg, tensor, type SolveOptions } from '@difflab/tensor';
 * const opts: SolveOptions = { left: false }; // X a = b
 * linalg.solve(tensor([[2, 0], [0, 4]]), tensor([[2, 4]]), opts).toArray(); // => [[1, 1]]
 * ```
 */
export interface SolveOptions {
  /** Solve `a X = b` (true, default) or `X a = b` (false). */
  left?: boolean;
}

/**
 * Solution of the square system `a X = b` (or `X a = b` with `left: false`), like
 * `torch.linalg.solve`.
 *
 * Computed by LU with partial pivoting. `a` is `[..., n, n]`; `b` is `[..., n, k]`, or a (batch of)
 * vector(s) `[..., n]` when it is 1-D or has one dim fewer than `a` with matching batch dims (then
 * the result is a vector too). Batch dims broadcast. Gradient: `gB = solve(a^T, g)`,
 * `gA = -gB X^T`.
 *
 * @param a - square float matrices `[..., n, n]`.
 * @param b - right-hand sides.
 * @param opts - `left` (default true).
 * @returns X with the shape of `b` (batch dims broadcast).
 * @throws {LinAlgError} for an exactly singular matrix (zero pivot).
 * @throws {ShapeError} for non-square `a` or a `b` whose dims do not match.
 *
 * @example
 * ```ts
 * import { linalg, tensor } from '@difflab/tensor';
 * linalg.solve(tensor([[3, 1], [1, 2]]), tensor([9, 8])).toArray(); // => [2, 3]
 * linalg.solve(tensor([[3, 1], [1, 2]]), tensor([1, 2, 3])); // throws ShapeError
 * ```
 */
export function solve(a: Tensor, b: Tensor, opts: SolveOptions = {}): Tensor {
  const op = 'solve';
  const A = floatTensor(op, a, 'a');
  const B = floatTensor(op, b, 'b');
  const { n } = matrixDims(op, A, true, 'a');
  const left = opts.left ?? true;
  if (isVectorRhs(A, B)) return solveVectorRhs(op, A, B, left, (b) => solve(A, b, opts));
  matrixDims(op, B, false, 'b');
  if (left) return solveLeft(A, B, A.shape, B.shape);
  if (B.shape[B.ndim - 1] !== n) throw rhsError('solve', A, B);
  return mT(solveLeft(mT(A), mT(B), A.shape, B.shape));
}

function solveLeft(a: Tensor, b: Tensor, aShape: readonly number[], bShape: readonly number[]): Tensor {
  const op = 'solve';
  const n = a.shape[a.ndim - 1]!;
  if (b.shape[b.ndim - 2] !== n)
    throw new ShapeError(
      `${op}: a of shape ${fmtShape(aShape)} and b of shape ${fmtShape(bShape)} have incompatible dimensions`,
    );
  const k = b.shape[b.ndim - 1]!;
  const batch = broadcastShapes(op, a.shape.slice(0, -2), b.shape.slice(0, -2));
  const dt = promoteFloat(a, b);
  const aB = broadcastTo(a.dtype === dt ? a : a.astype(dt), [...batch, n, n]);
  const bB = broadcastTo(b.dtype === dt ? b : b.astype(dt), [...batch, n, k]);
  const count = batch.reduce((x, y) => x * y, 1);
  const [s] = runLinalg({
    op,
    kernel: 'linalg.solve',
    inputs: [aB, bB],
    dtype: dt,
    host: ([lu, rhs]) => {
      const perm = new Int32Array(n);
      for (let i = 0; i < count; i++) {
        luInPlace(lu!, i * n * n, n, perm);
        const z = zeroPivot(lu!, i * n * n, n);
        if (z >= 0)
          throw new LinAlgError(
            `${op}: matrix of shape ${fmtShape(aShape)}${batchNote(batch, i)} is singular (zero pivot at column ${z})`,
          );
        luSolve(lu!, i * n * n, n, perm, rhs!, i * n * k, k);
      }
      return [rhs!];
    },
  });
  const X = fromStorage(s!, [...batch, n, k], dt);
  return record(X, 'solve', [aB, bB], (g, needs) => {
    const gb = solveLeft(mT(aB), g, aShape, bShape);
    return [needs[0] ? neg(matmul(gb, mT(X))) : null, needs[1] ? gb : null];
  });
}
