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

/** Packs real and imaginary parts (broadcast against each other) into `[..., 2]`. */
export function complex(re: Tensor, im: Tensor): Tensor {
  const r = floatInput('complex', re, 're');
  const i = floatInput('complex', im, 'im');
  if (r.dtype !== i.dtype)
    throw new ShapeError(`complex: re and im must share a dtype, got ${r.dtype} ${fmtShape(r.shape)} and ${i.dtype} ${fmtShape(i.shape)}`);
  const shape = broadcastShapes('complex', r.shape, i.shape);
  return stack([broadcastTo(r, shape), broadcastTo(i, shape)], -1);
}

/** Real part `z[..., 0]` of a complex tensor `[..., 2]`. */
export function real(z: Tensor): Tensor {
  return slice(complexInput('real', z), '...', 0);
}

/** Imaginary part `z[..., 1]` of a complex tensor `[..., 2]`. */
export function imag(z: Tensor): Tensor {
  return slice(complexInput('imag', z), '...', 1);
}

/** Complex conjugate. */
export function conj(z: Tensor): Tensor {
  const Z = complexInput('conj', z);
  return stack([real(Z), neg(imag(Z))], -1);
}

/** Squared modulus `re^2 + im^2` (real, shape `[...]`); smooth everywhere, unlike the modulus. */
export function abs2(z: Tensor): Tensor {
  const Z = complexInput('abs2', z);
  const r = real(Z);
  const i = imag(Z);
  return add(mul(r, r), mul(i, i));
}

/** Elementwise complex product `(ar br - ai bi, ar bi + ai br)` with NumPy broadcasting. */
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
 * Complex two-operand einsum: the subscripts describe the complex shapes (without the trailing 2),
 * e.g. the channel mixing of a Fourier layer, `complexEinsum('bixy,ioxy->boxy', xModes, weights)`.
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
