import { stopGradient } from '../autodiff/stop.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { add, mul, sub } from '../ops/binary.js';
import { requireFloat } from '../ops/core.js';
import { mean } from '../ops/reduce.js';
import { reshape } from '../ops/shape.js';
import { rsqrt } from '../ops/unary.js';
import type { Tensor } from '../tensor.js';

function checkEps(op: string, eps: number): void {
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0)
    throw new ValueError(`${op}: eps must be a finite non-negative number, got ${eps}`);
}

function checkAffine(
  op: string,
  name: string,
  t: Tensor | null | undefined,
  shape: readonly number[],
  x: Tensor,
): void {
  if (t === undefined || t === null) return;
  if (t.ndim !== shape.length || t.shape.some((d, i) => d !== shape[i]))
    throw new ShapeError(
      `${op}: ${name} ${fmtShape(t.shape)} must have shape ${fmtShape(shape)} for input ${fmtShape(x.shape)}`,
    );
}

/** (x − mean) / sqrt(biased var + eps) over `axes`, with the statistics it used. */
function standardize(x: Tensor, axes: number[], eps: number): { y: Tensor; mean: Tensor; var: Tensor } {
  const m = mean(x, axes, true);
  const d = sub(x, m);
  const v = mean(mul(d, d), axes, true);
  return { y: mul(d, rsqrt(add(v, eps))), mean: m, var: v };
}

function affine(
  y: Tensor,
  weight: Tensor | null | undefined,
  bias: Tensor | null | undefined,
  shape: readonly number[],
): Tensor {
  let out = y;
  if (weight) out = mul(out, reshape(weight, shape));
  if (bias) out = add(out, reshape(bias, shape));
  return out;
}

/**
 * Layer normalization over the trailing axes, like `torch.nn.functional.layer_norm`.
 *
 * Normalises over the trailing axes `normalizedShape` (biased variance), then scales by `weight`
 * and shifts by `bias`, both of shape `normalizedShape`.
 *
 * @param x - float input whose trailing axes equal `normalizedShape`.
 * @param normalizedShape - one size or the trailing sizes.
 * @param weight - optional scale of shape `normalizedShape`.
 * @param bias - optional shift of shape `normalizedShape`.
 * @param eps - added to the variance (default 1e-5).
 * @returns a tensor of x's shape.
 * @throws {ShapeError} when `normalizedShape` does not match x's trailing axes or weight/bias shapes differ.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * nn.layerNorm(tensor([[1, 2, 3]]), 3).toArray(); // => [[-1.2247, 0, 1.2247]]
 * nn.layerNorm(tensor([[1, 2, 3]]), 2); // throws ShapeError
 * ```
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: number | readonly number[],
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor {
  const op = 'layerNorm';
  requireFloat(op, x);
  checkEps(op, eps);
  const ns = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const k = ns.length;
  if (k === 0 || k > x.ndim || ns.some((d, i) => d !== x.shape[x.ndim - k + i]))
    throw new ShapeError(
      `${op}: normalizedShape ${fmtShape(ns)} must match the trailing axes of input ${fmtShape(x.shape)}`,
    );
  checkAffine(op, 'weight', weight, ns, x);
  checkAffine(op, 'bias', bias, ns, x);
  const axes = ns.map((_, i) => x.ndim - k + i);
  return affine(standardize(x, axes, eps).y, weight, bias, ns);
}

/**
 * Options of `nn.batchNorm`.
 *
 * @example
 * ```ts
 * import { nn, tensor, type BatchNormOptions } from '@difflab/tensor';
 * const opts: BatchNormOptions = { training: true, momentum: 0.5 };
 * nn.batchNorm(tensor([[1], [3]]), tensor([0]), tensor([1]), null, null, opts).runningMean?.toArray(); // => [1]
 * ```
 */
