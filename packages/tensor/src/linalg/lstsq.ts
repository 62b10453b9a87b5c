import { record } from '../autodiff/graph.js';
import { LinAlgError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { add, sub } from '../ops/binary.js';
import { neg } from '../ops/unary.js';
import { fromStorage } from '../ops/core.js';
import { matmul } from '../ops/matmul.js';
import { broadcastTo, expandDims, squeeze } from '../ops/shape.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { batchNote, epsOf, floatTensor, matrixDims, promoteFloat } from './checks.js';
import { runLinalg } from './dispatch.js';
import { lstsqSVD } from './kernels/lstsq.js';
import { mT } from './util.js';

/**
 * Options of `linalg.lstsq`.
 *
 * @example
 * ```ts
 * import { linalg, tensor, type LstsqOptions } from '@difflab/tensor';
 * const opts: LstsqOptions = { rcond: 1e-6 }; // the 1e-9 direction counts as rank deficiency
 * linalg.lstsq(tensor([[1, 0], [0, 1e-9]], { dtype: 'float64' }), tensor([1, 1], { dtype: 'float64' }), opts).toArray(); // => [1, 0]
 * ```
 */
export interface LstsqOptions {
  /**
   * Singular values below `rcond · s_max` are treated as zero (rank determination). Default
   * `eps(dtype) · max(m, n)`, as NumPy/PyTorch's gelsd driver.
   */
  rcond?: number;
}

/**
 * Minimum-norm least-squares solution `X = pinv(a) b` of `a X ≈ b`, like the `solution` of
 * `torch.linalg.lstsq(a, b, driver='gelsd')` / `numpy.linalg.lstsq`.
 *
 * `a` is `[..., m, n]` (any m, n, any rank), `b` is `[..., m, k]` or a (batch of) vector(s)
 * `[..., m]`; batch dims broadcast. Computed through the SVD.
 *
 * Gradient: the derivative of the pseudo-inverse (Golub & Pereyra 1973), valid where the rank is
 * locally constant:
 * `gB = pinv(a)^T g`, `gA = -gB X^T + r (pinv(a) gB)^T + pinv(a)^T X ((I - pinv(a) a) g)^T` with
 * `r = b - a X`; every pinv product is itself an `lstsq` call, so it differentiates again.
 *
 * @param a - float matrices `[..., m, n]`.
 * @param b - right-hand sides `[..., m, k]` or `[..., m]`.
 * @param opts - `rcond` for the rank cut-off.
 * @returns X, `[..., n, k]` (or `[..., n]` for vector right-hand sides).
 * @throws {ShapeError} when the row counts of `a` and `b` differ or the batch dims do not broadcast.
 * @throws {DTypeError} for non-float input.
 * @throws {ValueError} for a negative `rcond`.
 * @throws {LinAlgError} when `a` has non-finite entries (the SVD does not converge).
 *
 * @example
 * ```ts
 * import { linalg, tensor } from '@difflab/tensor';
 * // Fit y = c0 * x0 + c1 * x1 to three points.
 * const a = tensor([[1, 0], [0, 1], [1, 1]], { dtype: 'float64' });
 * linalg.lstsq(a, tensor([1, 2, 4], { dtype: 'float64' })).toArray(); // => [1.3333, 2.3333]
 * ```
 */
export function lstsq(a: Tensor, b: Tensor, opts: LstsqOptions = {}): Tensor {
  const op = 'lstsq';
  const A = floatTensor(op, a, 'a');
  const B = floatTensor(op, b, 'b');
  const { m, n } = matrixDims(op, A, false, 'a');
  if (opts.rcond !== undefined && !(opts.rcond >= 0))
    throw new ValueError(`${op}: rcond must be a non-negative number, got ${opts.rcond}`);
  const rcond = opts.rcond ?? epsOf(promoteFloat(A, B)) * Math.max(m, n);
  const vector =
    B.ndim === 1 || (B.ndim === A.ndim - 1 && B.shape.every((d, i) => i === B.ndim - 1 || d === A.shape[i]));
  if (vector) {
    if (B.shape[B.ndim - 1] !== m)
      throw new ShapeError(
        `${op}: right-hand side of shape ${fmtShape(B.shape)} does not match the matrix of shape ${fmtShape(A.shape)}`,
      );
    return squeeze(lstsqMat(A, expandDims(B, -1), rcond, A.shape, B.shape), -1);
  }
  matrixDims(op, B, false, 'b');
  return lstsqMat(A, B, rcond, A.shape, B.shape);
}

function lstsqMat(a: Tensor, b: Tensor, rcond: number, aShape: readonly number[], bShape: readonly number[]): Tensor {
  const op = 'lstsq';
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  if (b.shape[b.ndim - 2] !== m)
    throw new ShapeError(
      `${op}: a of shape ${fmtShape(aShape)} and b of shape ${fmtShape(bShape)} have a different number of rows`,
    );
  const k = b.shape[b.ndim - 1]!;
  const batch = broadcastShapes(op, a.shape.slice(0, -2), b.shape.slice(0, -2));
  const dt = promoteFloat(a, b);
  const aB = broadcastTo(a.dtype === dt ? a : a.astype(dt), [...batch, m, n]);
  const bB = broadcastTo(b.dtype === dt ? b : b.astype(dt), [...batch, m, k]);
  const count = batch.reduce((x, y) => x * y, 1);
  const [s] = runLinalg({
    op,
    kernel: 'linalg.lstsq',
    inputs: [aB, bB],
    opts: { rcond },
    dtype: dt,
    host: ([ad, bd]) => {
      const out = new Float64Array(count * n * k);
      for (let i = 0; i < count; i++) {
        const ai = ad!.subarray(i * m * n, (i + 1) * m * n);
        const x = ai.every(Number.isFinite)
          ? lstsqSVD(ai, bd!.subarray(i * m * k, (i + 1) * m * k), m, n, k, rcond)
          : null;
        if (!x)
          throw new LinAlgError(
            `${op}: the SVD did not converge for a of shape ${fmtShape(aShape)}${batchNote(batch, i)} (non-finite entries?)`,
          );
        out.set(x, i * n * k);
      }
      return [out];
    },
  });
  const X = fromStorage(s!, [...batch, n, k], dt);
  return record(X, 'lstsq', [aB, bB], (g, needs) => {
    const pinvT = (y: Tensor) => lstsqMat(mT(aB), y, rcond, aShape, bShape);
    const pinv = (y: Tensor) => lstsqMat(aB, y, rcond, aShape, bShape);
    const gb = pinvT(g);
    if (!needs[0]) return [null, gb];
    const r = sub(bB, matmul(aB, X));
    const h = sub(g, pinv(matmul(aB, g)));
    const gA = add(add(neg(matmul(gb, mT(X))), matmul(r, mT(pinv(gb)))), matmul(pinvT(X), mT(h)));
    return [gA, needs[1] ? gb : null];
  });
}
