import { ShapeError, fmtShape } from '../errors.js';
import { add, mul, sub } from '../ops/binary.js';
import { einsum } from '../ops/einsum.js';
import { broadcastTo, slice, stack } from '../ops/shape.js';
import { neg } from '../ops/unary.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { complexInput, floatInput } from './checks.js';

/**
 * Complex numbers are stored as real tensors with a trailing dimension of size 2: `z[..., 0]` is the
 * real part and `z[..., 1]` the imaginary part. Every helper here is built from differentiable ops,
 * so gradients (of a real-valued loss) flow to both parts.
 */

/**
 * Packs real and imaginary parts (broadcast against each other) into a complex tensor `[..., 2]`
 * (`torch.complex`, then `torch.view_as_real`).
 *
 * @param re - real parts (float).
 * @param im - imaginary parts, same dtype.
 * @returns the complex tensor.
 * @throws {ShapeError} when the dtypes differ or the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * fft.complex(tensor([1, 2]), tensor(0)).toArray(); // => [[1, 0], [2, 0]]
 * ```
 */
export function complex(re: Tensor, im: Tensor): Tensor {
  const r = floatInput('complex', re, 're');
  const i = floatInput('complex', im, 'im');
  if (r.dtype !== i.dtype)
    throw new ShapeError(`complex: re and im must share a dtype, got ${r.dtype} ${fmtShape(r.shape)} and ${i.dtype} ${fmtShape(i.shape)}`);
  const shape = broadcastShapes('complex', r.shape, i.shape);
  return stack([broadcastTo(r, shape), broadcastTo(i, shape)], -1);
}

/**
 * Real part `z[..., 0]` of a complex tensor `[..., 2]` (a view).
 *
 * @param z - complex tensor.
 * @returns `[...]`.
 * @throws {ShapeError} when the trailing dimension is not 2.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * fft.real(tensor([[1, 2], [3, 4]])).toArray(); // => [1, 3]
 * ```
 */
export function real(z: Tensor): Tensor {
  return slice(complexInput('real', z), '...', 0);
}

/**
 * Imaginary part `z[..., 1]` of a complex tensor `[..., 2]` (a view).
 *
 * @param z - complex tensor.
 * @returns `[...]`.
 * @throws {ShapeError} when the trailing dimension is not 2.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * fft.imag(tensor([[1, 2], [3, 4]])).toArray(); // => [2, 4]
 * ```
 */
export function imag(z: Tensor): Tensor {
  return slice(complexInput('imag', z), '...', 1);
}

/**
 * Complex conjugate `(re, -im)` of a complex tensor `[..., 2]`.
 *
 * @param z - complex tensor.
 * @returns the conjugate, same shape.
 * @throws {ShapeError} when the trailing dimension is not 2.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * fft.conj(tensor([[1, 2]])).toArray(); // => [[1, -2]]
 * ```
 */
export function conj(z: Tensor): Tensor {
  const Z = complexInput('conj', z);
  return stack([real(Z), neg(imag(Z))], -1);
}

/**
 * Squared modulus `re^2 + im^2` (real, shape `[...]`) of a complex tensor; smooth everywhere,
 * unlike the modulus, so it is the safe choice for power spectra in losses.
 *
 * @param z - complex tensor.
 * @returns the squared moduli.
 * @throws {ShapeError} when the trailing dimension is not 2.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * fft.abs2(tensor([[3, 4], [1, -1]])).toArray(); // => [25, 2]
 * ```
 */
export function abs2(z: Tensor): Tensor {
  const Z = complexInput('abs2', z);
  const r = real(Z);
  const i = imag(Z);
  return add(mul(r, r), mul(i, i));
}

/**
 * Elementwise complex product `(ar br - ai bi, ar bi + ai br)` with NumPy broadcasting (over the
 * dims before the trailing 2).
 *
 * @param a - complex tensor.
 * @param b - complex tensor.
 * @returns the products.
 * @throws {ShapeError} when a trailing dimension is not 2 or the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * // (1 + 2i)(3 + 4i) = -5 + 10i
 * fft.complexMul(tensor([1, 2]), tensor([3, 4])).toArray(); // => [-5, 10]
 * ```
 */
export function complexMul(a: Tensor, b: Tensor): Tensor {
  const A = complexInput('complexMul', a, 'a');
  const B = complexInput('complexMul', b, 'b');
  broadcastShapes('complexMul', A.shape, B.shape);
  const ar = real(A);
  const ai = imag(A);
  const br = real(B);
  const bi = imag(B);
  return stack([sub(mul(ar, br), mul(ai, bi)), add(mul(ar, bi), mul(ai, br))], -1);
}

/**
 * Complex two-operand einsum (`torch.einsum` on complex tensors): the subscripts describe the
 * complex shapes (without the trailing 2).
 *
 * E.g. the channel mixing of a Fourier layer, `complexEinsum('bixy,ioxy->boxy', xModes, weights)`.
 * Four real einsums, so it is differentiable like {@link einsum}.
 *
 * @param subscripts - einsum subscripts of the complex shapes.
 * @param a - complex tensor.
 * @param b - complex tensor.
 * @returns the complex result.
 * @throws {ShapeError} when a trailing dimension is not 2 or the operand shapes do not fit the subscripts.
 * @throws {ValueError} for malformed subscripts.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * // A complex dot product: (1 + i)(1 - i) + (2)(3i) = 2 + 6i
 * fft.complexEinsum('i,i->', tensor([[1, 1], [2, 0]]), tensor([[1, -1], [0, 3]])).toArray(); // => [2, 6]
 * ```
 */
export function complexEinsum(subscripts: string, a: Tensor, b: Tensor): Tensor {
  const A = complexInput('complexEinsum', a, 'a');
  const B = complexInput('complexEinsum', b, 'b');
  const ar = real(A);
  const ai = imag(A);
  const br = real(B);
  const bi = imag(B);
  const re = sub(einsum(subscripts, ar, br), einsum(subscripts, ai, bi));
  const im = add(einsum(subscripts, ar, bi), einsum(subscripts, ai, br));
  return stack([re, im], -1);
}
