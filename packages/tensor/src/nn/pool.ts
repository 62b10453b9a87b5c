import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { add, div, mul } from '../ops/binary.js';
import { requireFloat } from '../ops/core.js';
import { arange, fromTypedArray } from '../ops/creation.js';
import { gather } from '../ops/indexing.js';
import { matmul } from '../ops/matmul.js';
import { argmax, sum } from '../ops/reduce.js';
import { pad, reshape, swapAxes } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';
import { geometry, pair, windowCount, type Pair } from './geometry.js';
import type { Im2colGeometry } from './kernels/types.js';
import { unfoldWith } from './unfold.js';

/**
 * Options of `nn.maxPool2d` (PyTorch's `max_pool2d` arguments).
 *
 * @example
 * ```ts
 * import { nn, zeros, type MaxPool2dOptions } from '@difflab/tensor';
 * const opts: MaxPool2dOptions = { kernelSize: 3, stride: 2, padding: 1 };
 * nn.maxPool2d(zeros([1, 1, 8, 8]), opts).shape; // => [1, 1, 4, 4]
 * ```
 */
export interface MaxPool2dOptions {
  /** Window size [kh, kw] (or one number for both). */
  kernelSize: Pair;
  /** Step between windows (default: `kernelSize`, as in PyTorch). */
  stride?: Pair;
  /** Implicit -∞ padding on both sides; at most half the kernel size (default 0). */
  padding?: Pair;
  /** Spacing between window elements (default 1). */
  dilation?: Pair;
  /** Round the output size up, keeping a last partial window that starts inside the input (default false). */
  ceilMode?: boolean;
}

/**
 * Options of `nn.avgPool2d` (PyTorch's `avg_pool2d` arguments).
 *
 * @example
 * ```ts
 * import { nn, ones, type AvgPool2dOptions } from '@difflab/tensor';
 * const opts: AvgPool2dOptions = { kernelSize: 3, stride: 1, padding: 1, countIncludePad: false };
 * nn.avgPool2d(ones([1, 1, 3, 3]), opts).toArray(); // => [[[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]]
 * ```
 */
export interface AvgPool2dOptions {
  /** Window size [kh, kw] (or one number for both). */
  kernelSize: Pair;
  /** Step between windows (default: `kernelSize`, as in PyTorch). */
  stride?: Pair;
  /** Implicit zero padding on both sides; at most half the kernel size (default 0). */
  padding?: Pair;
  /** Round the output size up, keeping a last partial window that starts inside the input (default false). */
  ceilMode?: boolean;
  /** Count padded zeros in the divisor (default true, as in PyTorch). */
  countIncludePad?: boolean;
  /** Divide every window sum by this instead of the window size. */
  divisorOverride?: number;
}

interface PoolSetup {
  x4: Tensor;
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  padding: [number, number];
  /** Output size and the extra bottom/right padding ceil mode needs. */
  out: [number, number];
  extra: [number, number];
}

