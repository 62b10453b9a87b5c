import { record } from '../autodiff/graph.js';
import { LinAlgError, fmtShape } from '../errors.js';
import { add, greater, mul, sub, where } from '../ops/binary.js';
import { fromStorage } from '../ops/core.js';
import { matmul } from '../ops/matmul.js';
import { expandDims, slice } from '../ops/shape.js';
import { reciprocal, square } from '../ops/unary.js';
import type { Tensor } from '../tensor.js';
import { batchNote, floatTensor, matrixDims } from './checks.js';
import { runLinalg } from './dispatch.js';
import { inverseGaps } from './gaps.js';
import { svdJacobi } from './kernels/svd.js';
import { mT } from './util.js';

/**
 * Options of `linalg.svd`.
 *
 * @example
 * ```ts
 * import { linalg, zeros, type SVDOptions } from '@difflab/tensor';
 * const opts: SVDOptions = { fullMatrices: true };
 * linalg.svd(zeros([3, 2]).add(1), opts).U.shape; // => [3, 3]
 * ```
 */
export interface SVDOptions {
  /** Return square U `[..., m, m]` and Vh `[..., n, n]` instead of the reduced factors. Default false. */
  fullMatrices?: boolean;
}

/**
 * Result of `linalg.svd`: `a = U · diag(S) · Vh`.
 *
 * @example
 * ```ts
 * import { linalg, tensor, matmul, type SVDResult } from '@difflab/tensor';
 * const a = tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' });
 * const { U, S, Vh }: SVDResult = linalg.svd(a);
 * matmul(U.mul(S), Vh).toArray(); // => [[1, 2], [3, 4], [5, 6]]
 * ```
 */
export interface SVDResult {
  /** `[..., m, k]` (k = min(m, n)), or `[..., m, m]` with `fullMatrices`. */
  U: Tensor;
  /** `[..., k]`, descending, non-negative. */
  S: Tensor;
  /** `[..., k, n]`, or `[..., n, n]` with `fullMatrices`. */
  Vh: Tensor;
}

/**
 * Singular value decomposition `a = U diag(S) Vh` of matrices `[..., m, n]`, like
 * `torch.linalg.svd(a, full_matrices)` (note the default here is the reduced form).
 *
 * Host kernel: Householder QR + one-sided Jacobi, accurate to high relative precision.
 * Singular-vector pairs have arbitrary (joint) signs.
 *
 * Gradient (Townsend 2016), written with differentiable ops:
 * `gA = U [(F ∘ (U^T gU - gU^T U)) S + diag(gS) + S (F ∘ (V^T gV - gV^T V))] Vh
 *        + (I - U U^T) gU S^{-1} Vh + U S^{-1} gV^T (I - V Vh)`, `F_ij = 1/(s_j^2 - s_i^2)`.
 * Exact for distinct non-zero singular values. For repeated singular values F's entries are set to
 * 0 (exact for losses invariant to the basis of the repeated subspace, e.g. any function of S or of
 * U diag(S) Vh); zero singular values get `S^{-1} = 0` in the projection terms. With
 * `fullMatrices` only the first k columns of U / rows of Vh carry gradient (the others are not
 * unique).
 *
 * @param a - float matrices `[..., m, n]`.
 * @param opts - `fullMatrices` (default false).
 * @returns `{ U, S, Vh }`, S descending.
 * @throws {LinAlgError} if the Jacobi sweeps fail to converge (e.g. NaN input).
 * @throws {ShapeError} for input with fewer than 2 dims.
 *
 * @example
 * ```ts
 * import { linalg, grad, tensor, Tensor } from '@difflab/tensor';
 * const a = tensor([[3, 0], [0, -2]], { dtype: 'float64' });
 * linalg.svd(a).S.toArray(); // => [3, 2]
 * // The nuclear norm's gradient is U Vh.
 * grad((m: Tensor) => linalg.svd(m).S.sum())(a).toArray(); // => [[1, 0], [0, -1]]
 * ```
 */
export function svd(a: Tensor, opts: SVDOptions = {}): SVDResult {
  const op = 'svd';
  const A = floatTensor(op, a);
  const { batch, m, n, count } = matrixDims(op, A, false);
  const full = opts.fullMatrices ?? false;
  const k = Math.min(m, n);
  const ku = full ? m : k;
  const kv = full ? n : k;
  const [su, ss, sv] = runLinalg({
    op,
    kernel: 'linalg.svd',
    inputs: [A],
    opts: { full },
    dtype: A.dtype,
    host: ([d]) => {
      const U = new Float64Array(count * m * ku);
      const S = new Float64Array(count * k);
      const Vh = new Float64Array(count * kv * n);
      for (let i = 0; i < count; i++) {
        const block = d!.subarray(i * m * n, (i + 1) * m * n);
        const r = block.every(Number.isFinite) ? svdJacobi(block, m, n, full) : null;
        if (!r)
          throw new LinAlgError(
            `${op}: the SVD did not converge for the input of shape ${fmtShape(a.shape)}${batchNote(batch, i)} (non-finite entries?)`,
          );
        U.set(r.u, i * m * ku);
        S.set(r.s, i * k);
        Vh.set(r.vh, i * kv * n);
      }
      return [U, S, Vh];
    },
  });
  const Uo = fromStorage(su!, [...batch, m, ku], A.dtype);
  const So = fromStorage(ss!, [...batch, k], A.dtype);
  const Vho = fromStorage(sv!, [...batch, kv, n], A.dtype);
  // The gradient formulas use the thin factors; with fullMatrices these are views of the outputs.
  const thinU = () => (ku === k ? Uo : slice(Uo, '...', `:${k}`));
  const thinVh = () => (kv === k ? Vho : slice(Vho, '...', `:${k}`, ':'));
  const sInv = () => where(greater(So, 0), reciprocal(where(greater(So, 0), So, 1)), 0);
  const S = record(So, 'svd.S', [A], (g) => [matmul(mul(thinU(), expandDims(g, -2)), thinVh())]);
  const U = record(Uo, 'svd.U', [A], (gFull) => {
    const u = thinU();
    const vh = thinVh();
    const g = ku === k ? gFull : slice(gFull, '...', `:${k}`);
    const j = matmul(mT(u), g);
    const inner = mul(mul(inverseGaps(square(So)), sub(j, mT(j))), expandDims(So, -2));
    let gA = matmul(matmul(u, inner), vh);
    if (m > k) gA = add(gA, matmul(mul(sub(g, matmul(u, j)), expandDims(sInv(), -2)), vh));
    return [gA];
  });
  const Vh = record(Vho, 'svd.Vh', [A], (gFull) => {
    const u = thinU();
    const vh = thinVh();
    const g = kv === k ? gFull : slice(gFull, '...', `:${k}`, ':');
    // kt = V^T gV with gV = g^T.
    const kt = matmul(vh, mT(g));
    const inner = mul(expandDims(So, -1), mul(inverseGaps(square(So)), sub(kt, mT(kt))));
    let gA = matmul(matmul(u, inner), vh);
    if (n > k) gA = add(gA, matmul(mul(u, expandDims(sInv(), -2)), sub(g, matmul(mT(kt), vh))));
    return [gA];
  });
  return { U, S, Vh };
}