export interface BatchNormOptions {
  /** Use batch statistics and return updated running statistics (default false, as `F.batch_norm`). */
  training?: boolean;
  /** Weight of the new batch statistic in the running average (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/**
 * Result of `nn.batchNorm`: the normalised tensor and the running statistics to carry forward.
 *
 * @example
 * ```ts
 * import { nn, tensor, type BatchNormResult } from '@difflab/tensor';
 * const r: BatchNormResult = nn.batchNorm(tensor([[1], [3]]), null, null, null, null, { training: true });
 * r.runningMean; // => null
 * ```
 */
export interface BatchNormResult {
  /** The normalised, scaled and shifted input. */
  out: Tensor;
  /** Updated running mean (training) or the one passed in (eval); null when none was given. */
  runningMean: Tensor | null;
  /** Updated running variance, from the unbiased batch variance as in PyTorch. */
  runningVar: Tensor | null;
}

/**
 * Batch normalization as a pure function, like `torch.nn.functional.batch_norm`.
 *
 * `x` is [N, C, ...], statistics per channel over every other axis. In training the batch mean and
 * biased variance normalise `x`, and the running statistics come back updated as
 * (1 − momentum)·running + momentum·batch, with the unbiased batch variance (no gradient flows into
 * them); in eval mode (the default, as `F.batch_norm`) the running statistics normalise `x`.
 *
 * @param x - float input [N, C, ...].
 * @param runningMean - running mean [C] (required in eval mode; null to skip tracking in training).
 * @param runningVar - running variance [C] (same rules).
 * @param weight - optional per-channel scale [C].
 * @param bias - optional per-channel shift [C].
 * @param opts - `training` (default false), `momentum` (default 0.1), `eps` (default 1e-5).
 * @returns `{ out, runningMean, runningVar }`.
 * @throws {ShapeError} for input below 2-D or statistics/affine tensors not of shape [C].
 * @throws {ValueError} in eval mode without running statistics, for a bad momentum, or in training
 *   with a single value per channel.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * const x = tensor([[1], [3]]); // N = 2, C = 1
 * const r = nn.batchNorm(x, tensor([0]), tensor([1]), null, null, { training: true });
 * r.out.toArray(); // => [[-1], [1]]
 * r.runningMean?.toArray(); // => [0.2]
 * r.runningVar?.toArray(); // => [1.1]
 * nn.batchNorm(x, null, null); // throws ValueError
 * ```
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null | undefined,
  runningVar: Tensor | null | undefined,
  weight?: Tensor | null,
  bias?: Tensor | null,
  opts: BatchNormOptions = {},
): BatchNormResult {
  const op = 'batchNorm';
  requireFloat(op, x);
  const eps = opts.eps ?? 1e-5;
  const momentum = opts.momentum ?? 0.1;
  checkEps(op, eps);
  if (typeof momentum !== 'number' || !Number.isFinite(momentum) || momentum < 0 || momentum > 1)
    throw new ValueError(`${op}: momentum must be a number in [0, 1], got ${momentum}`);
  if (x.ndim < 2) throw new ShapeError(`${op}: expected input [N, C, ...], got ${fmtShape(x.shape)}`);
  const c = x.shape[1]!;
  for (const [name, t] of [
    ['runningMean', runningMean],
    ['runningVar', runningVar],
    ['weight', weight],
    ['bias', bias],
  ] as const)
    checkAffine(op, name, t, [c], x);
  const bshape = x.shape.map((d, i) => (i === 1 ? d : 1));
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const rm = runningMean ?? null;
  const rv = runningVar ?? null;
  if (!(opts.training ?? false)) {
    if (!rm || !rv) throw new ValueError(`${op}: eval mode (training: false) needs runningMean and runningVar`);
    const y = mul(sub(x, reshape(rm, bshape)), rsqrt(add(reshape(rv, bshape), eps)));
    return { out: affine(y, weight, bias, bshape), runningMean: rm, runningVar: rv };
  }
  const n = x.size / c;
  if (n <= 1)
    throw new ValueError(`${op}: training needs more than one value per channel, got input ${fmtShape(x.shape)}`);
  const s = standardize(x, axes, eps);
  const out = affine(s.y, weight, bias, bshape);
  const update = (run: Tensor | null, batch: Tensor): Tensor | null =>
    run && add(mul(run, 1 - momentum), mul(stopGradient(reshape(batch, [c])), momentum));
  return { out, runningMean: update(rm, s.mean), runningVar: update(rv, mul(s.var, n / (n - 1))) };
}

/**
 * Group normalization, like `torch.nn.functional.group_norm`.
 *
 * Channels of [N, C, ...] are split into `numGroups` groups, each normalised over its channels and
 * all spatial positions (biased variance), then a per-channel `weight`/`bias` [C] is applied.
 * Independent of the batch size, unlike batch norm.
 *
 * @param x - float input [N, C, ...].
 * @param numGroups - a positive divisor of C.
 * @param weight - optional per-channel scale [C].
 * @param bias - optional per-channel shift [C].
 * @param eps - added to the variance (default 1e-5).
 * @returns a tensor of x's shape.
 * @throws {ShapeError} when `numGroups` does not divide C or the input is below 2-D.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * nn.groupNorm(tensor([[1, 2, 3, 5]]), 2).toArray(); // => [[-1, 1, -1, 1]]
 * nn.groupNorm(tensor([[1, 2, 3, 5]]), 3); // throws ShapeError
 * ```
 */
export function groupNorm(
  x: Tensor,
  numGroups: number,
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor {
  const op = 'groupNorm';
  requireFloat(op, x);
  checkEps(op, eps);
  if (x.ndim < 2) throw new ShapeError(`${op}: expected input [N, C, ...], got ${fmtShape(x.shape)}`);
  const [n, c] = x.shape as [number, number];
  if (!Number.isInteger(numGroups) || numGroups < 1 || c % numGroups !== 0)
    throw new ShapeError(
      `${op}: numGroups=${numGroups} must be a positive divisor of the ${c} channels of input ${fmtShape(x.shape)}`,
    );
  checkAffine(op, 'weight', weight, [c], x);
  checkAffine(op, 'bias', bias, [c], x);
  const per = x.shape.slice(2).reduce((a, b) => a * b, c / numGroups);
  const y = reshape(standardize(reshape(x, [n, numGroups, per]), [2], eps).y, x.shape);
  return affine(
    y,
    weight,
    bias,
    x.shape.map((d, i) => (i === 1 ? d : 1)),
  );
}