function setup(
  op: string,
  x: Tensor,
  o: { kernelSize: Pair; stride?: Pair; padding?: Pair; dilation?: Pair; ceilMode?: boolean },
): PoolSetup {
  requireFloat(op, x);
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new ShapeError(`${op}: expected input [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
  if (o === undefined || o.kernelSize === undefined) throw new ValueError(`${op}: options.kernelSize is required`);
  const kernel = pair(op, 'kernelSize', o.kernelSize, 1, 1);
  const stride = o.stride === undefined || o.stride === null ? kernel : pair(op, 'stride', o.stride, 1, 1);
  const dilation = pair(op, 'dilation', o.dilation, 1, 1);
  const padding = pair(op, 'padding', o.padding, 0, 0);
  if (padding[0] > kernel[0] >> 1 || padding[1] > kernel[1] >> 1)
    throw new ValueError(
      `${op}: padding [${padding.join(', ')}] must be at most half of kernel size [${kernel.join(', ')}]`,
    );
  const x4 = x.ndim === 3 ? reshape(x, [1, ...x.shape]) : x;
  const ceil = o.ceilMode === true;
  const out = [0, 1].map((a) =>
    windowCount(op, x4.shape[2 + a]!, kernel[a]!, stride[a]!, padding[a]!, padding[a]!, dilation[a]!, x.shape, ceil),
  ) as [number, number];
  const extra = [0, 1].map((a) =>
    Math.max(
      0,
      (out[a]! - 1) * stride[a]! + dilation[a]! * (kernel[a]! - 1) + 1 - (x4.shape[2 + a]! + 2 * padding[a]!),
    ),
  ) as [number, number];
  return { x4, kernel, stride, dilation, padding, out, extra };
}

function finish(x: Tensor, y: Tensor): Tensor {
  return x.ndim === 3 ? reshape(y, y.shape.slice(1)) : y;
}

/**
 * 2-D max pooling of [N, C, H, W] (or [C, H, W]), like `torch.nn.functional.max_pool2d`.
 *
 * The gradient goes to the arg-max of each window only; among equal maxima the first in window
 * order (row-major) wins, as in PyTorch, and a NaN in a window is its maximum.
 *
 * @param x - float input.
 * @param opts - `kernelSize` (required), `stride` (default `kernelSize`), `padding`, `dilation`, `ceilMode`.
 * @returns [N, C, oh, ow] (or [C, oh, ow]).
 * @throws {ShapeError} for input that is not 3-D or 4-D, or a window larger than the padded input.
 * @throws {ValueError} for a missing `kernelSize` or padding above half the kernel.
 *
 * @example
 * ```ts
 * import { nn, arange } from '@difflab/tensor';
 * const x = arange(16).reshape([1, 1, 4, 4]).astype('float32');
 * nn.maxPool2d(x, { kernelSize: 2 }).toArray(); // => [[[[5, 7], [13, 15]]]]
 * ```
 */
export function maxPool2d(x: Tensor, opts: MaxPool2dOptions): Tensor {
  const s = setup('maxPool2d', x, opts);
  const [n, c] = s.x4.shape as [number, number];
  const [ph, pw] = s.padding;
  // -∞ padding (zero padding would win against negative windows) added explicitly; the windows then
  // run over the padded image without further padding.
  const widths: [number, number][] = [
    [0, 0],
    [0, 0],
    [ph, ph + s.extra[0]],
    [pw, pw + s.extra[1]],
  ];
  const padded = widths.some(([a, b]) => a || b) ? pad(s.x4, widths, -Infinity) : s.x4;
  const g = geometry(
    'maxPool2d',
    [padded.shape[2]!, padded.shape[3]!],
    s.kernel,
    s.stride,
    s.dilation,
    [0, 0, 0, 0],
    x.shape,
  );
  const k = s.kernel[0] * s.kernel[1];
  const L = s.out[0] * s.out[1];
  const cols = unfoldWith(padded, g);
  const best = argmax(reshape(cols, [n, c, k, L]), 2);
  // Flat position of each window's winner in cols: ((n·C + c)·K + best)·L + l.
  const rowBase = reshape(mul(arange(n * c, { dtype: 'int32', device: x.device }), k * L), [n, c, 1]);
  const flat = add(add(mul(best, L), rowBase), arange(L, { dtype: 'int32', device: x.device }));
  const y = gather(reshape(cols, [-1]), reshape(flat, [-1]), 0);
  return finish(x, reshape(y, [n, c, s.out[0], s.out[1]]));
}

/** PyTorch's avg-pool divisor for every output position (window clipped to the padded, then the real, input). */
function avgDivisors(s: PoolSetup, countIncludePad: boolean): Float64Array {
  const [h, w] = [s.x4.shape[2]!, s.x4.shape[3]!];
  const [oh, ow] = s.out;
  const d = new Float64Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    let h0 = i * s.stride[0] - s.padding[0];
    let h1 = Math.min(h0 + s.kernel[0], h + s.padding[0]);
    const ph = h1 - h0;
    h0 = Math.max(h0, 0);
    h1 = Math.min(h1, h);
    for (let j = 0; j < ow; j++) {
      let w0 = j * s.stride[1] - s.padding[1];
      let w1 = Math.min(w0 + s.kernel[1], w + s.padding[1]);
      const pw = w1 - w0;
      w0 = Math.max(w0, 0);
      w1 = Math.min(w1, w);
      d[i * ow + j] = countIncludePad ? ph * pw : (h1 - h0) * (w1 - w0);
    }
  }
  return d;
}

/**
 * 2-D average pooling of [N, C, H, W] (or [C, H, W]), like `torch.nn.functional.avg_pool2d`.
 *
 * Window sums are divided by the window size, counting padded zeros unless
 * `countIncludePad: false` (PyTorch's default is true), or by `divisorOverride`.
 *
 * @param x - float input.
 * @param opts - `kernelSize` (required), `stride` (default `kernelSize`), `padding`, `ceilMode`,
 *   `countIncludePad`, `divisorOverride`.
 * @returns [N, C, oh, ow] (or [C, oh, ow]).
 * @throws {ShapeError} for input that is not 3-D or 4-D, or a window larger than the padded input.
 * @throws {ValueError} for a missing `kernelSize`, padding above half the kernel, or a bad divisor.
 *
 * @example
 * ```ts
 * import { nn, arange } from '@difflab/tensor';
 * const x = arange(16).reshape([1, 1, 4, 4]).astype('float32');
 * nn.avgPool2d(x, { kernelSize: 2 }).toArray(); // => [[[[2.5, 4.5], [10.5, 12.5]]]]
 * nn.avgPool2d(x, { kernelSize: 3, stride: 1, padding: 1 }).slice(0, 0, 0).toArray(); // => [1.1111, 2, 2.6667, 2]
 * ```
 */
export function avgPool2d(x: Tensor, opts: AvgPool2dOptions): Tensor {
  const s = setup('avgPool2d', x, { ...opts, dilation: 1 });
  if (opts.divisorOverride !== undefined && (!Number.isFinite(opts.divisorOverride) || opts.divisorOverride === 0))
    throw new ValueError(`avgPool2d: divisorOverride must be a finite non-zero number, got ${opts.divisorOverride}`);
  const [n, c, h, w] = s.x4.shape as [number, number, number, number];
  const [ph, pw] = s.padding;
  const geo: Im2colGeometry = geometry(
    'avgPool2d',
    [h, w],
    s.kernel,
    s.stride,
    [1, 1],
    [ph, ph + s.extra[0], pw, pw + s.extra[1]],
    x.shape,
  );
  const cols = unfoldWith(s.x4, geo);
  const sums = sum(reshape(cols, [n, c, s.kernel[0] * s.kernel[1], s.out[0] * s.out[1]]), 2);
  const divisor =
    opts.divisorOverride ??
    fromTypedArray(avgDivisors(s, opts.countIncludePad ?? true), [s.out[0] * s.out[1]], {
      dtype: x.dtype,
      device: x.device,
    });
  return finish(x, reshape(div(sums, divisor), [n, c, s.out[0], s.out[1]]));
}

/** Row i averages input rows floor(i·n/m) … ceil((i+1)·n/m) − 1, PyTorch's adaptive bins. */
function binMatrix(n: number, m: number): Float64Array {
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const lo = Math.floor((i * n) / m);
    const hi = Math.ceil(((i + 1) * n) / m);
    for (let j = lo; j < hi; j++) a[i * n + j] = 1 / (hi - lo);
  }
  return a;
}

/**
 * Adaptive 2-D average pooling to a fixed output size, like
 * `torch.nn.functional.adaptive_avg_pool2d`.
 *
 * Averages PyTorch's (possibly overlapping) adaptive bins to an output of `outputSize` ([oh, ow], a
 * number for both, `null` keeps that input size). Computed as A_h · x · A_wᵀ with constant
 * bin-averaging matrices; `outputSize: 1` is global average pooling.
 *
 * @param x - float input [N, C, H, W] or [C, H, W].
 * @param outputSize - the output spatial size.
 * @returns [N, C, oh, ow] (or [C, oh, ow]).
 * @throws {ShapeError} for input that is not 3-D or 4-D.
 * @throws {ValueError} for a non-positive or non-integer output size.
 *
 * @example
 * ```ts
 * import { nn, arange } from '@difflab/tensor';
 * const x = arange(16).reshape([1, 1, 4, 4]).astype('float32');
 * nn.adaptiveAvgPool2d(x, 1).toArray(); // => [[[[7.5]]]]
 * nn.adaptiveAvgPool2d(x, [2, null]).shape; // => [1, 1, 2, 4]
 * ```
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor {
  const op = 'adaptiveAvgPool2d';
  requireFloat(op, x);
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new ShapeError(`${op}: expected input [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
  const [h, w] = x.shape.slice(-2) as [number, number];
  const raw = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  if (!Array.isArray(raw) || raw.length !== 2)
    throw new ValueError(`${op}: outputSize must be a number or a pair, got ${JSON.stringify(outputSize)}`);
  const [oh, ow] = [raw[0] ?? h, raw[1] ?? w];
  for (const v of [oh, ow])
    if (!Number.isInteger(v) || v < 1)
      throw new ValueError(`${op}: outputSize must be positive integers, got ${JSON.stringify(outputSize)}`);
  if (h === 0 || w === 0) throw new ShapeError(`${op}: input ${fmtShape(x.shape)} has an empty spatial axis`);
  const ah = fromTypedArray(binMatrix(h, oh), [oh, h], { dtype: x.dtype, device: x.device });
  const aw = fromTypedArray(binMatrix(w, ow), [ow, w], { dtype: x.dtype, device: x.device });
  const lead = x.shape.slice(0, -2);
  // Columns first on the flattened rows, then rows: neither step broadcasts a copy of the input.
  const cols = reshape(matmul(reshape(x, [-1, w]), swapAxes(aw, 0, 1)), [...lead, h, ow]);
  return matmul(ah, cols);
}
