import { record } from '../autodiff/graph.js';
import { LinAlgError, fmtShape } from '../errors.js';
import { mul } from '../ops/binary.js';
import { fromStorage } from '../ops/core.js';
import { expandDims } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';
import { floatTensor, matrixDims } from './checks.js';
import { runLinalg } from './dispatch.js';
import { luInPlace } from './kernels/lu.js';
import { inv } from './inv.js';
import { mT } from './util.js';

/**
 * Result of `linalg.slogdet`: `det = sign · exp(logabsdet)`, each of shape `[...]`.
 *
 * @example
 * ```ts
 * import { linalg, tensor, type SlogdetResult } from '@difflab/tensor';
 * const { sign, logabsdet }: SlogdetResult = linalg.slogdet(tensor([[2, 0], [0, 3]]));
 * sign.mul(logabsdet.exp()).item(); // => 6
 * ```
 */
export interface SlogdetResult {
  /** ±1, or 0 for a singular matrix. Not differentiable (piecewise constant). */
  sign: Tensor;
  /** log|det a|; -Infinity for a singular matrix. */
  logabsdet: Tensor;
}

/** Per matrix of the batch: [sign of det, log|det|] from an LU factorisation. */
function luLogDet(lu: Float64Array, off: number, n: number, perm: Int32Array): [number, number] {
  let sign = luInPlace(lu, off, n, perm);
  let logabs = 0;
  for (let i = 0; i < n; i++) {
    const u = lu[off + i * n + i]!;
    if (u === 0) return [0, -Infinity];
    if (u < 0) sign = -sign;
    logabs += Math.log(Math.abs(u));
  }
  return [sign, logabs];
}

/** `inv(a)` for the determinant gradients, with the failure reported under the caller's name. */
function inverseForGrad(op: string, a: Tensor): Tensor {
  try {
    return inv(a);
  } catch (e) {
    if (!(e instanceof LinAlgError)) throw e;
    throw new LinAlgError(
      `${op}: the gradient at an exactly singular matrix (input of shape ${fmtShape(a.shape)}) is not supported: ${e.message}`,
    );
  }
}

/**
 * Determinant of square matrices `[..., n, n]` -> `[...]`, like `torch.linalg.det`.
 *
 * Computed by LU with partial pivoting; prefer {@link slogdet} where the determinant may
 * under/overflow (large matrices, log-likelihoods). Gradient: `g · det(a) · a^{-T}` (through `inv`,
 * so differentiable again). At an exactly singular matrix the gradient would need the adjugate,
 * which is not implemented: the backward pass throws LinAlgError there.
 *
 * @param a - square float matrices `[..., n, n]`.
 * @returns the determinants `[...]`.
 * @throws {ShapeError} for non-square input.
 * @throws {DTypeError} for non-float input.
 * @throws {LinAlgError} when differentiated at an exactly singular matrix.
 *
 * @example
 * ```ts
 * import { linalg, grad, tensor, Tensor } from '@difflab/tensor';
 * const a = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
 * linalg.det(a).item(); // => -2
 * grad((m: Tensor) => linalg.det(m))(a).toArray(); // => [[4, -3], [-2, 1]]
 * ```
 */
export function det(a: Tensor): Tensor {
  const op = 'det';
  const A = floatTensor(op, a);
  const { batch, n, count } = matrixDims(op, A, true);
  const [s] = runLinalg({
    op,
    kernel: 'linalg.det',
    inputs: [A],
    dtype: A.dtype,
    host: ([lu]) => {
      const out = new Float64Array(count);
      const perm = new Int32Array(n);
      for (let i = 0; i < count; i++) {
        // Product of pivots directly (not exp of the log) so representable values stay exact.
        const sign = luInPlace(lu!, i * n * n, n, perm);
        let d = sign;
        for (let j = 0; j < n; j++) d *= lu![i * n * n + j * n + j]!;
        out[i] = d === 0 ? 0 : d;
      }
      return [out];
    },
  });
  const D = fromStorage(s!, batch, A.dtype);
  return record(D, 'det', [A], (g) => [mul(expandDims(expandDims(mul(g, D), -1), -1), mT(inverseForGrad(op, A)))]);
}

/**
 * Sign and log-absolute-determinant of square matrices `[..., n, n]`, like `torch.linalg.slogdet`.
 *
 * Stable where `det` would under/overflow. Only `logabsdet` carries a gradient: `g · a^{-T}`
 * (through `inv`, hence differentiable again; throws LinAlgError at an exactly singular matrix).
 * For symmetric positive-definite matrices `2 · sum(log(diagonal(cholesky(a))))` is cheaper.
 *
 * @param a - square float matrices `[..., n, n]`.
 * @returns `{ sign, logabsdet }`, each `[...]`; a singular matrix gives sign 0 and `-Infinity`.
 * @throws {ShapeError} for non-square input.
 * @throws {DTypeError} for non-float input.
 *
 * @example
 * ```ts
 * import { linalg, tensor } from '@difflab/tensor';
 * const { sign, logabsdet } = linalg.slogdet(tensor([[1, 2], [3, 4]]));
 * sign.item(); // => -1
 * logabsdet.item(); // => 0.6931
 * ```
 */
export function slogdet(a: Tensor): SlogdetResult {
  const op = 'slogdet';
  const A = floatTensor(op, a);
  const { batch, n, count } = matrixDims(op, A, true);
  const [sg, la] = runLinalg({
    op,
    kernel: 'linalg.slogdet',
    inputs: [A],
    dtype: A.dtype,
    host: ([lu]) => {
      const sign = new Float64Array(count);
      const logabs = new Float64Array(count);
      const perm = new Int32Array(n);
      for (let i = 0; i < count; i++) [sign[i], logabs[i]] = luLogDet(lu!, i * n * n, n, perm);
      return [sign, logabs];
    },
  });
  const sign = fromStorage(sg!, batch, A.dtype);
  const L = fromStorage(la!, batch, A.dtype);
  const logabsdet = record(L, 'slogdet', [A], (g) => [
    mul(expandDims(expandDims(g, -1), -1), mT(inverseForGrad(op, A))),
  ]);
  return { sign, logabsdet };
}
