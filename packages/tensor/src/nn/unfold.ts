import { record } from '../autodiff/graph.js';
import type { Storage } from '../backend/types.js';
import { ShapeError, fmtShape } from '../errors.js';
import { backendOf, fromStorage, requireFloat } from '../ops/core.js';
import { reshape } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';
import { geometry, pair, type Pair } from './geometry.js';
import { foldViaScatter, unfoldViaGather } from './kernels/gather.js';
import { foldOnHost, unfoldOnHost } from './kernels/host.js';
import type { FoldKernel, Im2colGeometry, UnfoldKernel } from './kernels/types.js';

/**
 * Kernel choice, in order: the device's own `Backend.kernels['nn.unfold']` / `['nn.fold']`; the host
 * loops in `kernels/im2col.ts` for a backend that can be read synchronously (the CPU backend, without
 * any copy of its input); otherwise a gather / scatterAdd formulation over core kernels that keeps the
 * data on the device.
 */
function runUnfold(x: Tensor, g: Im2colGeometry): Storage {
  const backend = backendOf(x);
  const device = backend.kernels?.['nn.unfold'] as UnfoldKernel | undefined;
  if (device) return device(x.view, g);
  if (backend.readSync) return unfoldOnHost(backend, x.view, g);
  return unfoldViaGather(backend, x.view, g);
}

function runFold(cols: Tensor, g: Im2colGeometry): Storage {
  const backend = backendOf(cols);
  const device = backend.kernels?.['nn.fold'] as FoldKernel | undefined;
  if (device) return device(cols.view, g);
  if (backend.readSync) return foldOnHost(backend, cols.view, g);
  return foldViaScatter(backend, cols.view, g);
}

/**
 * im2col primitive: [N, C, H, W] -> [N, C·kh·kw, oh·ow]. It is linear, and its VJP is {@link foldWith}
 * on the same geometry (whose VJP is this op again), so derivatives of every order stay two kernels.
 */
export function unfoldWith(x: Tensor, g: Im2colGeometry): Tensor {
  const [n, c] = x.shape as [number, number];
  const shape = [n, c * g.kernel[0] * g.kernel[1], g.outputSize[0] * g.outputSize[1]];
  const out = fromStorage(runUnfold(x, g), shape, x.dtype);
  return record(out, 'unfold', [x], (ct) => [foldWith(ct, g)]);
}

/** col2im primitive with overlap-add: [N, C·kh·kw, oh·ow] -> [N, C, H, W]; the adjoint of {@link unfoldWith}. */
export function foldWith(cols: Tensor, g: Im2colGeometry): Tensor {
  const n = cols.shape[0]!;
  const c = cols.shape[1]! / (g.kernel[0] * g.kernel[1]);
  const out = fromStorage(runFold(cols, g), [n, c, g.inputSize[0], g.inputSize[1]], cols.dtype);
  return record(out, 'fold', [cols], (ct) => [unfoldWith(ct, g)]);
}

/**
 * Options of `nn.unfold` / `nn.fold` (PyTorch's `dilation`, `padding`, `stride`).
 *
 * @example
 * ```ts
 * import { nn, zeros, type UnfoldOptions } from '@difflab/tensor';
 * const opts: UnfoldOptions = { stride: 2, padding: 1 };
 * nn.unfold(zeros([1, 2, 4, 4]), 3, opts).shape; // => [1, 18, 4]
 * ```
 */
export interface UnfoldOptions {
  /** Spacing between window elements (default 1). */
  dilation?: Pair;
  /** Zero padding added on both sides of each spatial axis (default 0). */
  padding?: Pair;
  /** Step between windows (default 1). */
  stride?: Pair;
}

function options(op: string, kernelSize: Pair, opts: UnfoldOptions) {
  const kernel = pair(op, 'kernelSize', kernelSize, 1, 1);
  const stride = pair(op, 'stride', opts.stride, 1, 1);
  const dilation = pair(op, 'dilation', opts.dilation, 1, 1);
  const [ph, pw] = pair(op, 'padding', opts.padding, 0, 0);
  return { kernel, stride, dilation, padding: [ph, ph, pw, pw] as [number, number, number, number] };
}

