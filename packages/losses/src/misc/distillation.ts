import {
  DTypeError,
  ShapeError,
  exp,
  fmtShape,
  logSoftmax,
  mul,
  neg,
  sigmoid,
  softplus,
  sub,
  sum,
  type Tensor,
} from '@difflab/tensor';
import { batchShapeOf, classAxisLast } from '../core/classes.js';
import { finishRows } from '../core/rows.js';
import type { ReductionOptions } from '../core/reduction.js';
import { checkPositiveNumber, requireFloat, requireSameShape } from '../core/validate.js';

/**
 * Options of {@link kdLoss}.
 *
 * @example
 * ```ts
 * import type { KdOptions } from '@difflab/losses';
 * const o: KdOptions = { temperature: 2 };
 * ```
 */
export interface KdOptions extends ReductionOptions {
  /** Softening temperature T. Default 4. */
  temperature?: number;
}

function checkLogits(op: string, student: Tensor, teacher: Tensor): void {
  requireFloat(op, 'studentLogits', student);
  requireFloat(op, 'teacherLogits', teacher);
  requireSameShape(op, ['studentLogits', 'teacherLogits'], student, teacher);
  if (student.ndim === 0) throw new ShapeError(`${op}: logits need a class dimension, got ${fmtShape(student.shape)}`);
  if (student.dtype !== teacher.dtype)
    throw new DTypeError(`${op}: student is ${student.dtype} but teacher is ${teacher.dtype}`);
}

/**
 * Knowledge distillation (Hinton, Vinyals & Dean, "Distilling the Knowledge in a Neural Network",
 * 2015): T² KL(softmax(t/T) ‖ softmax(s/T)) per sample (classes on axis 1), so gradients keep their
 * scale as T changes; 'mean' averages over samples (PyTorch's kl_div 'batchmean' times T²). The
 * teacher is not detached: wrap it in stopGradient if it must not train.
 *
 * Typical use: `alpha * crossEntropy(s, y) + (1 - alpha) * kdLoss(s, stopGradient(t))`.
 *
 * @param studentLogits - Student logits, classes on axis 1.
 * @param teacherLogits - Teacher logits, same shape.
 * @param opts - See {@link KdOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for a non-positive temperature.
 *
 * @example
 * ```ts
 * import { stopGradient, tensor } from '@difflab/tensor';
 * import { kdLoss } from '@difflab/losses';
 * const teacher = tensor([[3, 1, 0]]);
 * kdLoss(tensor([[1, 1, 1]]), stopGradient(teacher)).item(); // 0.8077
 * kdLoss(teacher, teacher).item(); // 0
 * ```
 */
export function kdLoss(studentLogits: Tensor, teacherLogits: Tensor, opts: KdOptions = {}): Tensor {
  const op = 'kdLoss';
  checkLogits(op, studentLogits, teacherLogits);
  const T = opts.temperature ?? 4;
  checkPositiveNumber(op, 'temperature', T);
  const ls = logSoftmax(classAxisLast(studentLogits).div(T), 1);
  const lt = logSoftmax(classAxisLast(teacherLogits).div(T), 1);
  const perRow = mul(sum(mul(exp(lt), sub(lt, ls)), 1), T * T);
  return finishRows(op, perRow, batchShapeOf(studentLogits), opts.reduction);
}

/**
 * Logit-level binary KL of dual-head distillation ("Dual-Head Knowledge Distillation", DHKD,
 * 2024): Σ_k KL(Bernoulli(σ(t_k)) ‖ Bernoulli(σ(s_k))) per sample, each class treated as an
 * independent binary event; log σ(x) = -softplus(-x) keeps it finite for large logits.
 *
 * @param studentLogits - Student logits `[N, C]` (or `[C]`).
 * @param teacherLogits - Teacher logits, same shape.
 * @param opts - The {@link Reduction}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { binaryKLLogitLoss } from '@difflab/losses';
 * binaryKLLogitLoss(tensor([[0, 0]]), tensor([[2, -2]])).item(); // 0.6556
 * ```
 */
export function binaryKLLogitLoss(studentLogits: Tensor, teacherLogits: Tensor, opts: ReductionOptions = {}): Tensor {
  const op = 'binaryKLLogitLoss';
  checkLogits(op, studentLogits, teacherLogits);
  const s = classAxisLast(studentLogits);
  const t = classAxisLast(teacherLogits);
  const pt = sigmoid(t);
  const logPt = neg(softplus(neg(t)));
  const logQt = neg(softplus(t));
  const logPs = neg(softplus(neg(s)));
  const logQs = neg(softplus(s));
  const kl = mul(pt, sub(logPt, logPs)).add(mul(sub(1, pt), sub(logQt, logQs)));
  return finishRows(op, sum(kl, 1), batchShapeOf(studentLogits), opts.reduction);
}
