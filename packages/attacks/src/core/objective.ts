import { crossEntropy } from '@difflab/losses';
import { ValueError, fmtShape, isTensor, max, oneHot, sort, sum, where, type Tensor } from '@difflab/tensor';
import type { LossSpec } from './types.js';

/** Largest logit among the classes other than `labels`: max_{j != y} z_j, per row. */
export function maxOther(logits: Tensor, labels: Tensor): Tensor {
  const mask = oneHot(labels, logits.shape[1]!, 'int32').equal(1);
  return max(where(mask, -Infinity, logits), 1);
}

/** z_y per row. */
export function pickLogit(logits: Tensor, labels: Tensor): Tensor {
  return sum(logits.mul(oneHot(labels, logits.shape[1]!, logits.dtype as 'float32' | 'float64')), 1);
}

/**
 * Per-example cross-entropy `[N]` (PyTorch's `cross_entropy(..., reduction='none')`).
 *
 * @param logits - `[N, C]`.
 * @param labels - int32 `[N]`.
 * @returns `[N]` losses.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ceLoss } from '@difflab/attacks';
 * ceLoss(tensor([[0, 0]]), tensor([1], { dtype: 'int32' })); // tensor([0.6931]) = log 2
 * ```
 */
export function ceLoss(logits: Tensor, labels: Tensor): Tensor {
  return crossEntropy(logits, labels, { reduction: 'none' });
}

/**
 * Carlini-Wagner margin max_{j != y} z_j - z_y: positive exactly when x is misclassified.
 *
 * @param logits - `[N, C]`.
 * @param labels - int32 `[N]`.
 * @returns `[N]` margins.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { marginLoss } from '@difflab/attacks';
 * marginLoss(tensor([[2, 1, 0.5]]), tensor([0], { dtype: 'int32' })); // tensor([-1]): correctly classified
 * ```
 */
export function marginLoss(logits: Tensor, labels: Tensor): Tensor {
  return maxOther(logits, labels).sub(pickLogit(logits, labels));
}

function descendingLogits(op: string, logits: Tensor, need: number): Tensor {
  if (logits.shape[1]! < need)
    throw new ValueError(`${op}: the DLR loss needs at least ${need} classes, got logits ${fmtShape(logits.shape)}`);
  return sort(logits, 1, true);
}

/**
 * Difference of logits ratio (Croce & Hein 2020): -(z_y - max_{j != y} z_j) / (z_(1) - z_(3)),
 * z_(k) the k-th largest logit. Invariant to shifting and scaling the logits.
 *
 * @param logits - `[N, C]` with C ≥ 3.
 * @param labels - int32 `[N]`.
 * @returns `[N]` losses.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { dlrLoss } from '@difflab/attacks';
 * dlrLoss(tensor([[3, 1, 0]]), tensor([0], { dtype: 'int32' })); // tensor([-0.6667]) = -(3 - 1) / (3 - 0)
 * ```
 */
export function dlrLoss(logits: Tensor, labels: Tensor): Tensor {
  const s = descendingLogits('dlrLoss', logits, 3);
  const den = s.slice(null, 0).sub(s.slice(null, 2)).add(1e-12);
  return marginLoss(logits, labels).div(den);
}

/**
 * Targeted DLR: -(z_y - z_t) / (z_(1) - (z_(3) + z_(4)) / 2); increasing it moves towards t.
 *
 * @param logits - `[N, C]` with C ≥ 4.
 * @param labels - true labels, int32 `[N]`.
 * @param targets - target labels, int32 `[N]`.
 * @returns `[N]` losses.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { dlrTargetedLoss } from '@difflab/attacks';
 * const i32 = (v: number[]) => tensor(v, { dtype: 'int32' });
 * dlrTargetedLoss(tensor([[4, 2, 1, 0]]), i32([0]), i32([1])); // tensor([-0.5714]) = -(4 - 2) / (4 - 0.5)
 * ```
 */
export function dlrTargetedLoss(logits: Tensor, labels: Tensor, targets: Tensor): Tensor {
  const s = descendingLogits('dlrTargetedLoss', logits, 4);
  const den = s
    .slice(null, 0)
    .sub(s.slice(null, 2).add(s.slice(null, 3)).mul(0.5))
    .add(1e-12);
  return pickLogit(logits, targets).sub(pickLogit(logits, labels)).div(den);
}

/**
 * The per-example objective `[N]` an attack increases. Untargeted: the loss of the true labels.
 * Targeted: minus the loss of the targets (for `'dlr'`, the targeted DLR).
 *
 * @param op - name of the calling op, used in error messages.
 * @param spec - `'ce'`, `'dlr'`, `'margin'` or a function `(logits, labels) => [N]`.
 * @param logits - `[N, C]`.
 * @param labels - true labels, int32 `[N]`.
 * @param targets - target labels for a targeted attack.
 * @returns `[N]` values to increase.
 * @throws {ValueError} for an unknown loss name or a custom loss that does not return `[N]`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { objective } from '@difflab/attacks';
 * const logits = tensor([[2, 1, 0]]);
 * const y = tensor([0], { dtype: 'int32' });
 * objective('demo', 'margin', logits, y); // tensor([-1])
 * objective('demo', 'margin', logits, y, tensor([2], { dtype: 'int32' })); // tensor([-2]): minus the margin of class 2
 * ```
 */
export function objective(op: string, spec: LossSpec, logits: Tensor, labels: Tensor, targets?: Tensor): Tensor {
  let out: Tensor;
  if (typeof spec === 'function') out = targets ? spec(logits, targets).neg() : spec(logits, labels);
  else if (spec === 'ce') out = targets ? ceLoss(logits, targets).neg() : ceLoss(logits, labels);
  else if (spec === 'margin') out = targets ? marginLoss(logits, targets).neg() : marginLoss(logits, labels);
  else if (spec === 'dlr') out = targets ? dlrTargetedLoss(logits, labels, targets) : dlrLoss(logits, labels);
  else throw new ValueError(`${op}: loss must be 'ce', 'dlr', 'margin' or a function, got ${JSON.stringify(spec)}`);
  if (!isTensor(out) || out.ndim !== 1 || out.shape[0] !== logits.shape[0])
    throw new ValueError(
      `${op}: the loss must return per-example values [${logits.shape[0]}], got ${isTensor(out) ? fmtShape(out.shape) : typeof out}`,
    );
  return out;
}
