import { ValueError, exp, fmtShape, logSoftmax, mean, mul, stopGradient, sub, sum, fromTypedArray, type Tensor } from '@difflab/tensor';
import { checkInteger, checkNonNegative, checkPositive } from '../core/validate.js';

/**
 * Options of {@link safLoss}.
 *
 * @example
 * ```ts
 * import type { SAFOptions } from '@difflab/optim';
 * const o: SAFOptions = { lambda: 0.3, temperature: 5 };
 * ```
 */
export interface SAFOptions {
  /** Weight of the trajectory loss (default 0.3). */
  lambda?: number;
  /** Softmax temperature (default 5). */
  temperature?: number;
}

/**
 * SAF trajectory loss (Du et al., NeurIPS 2022, "Sharpness-Aware Training for Free"):
 * `lambda · mean_i KL(softmax(past_i / tau) || softmax(logits_i / tau))`.
 *
 * `past` holds the outputs recorded for the same examples some epochs earlier (treated as
 * constants, e.g. from a {@link trajectoryBank}). Penalising sudden output changes along the
 * trajectory plays the role of SAM's sharpness term at no extra gradient evaluation. With `past`
 * from an EMA model it is MESA, the paper's memory-efficient variant. Add it to the task loss.
 *
 * @param logits - Current outputs `[batch, classes]`.
 * @param past - Earlier outputs of the same shape (no gradient flows into them).
 * @param opts - See {@link SAFOptions}.
 * @returns A scalar Tensor.
 * @throws {ValueError} when the shapes differ or lambda/temperature are invalid.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { safLoss } from '@difflab/optim';
 * const now = tensor([[2, 0, 0]]);
 * safLoss(now, now).item(); // 0
 * safLoss(now, tensor([[0, 0, 2]])).item() > 0; // true
 * ```
 */
export function safLoss(logits: Tensor, past: Tensor, opts: SAFOptions = {}): Tensor {
  const name = 'safLoss';
  const lambda = checkNonNegative(name, 'lambda', opts.lambda ?? 0.3);
  const tau = checkPositive(name, 'temperature', opts.temperature ?? 5);
  if (logits.shape.join() !== past.shape.join() || logits.ndim < 1)
    throw new ValueError(`${name}: logits ${fmtShape(logits.shape)} and past outputs ${fmtShape(past.shape)} must have the same shape [batch, classes]`);
  const logQ = logSoftmax(mul(logits, 1 / tau), -1);
  const logP = logSoftmax(mul(stopGradient(past), 1 / tau), -1);
  const kl = sum(mul(exp(logP), sub(logP, logQ)), -1);
  return mul(mean(kl), lambda);
}

/**
 * Per-example memory of model outputs by epoch, as made by {@link trajectoryBank}.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { trajectoryBank, type TrajectoryBank } from '@difflab/optim';
 * const bank: TrajectoryBank = trajectoryBank({ delay: 1 });
 * bank.record(0, [7], tensor([[1, 2]]));
 * bank.lookup(1, [7])?.toArray(); // [[1, 2]]
 * ```
 */
export interface TrajectoryBank {
  /** Stores the outputs of `indices` (rows of `logits`) computed during `epoch`. */
  record(epoch: number, indices: readonly number[], logits: Tensor): void;
  /** The outputs of `indices` recorded at `epoch - delay`, or null when any is missing. */
  lookup(epoch: number, indices: readonly number[]): Tensor | null;
}

/**
 * Per-example output memory for SAF: keeps the last `delay + 1` epochs of outputs (on the host),
 * so the trajectory loss can compare against the outputs from `delay` epochs ago.
 *
 * @param opts - `delay`: how many epochs back to compare (integer >= 1, default 3).
 * @returns The bank.
 * @throws {ValueError} for an invalid delay, or from `record` when logits are not `[indices.length, classes]`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { safLoss, trajectoryBank } from '@difflab/optim';
 * const bank = trajectoryBank({ delay: 1 });
 * const batch = [0, 1];
 * bank.record(0, batch, tensor([[1, 0], [0, 1]]));
 * const past = bank.lookup(1, batch); // outputs from epoch 0
 * const extra = past ? safLoss(tensor([[1, 0], [0, 1]]), past) : null;
 * extra?.item(); // 0
 * ```
 */
export function trajectoryBank(opts: { delay?: number } = {}): TrajectoryBank {
  const delay = checkInteger('trajectoryBank', 'delay', opts.delay ?? 3, 1);
  const epochs = new Map<number, Map<number, { row: Float64Array; dtype: Tensor['dtype'] }>>();
  return {
    record(epoch, indices, logits) {
      if (logits.ndim !== 2 || logits.shape[0] !== indices.length)
        throw new ValueError(`trajectoryBank.record: expected logits [${indices.length}, classes], got ${fmtShape(logits.shape)}`);
      const data = logits.dataSync();
      const c = logits.shape[1]!;
      let m = epochs.get(epoch);
      if (!m) epochs.set(epoch, (m = new Map()));
      indices.forEach((idx, r) => m!.set(idx, { row: Float64Array.from(data.subarray(r * c, (r + 1) * c)), dtype: logits.dtype }));
      for (const e of [...epochs.keys()]) if (e < epoch - delay) epochs.delete(e);
    },
    lookup(epoch, indices) {
      const m = epochs.get(epoch - delay);
      if (!m || indices.length === 0) return null;
      const rows = indices.map((i) => m.get(i));
      if (rows.some((r) => !r)) return null;
      const c = rows[0]!.row.length;
      const out = new Float64Array(indices.length * c);
      rows.forEach((r, i) => out.set(r!.row, i * c));
      return fromTypedArray(out, [indices.length, c], { dtype: rows[0]!.dtype });
    },
  };
}
