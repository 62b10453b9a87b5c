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
import { solveTriangularInPlace } from './kernels/triangular.js';
import { mT, triPart } from './util.js';

/**
 * Options of `linalg.triangularSolve`.
 *
 * @example
 * ```ts
 * import { linalg, tensor, type TriangularSolveOptions } from '@difflab/tensor';
 * const opts: TriangularSolveOptions = { upper: true, unitriangular: true };
 * linalg.triangularSolve(tensor([[5, 2], [0, 5]]), tensor([3, 1]), opts).toArray(); // => [1, 1]
 * ```
 */
export interface TriangularSolveOptions {
  /** `a` is upper triangular (its strict lower triangle is ignored). Default false: lower. */
  upper?: boolean;
  /** Solve `a X = b` (true, default) or `X a = b` (false). */
  left?: boolean;
  /** Assume ones on the diagonal of `a` (the stored diagonal is ignored). Default false. */
  unitriangular?: boolean;
}

/**
 * Solves a triangular system `a X = b` (or `X a = b`), like
 * `torch.linalg.solve_triangular(a, b, upper, left, unitriangular)`.
 *
 * `a` is `[..., n, n]`, `b` is `[..., n, k]` (`[..., k, n]` with `left: false`); batch dims
 * broadcast. As a convenience `b` may also be a (batch of) vector(s) `[..., n]` (see `solve`).
 * Only the selected triangle of `a` is read, and its gradient is masked to that triangle. With a
 * Cholesky factor this is how GP posteriors avoid explicit inverses.
 *
 * @param a - triangular float matrices `[..., n, n]` (lower unless `upper`).
 * @param b - right-hand sides.
 * @param opts - `upper`, `left`, `unitriangular`.
 * @returns X with the shape of `b` (batch dims broadcast).
 * @throws {LinAlgError} if the diagonal of `a` has a zero (rather than returning inf/NaN).
 * @throws {ShapeError} when the dims of `a` and `b` do not match.
 *
 * @example
 * ```ts
 * import { linalg, tensor } from '@difflab/tensor';
 * const L = tensor([[2, 0], [1, 1]]);
 * linalg.triangularSolve(L, tensor([[2], [3]])).toArray(); // => [[1], [2]]
 * linalg.triangularSolve(tensor([[0, 0], [1, 1]]), tensor([1, 1])); // throws LinAlgError
 * ```
 */
export function triangularSolve(a: Tensor, b: Tensor, opts: TriangularSolveOptions = {}): Tensor {
  const op = 'triangularSolve';
  const A = floatTensor(op, a, 'a');
  const B = floatTensor(op, b, 'b');
  const { n } = matrixDims(op, A, true, 'a');
  const upper = opts.upper ?? false;
  const left = opts.left ?? true;
  const unit = opts.unitriangular ?? false;
  if (isVectorRhs(A, B)) return solveVectorRhs(op, A, B, left, (b) => triangularSolve(A, b, opts));
  matrixDims(op, B, false, 'b');
  if (left) return lowerOrUpperSolve(A, B, upper, unit, A.shape, B.shape);
  if (B.shape[B.ndim - 1] !== n) throw rhsError(op, A, B);
  return mT(lowerOrUpperSolve(mT(A), mT(B), !upper, unit, A.shape, B.shape));
}

/** `a X = b` for broadcast batches; the differentiable core shared by both sides. */
function lowerOrUpperSolve(
  a: Tensor,
  b: Tensor,
  upper: boolean,
  unit: boolean,
  aShape: readonly number[],
  bShape: readonly number[],
): Tensor {
  const op = 'triangularSolve';
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
    kernel: 'linalg.triangularSolve',
    inputs: [aB, bB],
    opts: { lower: !upper, unit },
    dtype: dt,
    host: ([t, rhs]) => {
      for (let i = 0; i < count; i++) {
        const bad = solveTriangularInPlace(t!, i * n * n, rhs!, i * n * k, n, k, !upper, unit);
        if (bad >= 0)
          throw new LinAlgError(
            `${op}: triangular matrix of shape ${fmtShape(aShape)}${batchNote(batch, i)} is singular (zero diagonal entry at index ${bad})`,
          );
      }
      return [rhs!];
    },
  });
  const X = fromStorage(s!, [...batch, n, k], dt);
  return record(X, 'triangularSolve', [aB, bB], (g, needs) => {
    const gb = lowerOrUpperSolve(mT(aB), g, !upper, unit, aShape, bShape);
    return [needs[0] ? triPart(neg(matmul(gb, mT(X))), !upper, unit ? 0 : 1) : null, needs[1] ? gb : null];
  });
}
