import { logSoftmax, reshape, type Tensor } from '@difflab/tensor';
import { classRows, pick, type ClassRows } from './classes.js';
import { reduce, type Reduction } from './reduction.js';

export interface LogProbRows extends ClassRows {
  /** log-softmax of every row, [M, C]. */
  logp: Tensor;
  /** log-probability of each row's label, [M]. */
  logpy: Tensor;
}

/** Class-dim-1 logits and int32 labels as log-probability rows (see {@link classRows}). */
export function logProbRows(op: string, logits: Tensor, labels: Tensor): LogProbRows {
  const r = classRows(op, logits, labels);
  const logp = logSoftmax(r.rows, 1);
  return { ...r, logp, logpy: pick(logp, r.labels) };
}

/** Reshapes per-row losses [M] back to the batch shape and reduces. */
export function finishRows(op: string, perRow: Tensor, batchShape: number[], reduction: Reduction | undefined): Tensor {
  return reduce(op, reshape(perRow, batchShape), reduction ?? 'mean');
}
