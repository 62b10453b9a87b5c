import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Im2colGeometry } from './kernels/types.js';

/**
 * A per-axis integer option: one number for both spatial axes, or [height, width] (PyTorch's
 * `int or tuple`).
 *
 * @example
 * ```ts
 * import { nn, zeros, type Pair } from '@difflab/tensor';
 * const stride: Pair = [1, 2];
 * nn.maxPool2d(zeros([1, 4, 6]), { kernelSize: 2, stride }).shape; // => [1, 3, 3]
 * ```
 */
export type Pair = number | readonly [number, number];
/**
 * Convolution padding: symmetric amounts, or PyTorch's `'valid'` (none) / `'same'` (output size =
 * input size, stride 1 only; an odd total puts the extra row/column at the bottom/right).
 *
 * @example
 * ```ts
 * import { nn, zeros, type Padding2d } from '@difflab/tensor';
 * const padding: Padding2d = 'same';
 * nn.conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 2, 2]), null, { padding }).shape; // => [1, 1, 5, 5]
 * ```
 */
export type Padding2d = Pair | 'same' | 'valid';

/** Validates an integer option and expands it to [h, w]; `min` is the smallest allowed value. */
export function pair(op: string, name: string, v: Pair | undefined, dflt: number, min: number): [number, number] {
  const raw = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(raw) || raw.length !== 2)
    throw new ValueError(`${op}: ${name} must be a number or a pair of numbers, got ${JSON.stringify(v)}`);
  for (const d of raw)
    if (typeof d !== 'number' || !Number.isInteger(d) || d < min)
      throw new ValueError(
        `${op}: ${name} must be ${min === 0 ? 'non-negative' : 'positive'} integers, got ${String(v)}`,
      );
  return [raw[0]!, raw[1]!];
}

/**
 * Resolves convolution padding to [top, bottom, left, right]. `'same'` puts the odd extra row/column
 * at the bottom/right, as PyTorch does, and (like PyTorch) needs stride 1.
 */
export function resolvePadding(
  op: string,
  padding: Padding2d | undefined,
  kernel: readonly [number, number],
  dilation: readonly [number, number],
  stride: readonly [number, number],
): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1)
      throw new ValueError(`${op}: padding 'same' needs stride 1 (as in PyTorch), got stride [${stride.join(', ')}]`);
    const th = dilation[0] * (kernel[0] - 1);
    const tw = dilation[1] * (kernel[1] - 1);
    return [th >> 1, th - (th >> 1), tw >> 1, tw - (tw >> 1)];
  }
  if (typeof padding === 'string')
    throw new ValueError(`${op}: padding must be 'same', 'valid', a number or a pair, got '${padding}'`);
  const [ph, pw] = pair(op, 'padding', padding, 0, 0);
  return [ph, ph, pw, pw];
}

/** Number of window positions along one axis; throws when the (dilated) window exceeds the padded input. */
export function windowCount(
  op: string,
  size: number,
  k: number,
  s: number,
  padBefore: number,
  padAfter: number,
  d: number,
  xShape: readonly number[],
  ceilMode = false,
): number {
  const span = d * (k - 1) + 1;
  const padded = size + padBefore + padAfter;
  if (span > padded)
    throw new ShapeError(
      `${op}: kernel size ${k} (dilation ${d}, span ${span}) is larger than the padded input size ${padded} of input ${fmtShape(xShape)}`,
    );
  if (!ceilMode) return Math.floor((padded - span) / s) + 1;
  let n = Math.ceil((padded - span) / s) + 1;
  // As in PyTorch, the last window must start inside the input or its left padding.
  if ((n - 1) * s >= size + padBefore) n--;
  return n;
}

export function geometry(
  op: string,
  inputSize: readonly [number, number],
  kernel: readonly [number, number],
  stride: readonly [number, number],
  dilation: readonly [number, number],
  padding: readonly [number, number, number, number],
  xShape: readonly number[],
): Im2colGeometry {
  const oh = windowCount(op, inputSize[0], kernel[0], stride[0], padding[0], padding[1], dilation[0], xShape);
  const ow = windowCount(op, inputSize[1], kernel[1], stride[1], padding[2], padding[3], dilation[1], xShape);
  return {
    kernel: [kernel[0], kernel[1]],
    stride: [stride[0], stride[1]],
    dilation: [dilation[0], dilation[1]],
    padding: [padding[0], padding[1], padding[2], padding[3]],
    inputSize: [inputSize[0], inputSize[1]],
    outputSize: [oh, ow],
  };
}
