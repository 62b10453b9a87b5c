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
 * `torch.nn.functional.layer_norm`: normalises over the trailing axes `normalizedShape` (biased
 * variance), then scales by `weight` and shifts by `bias`, both of shape `normalizedShape`.
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

/** Options of `nn.batchNorm`. */
export interface BatchNormOptions {
  /** Use batch statistics and return updated running statistics (default false, as `F.batch_norm`). */
  training?: boolean;
  /** Weight of the new batch statistic in the running average (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/** Result of `nn.batchNorm`: the normalised tensor and the running statistics to carry forward. */
export interface BatchNormResult {
  /** The normalised, scaled and shifted input. */
  out: Tensor;
  /** Updated running mean (training) or the one passed in (eval); null when none was given. */
  runningMean: Tensor | null;
  /** Updated running variance, from the unbiased batch variance as in PyTorch. */
  runningVar: Tensor | null;
}

/**
 * `torch.nn.functional.batch_norm` as a pure function: `x` is [N, C, ...], statistics per channel over
 * every other axis. In training the batch mean and biased variance normalise `x`, and the running
 * statistics come back updated as (1 − momentum)·running + momentum·batch, with the unbiased batch
 * variance (no gradient flows into them); in eval mode the running statistics normalise `x`.
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
 * `torch.nn.functional.group_norm`: channels of [N, C, ...] split into `numGroups` groups, each
 * normalised over its channels and all spatial positions, then a per-channel `weight`/`bias` [C].
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
