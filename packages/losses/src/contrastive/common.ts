import {
  DTypeError,
  ShapeError,
  arange,
  div,
  equal,
  fmtShape,
  matmul,
  maximum,
  norm,
  reshape,
  transpose,
  type Tensor,
} from '@difflab/tensor';
import { requireFloat, requireInt } from '../core/validate.js';

/**
 * Rows scaled to unit L2 norm (zero rows stay zero).
 *
 * Normalises along the last axis, as `torch.nn.functional.normalize(x, dim=-1)`.
 *
 * @param x - Rows `[..., D]`.
 * @returns The unit rows.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { l2normalize } from '@difflab/losses';
 * l2normalize(tensor([[3, 4], [0, 0]])).toArray(); // [[0.6, 0.8], [0, 0]]
 * ```
 */
export function l2normalize(x: Tensor): Tensor {
  return div(x, maximum(norm(x, 2, -1, true), 1e-12));
}

export function requireEmbeddings(op: string, name: string, x: Tensor): void {
  requireFloat(op, name, x);
  if (x.ndim !== 2) throw new ShapeError(`${op}: ${name} must be [N, D], got ${fmtShape(x.shape)}`);
}

export function requireEmbeddingLabels(op: string, x: Tensor, labels: Tensor): void {
  requireInt(op, 'labels', labels);
  if (labels.ndim !== 1 || labels.shape[0] !== x.shape[0])
    throw new ShapeError(
      `${op}: labels must be [${x.shape[0]}] for embeddings ${fmtShape(x.shape)}, got ${fmtShape(labels.shape)}`,
    );
}

export function requirePair(op: string, a: Tensor, b: Tensor, names: [string, string]): void {
  requireEmbeddings(op, names[0], a);
  requireEmbeddings(op, names[1], b);
  if (a.shape[1] !== b.shape[1])
    throw new ShapeError(`${op}: ${names[0]} ${fmtShape(a.shape)} and ${names[1]} ${fmtShape(b.shape)} must share D`);
  if (a.dtype !== b.dtype) throw new DTypeError(`${op}: ${names[0]} is ${a.dtype} but ${names[1]} is ${b.dtype}`);
}

/** a bᵀ [N, M]. */
export const similarity = (a: Tensor, b: Tensor): Tensor => matmul(a, transpose(b));

/** Bool [N, N] identity mask. */
export function eyeMask(n: number, device: string): Tensor {
  const i = arange(n, { dtype: 'int32', device });
  return equal(reshape(i, [-1, 1]), reshape(i, [1, -1]));
}

/** Bool [N, N]: labels[i] == labels[j]. */
export function sameLabel(labels: Tensor): Tensor {
  return equal(reshape(labels, [-1, 1]), reshape(labels, [1, -1]));
}