/**
 * Extracts every sliding window of an image into columns (im2col), like
 * `torch.nn.functional.unfold`.
 *
 * A batched image [N, C, H, W] (or an unbatched [C, H, W]) gives [N, C·kh·kw, L] with L the number
 * of window positions; rows are ordered channel, then kernel row, then kernel column. Its VJP is
 * {@link fold}, and conv2d is built on it.
 *
 * @param x - float image.
 * @param kernelSize - window size (one number or [kh, kw]).
 * @param opts - `dilation`, `padding`, `stride`.
 * @returns the columns.
 * @throws {ShapeError} for input that is not 3-D or 4-D, or a window larger than the padded input.
 * @throws {ValueError} for non-integer or non-positive sizes.
 *
 * @example
 * ```ts
 * import { nn, arange } from '@difflab/tensor';
 * const x = arange(9).reshape([1, 1, 3, 3]).astype('float32');
 * nn.unfold(x, 2).toArray(); // => [[[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]]
 * ```
 */
export function unfold(x: Tensor, kernelSize: Pair, opts: UnfoldOptions = {}): Tensor {
  requireFloat('unfold', x);
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new ShapeError(`unfold: expected a [N, C, H, W] or [C, H, W] input, got ${fmtShape(x.shape)}`);
  const x4 = x.ndim === 3 ? reshape(x, [1, ...x.shape]) : x;
  const o = options('unfold', kernelSize, opts);
  const g = geometry('unfold', [x4.shape[2]!, x4.shape[3]!], o.kernel, o.stride, o.dilation, o.padding, x.shape);
  const cols = unfoldWith(x4, g);
  return x.ndim === 3 ? reshape(cols, cols.shape.slice(1)) : cols;
}

/**
 * Sums columns back into an image (col2im), the adjoint of {@link unfold}, like
 * `torch.nn.functional.fold`.
 *
 * Columns [N, C·kh·kw, L] (or unbatched [C·kh·kw, L]) are added into an image of spatial size
 * `outputSize`, overlapping window entries accumulating; L must equal the number of window
 * positions that size gives.
 *
 * @param cols - float columns.
 * @param outputSize - the image's spatial size [H, W] (or one number).
 * @param kernelSize - window size.
 * @param opts - `dilation`, `padding`, `stride`.
 * @returns [N, C, H, W] (or [C, H, W]).
 * @throws {ShapeError} when the column count is not a multiple of kh·kw or L does not match.
 *
 * @example
 * ```ts
 * import { nn, ones } from '@difflab/tensor';
 * // fold(unfold(ones)) counts how many windows cover each pixel.
 * nn.fold(nn.unfold(ones([1, 1, 3, 3]), 2), 3, 2).toArray(); // => [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]
 * ```
 */
export function fold(cols: Tensor, outputSize: Pair, kernelSize: Pair, opts: UnfoldOptions = {}): Tensor {
  requireFloat('fold', cols);
  if (cols.ndim !== 2 && cols.ndim !== 3)
    throw new ShapeError(`fold: expected a [N, C·kh·kw, L] or [C·kh·kw, L] input, got ${fmtShape(cols.shape)}`);
  const c3 = cols.ndim === 2 ? reshape(cols, [1, ...cols.shape]) : cols;
  const o = options('fold', kernelSize, opts);
  const size = pair('fold', 'outputSize', outputSize, 1, 1);
  const k = o.kernel[0] * o.kernel[1];
  if (c3.shape[1]! % k !== 0)
    throw new ShapeError(
      `fold: input ${fmtShape(cols.shape)} has ${c3.shape[1]} rows, not a multiple of kernel size ${o.kernel[0]}x${o.kernel[1]}`,
    );
  const g = geometry('fold', size, o.kernel, o.stride, o.dilation, o.padding, cols.shape);
  const L = g.outputSize[0] * g.outputSize[1];
  if (c3.shape[2] !== L)
    throw new ShapeError(
      `fold: input ${fmtShape(cols.shape)} has ${c3.shape[2]} columns but output size [${size.join(', ')}] with this kernel, stride, padding and dilation gives ${g.outputSize[0]}x${g.outputSize[1]} = ${L} windows`,
    );
  const img = foldWith(c3, g);
  return cols.ndim === 2 ? reshape(img, img.shape.slice(1)) : img;
}
