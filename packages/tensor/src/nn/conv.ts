import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { add } from '../ops/binary.js';
import { requireFloat } from '../ops/core.js';
import { matmul } from '../ops/matmul.js';
import { reshape } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';
import { geometry, pair, resolvePadding, type Pair, type Padding2d } from './geometry.js';
import { unfoldWith } from './unfold.js';

/**
 * Options of `nn.conv2d` (PyTorch's `stride`, `padding`, `dilation`, `groups`).
 *
 * @example
 * ```ts
 * import { nn, zeros, type Conv2dOptions } from '@difflab/tensor';
 * const opts: Conv2dOptions = { stride: 2, padding: 1, groups: 2 };
 * nn.conv2d(zeros([1, 4, 8, 8]), zeros([6, 2, 3, 3]), null, opts).shape; // => [1, 6, 4, 4]
 * ```
 */
export interface Conv2dOptions {
  /** Step between output positions (default 1). */
  stride?: Pair;
  /** Zero padding: a number or [ph, pw] for both sides, `'valid'` (0, the default) or `'same'` (stride 1 only). */
  padding?: Padding2d;
  /** Spacing between kernel elements (default 1). */
  dilation?: Pair;
  /** Channel groups: input and output channels split into `groups` independent convolutions (default 1). */
  groups?: number;
}

function checkGroups(
  op: string,
  groups: number | undefined,
  x: Tensor,
  w: Tensor,
  xs: readonly number[],
  ws: readonly number[],
): number {
  const g = groups ?? 1;
  if (!Number.isInteger(g) || g < 1)
    throw new ValueError(`${op}: groups must be a positive integer, got ${String(groups)}`);
  const c = x.shape[1]!;
  const o = w.shape[0]!;
  if (c % g !== 0 || o % g !== 0)
    throw new ShapeError(
      `${op}: groups=${g} must divide the input channels of ${fmtShape(xs)} and the output channels of weight ${fmtShape(ws)}`,
    );
  if (w.shape[1]! * g !== c)
    throw new ShapeError(
      `${op}: input ${fmtShape(xs)} has ${c} channels but weight ${fmtShape(ws)} expects ${w.shape[1]! * g} (weight.shape[1] · groups=${g})`,
    );
  return g;
}

function addBias(op: string, out: Tensor, bias: Tensor | null | undefined, o: number): Tensor {
  if (bias === undefined || bias === null) return out;
  if (bias.ndim !== 1 || bias.shape[0] !== o)
    throw new ShapeError(`${op}: bias ${fmtShape(bias.shape)} must have shape [${o}] (one entry per output channel)`);
  return add(out, reshape(bias, [o, ...new Array<number>(out.ndim - 2).fill(1)]));
}

/** Shared body of conv1d / conv2d on a batched 4-D input; `shown`/`shownW` are the caller's shapes for messages. */
function convCore(
  op: string,
  x4: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  opts: Conv2dOptions,
  shown: readonly number[],
  shownW: readonly number[],
): Tensor {
  requireFloat(op, x4);
  requireFloat(op, weight);
  const groups = checkGroups(op, opts.groups, x4, weight, shown, shownW);
  const [o, cg, kh, kw] = weight.shape as [number, number, number, number];
  const stride = pair(op, 'stride', opts.stride, 1, 1);
  const dilation = pair(op, 'dilation', opts.dilation, 1, 1);
  const padding = resolvePadding(op, opts.padding, [kh, kw], dilation, stride);
  const [n, , h, w] = x4.shape as [number, number, number, number];
  const g = geometry(op, [h, w], [kh, kw], stride, dilation, padding, shown);
  const [oh, ow] = g.outputSize;
  const cols = unfoldWith(x4, g);
  const k = cg * kh * kw;
  const out =
    groups === 1
      ? matmul(reshape(weight, [o, k]), cols)
      : matmul(reshape(weight, [groups, o / groups, k]), reshape(cols, [n, groups, k, oh * ow]));
  return addBias(op, reshape(out, [n, o, oh, ow]), bias, o);
}

