import { ValueError, exp, fmtShape, logSoftmax, mean, mul, stopGradient, sub, sum, fromTypedArray, type Tensor } from '@difflab/tensor';
import { checkInteger, checkNonNegative, checkPositive } from '../core/validate.js';

export interface SAFOptions {
  /** Weight of the trajectory loss (default 0.3). */
  lambda?: number;
  /** Softmax temperature (default 5). */
  temperature?: number;
}

/**
 * SAF trajectory loss (Du et al. 2022, "Sharpness-Aware Training for Free"):
 * lambda · mean_i KL(softmax(past_i / tau) || softmax(logits_i / tau)), with `past` the outputs
 * recorded for the same examples some epochs earlier (treated as constants). Penalising sudden
 * output changes along the trajectory plays the role of SAM's sharpness term at no extra
 * gradient evaluation. With `past` from an EMA model it is MESA, the paper's memory-efficient variant.
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

export interface TrajectoryBank {
  /** Stores the outputs of `indices` (rows of `logits`) computed during `epoch`. */
  record(epoch: number, indices: readonly number[], logits: Tensor): void;
  /** The outputs of `indices` recorded at `epoch - delay`, or null when any is missing. */
  lookup(epoch: number, indices: readonly number[]): Tensor | null;
}

/**
 * Per-example output memory for SAF: keeps the last `delay + 1` epochs of outputs, so the
 * trajectory loss can compare against the outputs from `delay` epochs ago.
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
