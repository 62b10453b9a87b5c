import { record } from '../autodiff/graph.js';
import { GradError, ValueError, fmtShape } from '../errors.js';
import { add } from '../ops/binary.js';
import { neg } from '../ops/unary.js';
import { fromStorage } from '../ops/core.js';
import { zerosLike } from '../ops/creation.js';
import { matmul } from '../ops/matmul.js';
import { concat, slice } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';
import { floatTensor, matrixDims } from './checks.js';
import { runLinalg } from './dispatch.js';
import { householderQR } from './kernels/qr.js';
import { triangularSolve } from './triangular.js';
import { mT, triPart } from './util.js';

/**
 * Options of `linalg.qr`.
 *
 * @example
 * ```ts
 * import { linalg, zeros, type QROptions } from '@difflab/tensor';
 * const opts: QROptions = { mode: 'complete' };
 * linalg.qr(zeros([3, 2]).add(1), opts).Q.shape; // => [3, 3]
 * ```
 */
export interface QROptions {
  /** `'reduced'` (default): Q `[..., m, k]`, R `[..., k, n]`; `'complete'`: Q `[..., m, m]`, R `[..., m, n]`. */
  mode?: 'reduced' | 'complete';
}

/**
 * Result of `linalg.qr`: `a = Q R`.
 *
 * @example
 * ```ts
 * import { linalg, tensor, matmul, type QRResult } from '@difflab/tensor';
 * const { Q, R }: QRResult = linalg.qr(tensor([[1, 2], [3, 4]], { dtype: 'float64' }));
 * matmul(Q, R).toArray(); // => [[1, 2], [3, 4]]
 * ```
 */
export interface QRResult {
  /** Orthonormal columns: `[..., m, k]` (reduced) or `[..., m, m]` (complete), k = min(m, n). */
  Q: Tensor;
  /** Upper triangular: `[..., k, n]` (reduced) or `[..., m, n]` (complete). */
  R: Tensor;
}

/**
 * QR decomposition `a = Q R` of matrices `[..., m, n]` by Householder reflections, like
 * `torch.linalg.qr(a, mode)`.
 *
 * Uses LAPACK's sign convention, so Q and R match PyTorch/NumPy (R's diagonal may be negative).
 * Batched over leading dims.
 *
 * Gradient (Walter & Lehmann 2018; Liao et al. 2019) for m >= n:
 * `gA = (gQ + Q copyltu(M)) R^{-T}` with `M = R gR^T - gQ^T Q` and `copyltu(M) = tril(M) + tril(M, -1)^T`;
 * for m < n, `a = [X | Y]` is split so that `X = Q R₁` is square and `Y = Q R₂` is a product.
 * Needs R's leading block non-singular (full-rank input). With `mode: 'complete'` and m > n the
 * extra columns of Q are not unique and differentiating them throws GradError.
 *
 * @param a - float matrices `[..., m, n]`.
 * @param opts - `mode`: `'reduced'` (default) or `'complete'`.
 * @returns `{ Q, R }`.
 * @throws {ShapeError} for input with fewer than 2 dims.
 * @throws {DTypeError} for non-float input.
 *
 * @example
 * ```ts
 * import { linalg, tensor } from '@difflab/tensor';
 * const { Q, R } = linalg.qr(tensor([[1, 2], [3, 4]], { dtype: 'float64' }));
 * R.toArray(); // => [[-3.1623, -4.4272], [0, -0.6325]]
 * Q.T.matmul(Q).toArray(); // => [[1, 0], [0, 1]]
 * ```
 */
export function qr(a: Tensor, opts: QROptions = {}): QRResult {
  const op = 'qr';
  const A = floatTensor(op, a);
  const { batch, m, n, count } = matrixDims(op, A, false);
  const mode = opts.mode ?? 'reduced';
  if (mode !== 'reduced' && mode !== 'complete')
    throw new ValueError(`${op}: mode must be 'reduced' or 'complete', got '${String(mode)}'`);
  const complete = mode === 'complete';
  const kq = complete ? m : Math.min(m, n);
  const [sq, sr] = runLinalg({
    op,
    kernel: 'linalg.qr',
    inputs: [A],
    opts: { complete },
    dtype: A.dtype,
    host: ([d]) => {
      const Q = new Float64Array(count * m * kq);
      const R = new Float64Array(count * kq * n);
      for (let i = 0; i < count; i++) {
        const r = householderQR(d!.subarray(i * m * n, (i + 1) * m * n), m, n, complete);
        Q.set(r.q, i * m * kq);
        R.set(r.r, i * kq * n);
      }
      return [Q, R];
    },
  });
  const Qo = fromStorage(sq!, [...batch, m, kq], A.dtype);
  const Ro = fromStorage(sr!, [...batch, kq, n], A.dtype);
  const check = () => {
    if (kq > n)
      throw new GradError(
        `${op}: the gradient of mode 'complete' with m > n (input ${fmtShape(a.shape)}) is not defined: the extra columns of Q are not unique`,
      );
  };
  const Q = record(Qo, 'qr.Q', [A], (g) => {
    check();
    return [qrVjp(A, Qo, Ro, g, null)];
  });
  const R = record(Ro, 'qr.R', [A], (g) => {
    check();
    return [qrVjp(A, Qo, Ro, null, g)];
  });
  return { Q, R };
}

/** Cotangent of A given those of Q and R (either may be null = zero). */
function qrVjp(A: Tensor, Q: Tensor, R: Tensor, gQ: Tensor | null, gR: Tensor | null): Tensor {
  const m = A.shape[A.ndim - 2]!;
  const n = A.shape[A.ndim - 1]!;
  if (m >= n) return tallVjp(Q, R, gQ, gR);
  // a = [X | Y] with X = Q R1 square and Y = Q R2: Q also receives Y gR2^T.
  const R1 = slice(R, '...', `:${m}`);
  const Y = slice(A, '...', `${m}:`);
  const gR1 = gR ? slice(gR, '...', `:${m}`) : null;
  const gR2 = gR ? slice(gR, '...', `${m}:`) : null;
  const gQeff = gR2 ? (gQ ? add(gQ, matmul(Y, mT(gR2))) : matmul(Y, mT(gR2))) : gQ;
  const gX = tallVjp(Q, R1, gQeff, gR1);
  const gY = gR2 ? matmul(Q, gR2) : zerosLike(Y);
  return concat([gX, gY], -1);
}

function tallVjp(Q: Tensor, R: Tensor, gQ: Tensor | null, gR: Tensor | null): Tensor {
  let M: Tensor | null = gR ? matmul(R, mT(gR)) : null;
  if (gQ) {
    const t = matmul(mT(gQ), Q);
    M = M ? add(M, neg(t)) : neg(t);
  }
  const copyltu = add(triPart(M!, true, 1), mT(triPart(M!, true, 0)));
  let W = matmul(Q, copyltu);
  if (gQ) W = add(W, gQ);
  // W R^{-T}: solve X R^T = W with R^T lower triangular.
  return triangularSolve(mT(R), W, { left: false });
}
