import {
  DTypeError,
  ShapeError,
  ValueError,
  fmtShape,
  gather,
  logSoftmax,
  mul,
  neg,
  reshape,
  sum,
  where,
  type Tensor,
} from '@difflab/tensor';
import { batchShapeOf, classAxisLast, classRows, pick } from '../core/classes.js';
import { checkReduction, divideOrNaN, reduce, type Reduction, type ReductionOptions } from '../core/reduction.js';
import { checkNonNegative, checkRange, checkSimplex, requireFloat, sameShape } from '../core/validate.js';

/**
 * Options of {@link nllLoss} (PyTorch's `weight`, `ignore_index`, `reduction`).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import type { NllOptions } from '@difflab/losses';
 * const o: NllOptions = { weight: tensor([1, 2, 1]), ignoreIndex: -1, reduction: 'sum' };
 * ```
 */
export interface NllOptions extends ReductionOptions {
  /** Per-class rescaling weights, shape [C] (PyTorch's `weight`). */
  weight?: Tensor;
  /** Targets equal to this value contribute nothing, also not to the 'mean' denominator. Default -100. */
  ignoreIndex?: number;
}

/**
 * Options of {@link crossEntropy}: those of {@link NllOptions} plus `labelSmoothing`.
 *
 * @example
 * ```ts
 * import type { CrossEntropyOptions } from '@difflab/losses';
 * const o: CrossEntropyOptions = { labelSmoothing: 0.1, ignoreIndex: -100 };
 * ```
 */
export interface CrossEntropyOptions extends NllOptions {
  /** Mixes the target with the uniform distribution: (1 - s) * target + s / C. Default 0. */
  labelSmoothing?: number;
}

function checkWeight(op: string, weight: Tensor | undefined, classes: number, dtype: Tensor['dtype']): void {
  if (!weight) return;
  requireFloat(op, 'weight', weight);
  if (weight.ndim !== 1 || weight.shape[0] !== classes)
    throw new ShapeError(
      `${op}: weight must have shape [${classes}] (one entry per class), got ${fmtShape(weight.shape)}`,
    );
  if (weight.dtype !== dtype) throw new DTypeError(`${op}: weight is ${weight.dtype} but input is ${dtype}`);
  checkNonNegative(op, 'weight', weight);
}

/**
 * Shared negative log-likelihood over rows [M, C] of log-probabilities. Returns the per-row losses
 * (zero where ignored) and the 'mean' denominator: the summed weights of the kept targets.
 */
function nllRows(logp: Tensor, labels: Tensor, weight: Tensor | undefined, ignoreIndex: number) {
  const ignored = labels.equal(ignoreIndex);
  const safe = where(ignored, 0, labels);
  const w = weight ? gather(weight, safe) : null;
  const picked = neg(pick(logp, safe));
  const perRow = where(ignored, 0, w ? mul(picked, w) : picked);
  const kept = where(ignored, 0, w ?? 1).astype(logp.dtype);
  return { perRow, kept, ignored };
}

function finish(op: string, perRow: Tensor, den: Tensor, batchShape: number[], reduction: Reduction): Tensor {
  checkReduction(op, reduction);
  if (reduction === 'none') return reshape(perRow, batchShape);
  const total = sum(perRow);
  return reduction === 'sum' ? total : divideOrNaN(total, sum(den));
}

