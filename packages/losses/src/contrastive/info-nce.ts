import { ShapeError, arange, concat, fmtShape, logSoftmax, neg, where, type Tensor } from '@difflab/tensor';
import { pick } from '../core/classes.js';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkPositiveNumber } from '../core/validate.js';
import { eyeMask, l2normalize, requirePair, similarity } from './common.js';

/**
 * Options of {@link infoNCE}.
 *
 * @example
 * ```ts
 * import { zeros } from '@difflab/tensor';
 * import type { InfoNceOptions } from '@difflab/losses';
 * const o: InfoNceOptions = { temperature: 0.07, negatives: zeros([16, 8]) };
 * ```
 */
export interface InfoNceOptions extends ReductionOptions {
  /** Temperature τ. Default 0.1. */
  temperature?: number;
  /** Extra negatives [M, D] (a memory bank / queue) shared by every query. */
  negatives?: Tensor;
  /** Compare cosine similarities (L2-normalise first). Default true. */
  normalize?: boolean;
}

/**
 * InfoNCE (van den Oord et al., "Representation Learning with Contrastive Predictive Coding", 2018,
 * eq. 4): row i of `query` [N, D] must pick key i out of all keys [N, D] (in-batch negatives) and the
 * optional `negatives`: -log(exp(s_ii/τ) / Σ_k exp(s_ik/τ)), with cosine similarities by default.
 *
 * @param query - Queries `[N, D]`.
 * @param keys - Keys `[N, D]`; key i is query i's positive.
 * @param opts - See {@link InfoNceOptions}.
 * @returns The reduced loss (`[N]` with `'none'`).
 * @throws {ShapeError} when the shapes differ or negatives have another D.
 * @throws {ValueError} for a non-positive temperature.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { infoNCE } from '@difflab/losses';
 * const q = tensor([[1, 0], [0, 1]]);
 * infoNCE(q, q).item(); // 0.00004542
 * infoNCE(q, tensor([[0, 1], [1, 0]])).item(); // 10: keys swapped
 * ```
 */
export function infoNCE(query: Tensor, keys: Tensor, opts: InfoNceOptions = {}): Tensor {
  const op = 'infoNCE';
  requirePair(op, query, keys, ['query', 'keys']);
  if (query.shape[0] !== keys.shape[0])
    throw new ShapeError(`${op}: query ${fmtShape(query.shape)} and keys ${fmtShape(keys.shape)} need the same N`);
  const tau = opts.temperature ?? 0.1;
  checkPositiveNumber(op, 'temperature', tau);
  const norm = opts.normalize ?? true;
  const q = norm ? l2normalize(query) : query;
  let k = norm ? l2normalize(keys) : keys;
  if (opts.negatives) {
    requirePair(op, query, opts.negatives, ['query', 'negatives']);
    k = concat([k, norm ? l2normalize(opts.negatives) : opts.negatives], 0);
  }
  const logits = similarity(q, k).div(tau);
  const n = query.shape[0]!;
  const loss = neg(pick(logSoftmax(logits, 1), arange(n, { dtype: 'int32', device: query.device })));
  return reduce(op, loss, opts.reduction);
}

/**
 * Options of {@link ntXent}.
 *
 * @example
 * ```ts
 * import type { NtXentOptions } from '@difflab/losses';
 * const o: NtXentOptions = { temperature: 0.2 };
 * ```
 */
export interface NtXentOptions extends ReductionOptions {
  /** Temperature τ. Default 0.5 (SimCLR's CIFAR setting). */
  temperature?: number;
}

/**
 * NT-Xent, SimCLR's loss (Chen et al., "A Simple Framework for Contrastive Learning of Visual
 * Representations", ICML 2020, eq. 1): the 2N views z = [z1; z2] are L2-normalised, each view's
 * positive is its partner and the other 2N - 2 views are negatives; the loss averages
 * -log(exp(sim(i, j)/τ) / Σ_{k≠i} exp(sim(i, k)/τ)) over all 2N views ('none' gives [2N]).
 *
 * @param z1 - First views `[N, D]`.
 * @param z2 - Second views `[N, D]`.
 * @param opts - See {@link NtXentOptions}.
 * @returns The reduced loss (`[2N]` with `'none'`).
 * @throws {ShapeError} when the shapes differ or are not 2-D.
 * @throws {ValueError} for a non-positive temperature.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ntXent } from '@difflab/losses';
 * const z1 = tensor([[1, 0], [0, 1]]);
 * ntXent(z1, tensor([[0.9, 0.1], [0.1, 0.9]])).item(); // 0.2965
 * ```
 */
export function ntXent(z1: Tensor, z2: Tensor, opts: NtXentOptions = {}): Tensor {
  const op = 'ntXent';
  requirePair(op, z1, z2, ['z1', 'z2']);
  if (z1.shape[0] !== z2.shape[0])
    throw new ShapeError(`${op}: z1 ${fmtShape(z1.shape)} and z2 ${fmtShape(z2.shape)} need the same N`);
  const tau = opts.temperature ?? 0.5;
  checkPositiveNumber(op, 'temperature', tau);
  const n = z1.shape[0]!;
  const z = l2normalize(concat([z1, z2], 0));
  const logits = where(eyeMask(2 * n, z.device), -Infinity, similarity(z, z).div(tau));
  const partner = arange(2 * n, { dtype: 'int32', device: z.device })
    .add(n)
    .mod(2 * n);
  return reduce(op, neg(pick(logSoftmax(logits, 1), partner)), opts.reduction);
}