/**
 * 2-D convolution (cross-correlation) of NCHW images, like `torch.nn.functional.conv2d`.
 *
 * `x` is [N, C, H, W] (or unbatched [C, H, W]), `weight` is [O, C/groups, kh, kw], `bias` is [O];
 * the output is [N, O, oh, ow] with PyTorch's output-size formula. Computed as im2col
 * ({@link unfold}, whose VJP is fold) followed by one batched matmul per group, so gradients of
 * every order for x, weight and bias come from those two primitives.
 *
 * @param x - input images.
 * @param weight - filters [O, C/groups, kh, kw].
 * @param bias - optional per-output-channel bias [O] (null or omitted for none).
 * @param opts - `stride`, `padding`, `dilation`, `groups`.
 * @returns [N, O, oh, ow] (or [O, oh, ow] for unbatched input).
 * @throws {ShapeError} for inputs or weights of the wrong rank, channel counts that do not match
 *   `groups`, or a window larger than the padded input.
 * @throws {ValueError} for non-integer or non-positive stride/dilation/groups, or `'same'` with stride > 1.
 *
 * @example
 * ```ts
 * import { nn, arange, ones, tensor } from '@difflab/tensor';
 * const x = arange(16).reshape([1, 1, 4, 4]).astype('float32');
 * nn.conv2d(x, ones([1, 1, 2, 2]), tensor([1]), { stride: 2 }).toArray(); // => [[[[11, 19], [43, 51]]]]
 * nn.conv2d(x, ones([1, 1, 2, 2]), null, { padding: 'same' }).shape; // => [1, 1, 4, 4]
 * nn.conv2d(x, ones([1, 2, 2, 2])); // throws ShapeError
 * ```
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new ShapeError(`conv2d: expected input [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
  if (weight.ndim !== 4)
    throw new ShapeError(`conv2d: expected weight [O, C/groups, kh, kw], got ${fmtShape(weight.shape)}`);
  const out = convCore(
    'conv2d',
    x.ndim === 3 ? reshape(x, [1, ...x.shape]) : x,
    weight,
    bias,
    opts,
    x.shape,
    weight.shape,
  );
  return x.ndim === 3 ? reshape(out, out.shape.slice(1)) : out;
}

/**
 * Options of `nn.conv1d` (PyTorch's `stride`, `padding`, `dilation`, `groups`).
 *
 * @example
 * ```ts
 * import { nn, zeros, type Conv1dOptions } from '@difflab/tensor';
 * const opts: Conv1dOptions = { padding: 'same', dilation: 2 };
 * nn.conv1d(zeros([2, 3, 10]), zeros([4, 3, 3]), null, opts).shape; // => [2, 4, 10]
 * ```
 */
export interface Conv1dOptions {
  /** Step between output positions (default 1). */
  stride?: number;
  /** A number (both sides), `'valid'` (0, the default) or `'same'` (stride 1 only). */
  padding?: number | 'same' | 'valid';
  /** Spacing between kernel elements (default 1). */
  dilation?: number;
  /** Channel groups (default 1). */
  groups?: number;
}

/**
 * 1-D convolution (cross-correlation) of NCL sequences, like `torch.nn.functional.conv1d`.
 *
 * `x` is [N, C, L] (or [C, L]), `weight` [O, C/groups, k], `bias` [O]. Runs as a 2-D convolution
 * over a unit height, so it shares conv2d's gradients.
 *
 * @param x - input sequences.
 * @param weight - filters [O, C/groups, k].
 * @param bias - optional bias [O].
 * @param opts - `stride`, `padding`, `dilation`, `groups` (numbers, not pairs).
 * @returns [N, O, outL] (or [O, outL]).
 * @throws {ShapeError} for inputs or weights of the wrong rank or mismatched channels.
 * @throws {ValueError} for a non-number stride/dilation or an unknown padding.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * // A central-difference filter.
 * nn.conv1d(tensor([[[1, 2, 4, 8]]]), tensor([[[1, 0, -1]]]), null, { padding: 'same' }).toArray(); // => [[[-2, -3, -6, 4]]]
 * ```
 */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv1dOptions = {}): Tensor {
  const op = 'conv1d';
  if (x.ndim !== 2 && x.ndim !== 3)
    throw new ShapeError(`${op}: expected input [N, C, L] or [C, L], got ${fmtShape(x.shape)}`);
  if (weight.ndim !== 3) throw new ShapeError(`${op}: expected weight [O, C/groups, k], got ${fmtShape(weight.shape)}`);
  for (const [name, v] of [
    ['stride', opts.stride],
    ['dilation', opts.dilation],
  ] as const)
    if (v !== undefined && typeof v !== 'number')
      throw new ValueError(`${op}: ${name} must be a number, got ${JSON.stringify(v)}`);
  const p = opts.padding;
  if (p !== undefined && typeof p !== 'number' && p !== 'same' && p !== 'valid')
    throw new ValueError(`${op}: padding must be a number, 'same' or 'valid', got ${JSON.stringify(p)}`);
  const x4 = reshape(x, [...(x.ndim === 2 ? [1] : []), ...x.shape.slice(0, -1), 1, x.shape[x.ndim - 1]!]);
  const w4 = reshape(weight, [weight.shape[0]!, weight.shape[1]!, 1, weight.shape[2]!]);
  const conv2dOpts: Conv2dOptions = {
    stride: [1, opts.stride ?? 1],
    dilation: [1, opts.dilation ?? 1],
    padding: typeof p === 'number' ? [0, p] : p,
    groups: opts.groups,
  };
  const out = convCore(op, x4, w4, bias, conv2dOpts, x.shape, weight.shape);
  const [n, o, , l] = out.shape as [number, number, number, number];
  return reshape(out, x.ndim === 2 ? [o, l] : [n, o, l]);
}