/**
 * Negative log-likelihood on log-probabilities (PyTorch's `nll_loss`).
 *
 * `input` holds log-probabilities with classes on axis 1 (`[C]`, `[N, C]` or `[N, C, d1, ...]`);
 * `target` holds int32 class indices of the matching batch shape. With `weight`, `'mean'` divides
 * by the summed weights of the non-ignored targets; if every target is ignored the mean is NaN
 * (as in PyTorch) and the gradient is zero.
 *
 * @param input - Log-probabilities, classes on axis 1.
 * @param target - int32 class indices (or `ignoreIndex`).
 * @param opts - See {@link NllOptions}.
 * @returns The reduced loss (batch-shaped with `'none'`).
 * @throws {ShapeError} when the shapes do not match or `weight` is not `[C]`.
 * @throws {DTypeError} when `target` is not int32 or `weight`'s dtype differs.
 * @throws {ValueError} for a class index out of range or an unknown reduction.
 *
 * @example
 * ```ts
 * import { logSoftmax, tensor } from '@difflab/tensor';
 * import { nllLoss } from '@difflab/losses';
 * const logp = logSoftmax(tensor([[2, 0, 0], [0, 1, 0]]), 1);
 * nllLoss(logp, tensor([0, 1], { dtype: 'int32' })).item(); // 0.3955
 * ```
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NllOptions = {}): Tensor {
  const op = 'nllLoss';
  const ignoreIndex = opts.ignoreIndex ?? -100;
  const { rows, labels, batchShape, classes } = classRows(op, input, target, ignoreIndex);
  checkWeight(op, opts.weight, classes, input.dtype);
  const { perRow, kept } = nllRows(rows, labels, opts.weight, ignoreIndex);
  return finish(op, perRow, kept, batchShape, opts.reduction ?? 'mean');
}

/**
 * Cross-entropy on logits (PyTorch's `cross_entropy`): log-softmax over axis 1, then NLL,
 * computed from `logSoftmax` so logits of ±1e4 stay finite.
 *
 * - int32 `target` of the batch shape: class indices, with `weight`, `ignoreIndex` and
 *   `labelSmoothing` exactly as PyTorch combines them: `(1 - s) * nll + (s / C) * smooth`, where the
 *   smoothing term `-Σ_c w_c log p_c` shares the NLL's `'mean'` denominator.
 * - float `target` of the input's shape: class probabilities (each must sum to 1). `'mean'` divides
 *   by the number of batch elements; `ignoreIndex` does not apply.
 *
 * @param input - Logits, classes on axis 1 (`[C]`, `[N, C]` or `[N, C, d1, ...]`).
 * @param target - int32 class indices or float class probabilities.
 * @param opts - See {@link CrossEntropyOptions}.
 * @returns The reduced loss (batch-shaped with `'none'`).
 * @throws {ShapeError} when the shapes do not match or `weight` is not `[C]`.
 * @throws {DTypeError} for float targets of the batch shape (indices must be int32) or mismatched dtypes.
 * @throws {ValueError} for labelSmoothing outside [0, 1], probabilities that do not sum to 1, or a bad class index.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { crossEntropy } from '@difflab/losses';
 * const logits = tensor([[2, 0, 0], [0, 1, 0]]);
 * const labels = tensor([0, 1], { dtype: 'int32' });
 * crossEntropy(logits, labels).item(); // 0.3955
 * crossEntropy(logits, labels, { labelSmoothing: 0.1 }).item(); // 0.4955
 * ```
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  const op = 'crossEntropy';
  requireFloat(op, 'input', input);
  const s = opts.labelSmoothing ?? 0;
  if (!(s >= 0 && s <= 1)) throw new ValueError(`${op}: labelSmoothing must be in [0, 1], got ${s}`);
  const reduction = opts.reduction ?? 'mean';
  checkReduction(op, reduction);
  if (target.dtype !== 'int32') return softTargets(op, input, target, s, opts.weight, reduction);

  const ignoreIndex = opts.ignoreIndex ?? -100;
  const { rows, labels, batchShape, classes } = classRows(op, input, target, ignoreIndex);
  checkWeight(op, opts.weight, classes, input.dtype);
  const logp = logSoftmax(rows, 1);
  const { perRow, kept, ignored } = nllRows(logp, labels, opts.weight, ignoreIndex);
  const nll = finish(op, perRow, kept, batchShape, reduction);
  if (s === 0) return nll;
  const weighted = opts.weight ? mul(logp, opts.weight) : logp;
  const smoothRow = where(ignored, 0, neg(sum(weighted, 1)));
  const smooth = finish(op, smoothRow, kept, batchShape, reduction);
  return nll.mul(1 - s).add(smooth.mul(s / classes));
}

function softTargets(
  op: string,
  input: Tensor,
  target: Tensor,
  s: number,
  weight: Tensor | undefined,
  reduction: Reduction,
): Tensor {
  requireFloat(op, 'target', target);
  if (!sameShape(input.shape, target.shape)) {
    if (sameShape(batchShapeOf(input), target.shape))
      throw new DTypeError(
        `${op}: class-index targets must be int32, got ${target.dtype} of shape ${fmtShape(target.shape)}`,
      );
    throw new ShapeError(
      `${op}: input of shape ${fmtShape(input.shape)} needs int32 class indices of shape ${fmtShape(batchShapeOf(input))} or probabilities of shape ${fmtShape(input.shape)}, got ${target.dtype} ${fmtShape(target.shape)}`,
    );
  }
  if (target.dtype !== input.dtype)
    throw new DTypeError(`${op}: target is ${target.dtype} but input is ${input.dtype}`);
  const classes = input.ndim === 1 ? input.shape[0]! : input.shape[1]!;
  checkWeight(op, weight, classes, input.dtype);
  checkRange(op, 'target', target, 0, 1);
  checkSimplex(op, 'target', target, input.ndim === 1 ? 0 : 1);
  const logp = logSoftmax(classAxisLast(input), 1);
  let t = classAxisLast(target);
  if (s > 0) t = t.mul(1 - s).add(s / classes);
  // 0 * log p stays 0 here because log p is finite for finite logits.
  let prod = mul(t, logp);
  if (weight) prod = mul(prod, weight);
  const perRow = reshape(neg(sum(prod, 1)), batchShapeOf(input));
  return reduce(op, perRow, reduction);
}
