import { gradientMatrix, gram } from './gradient-matrix.js';
import { configWeights, mgdaWeights, pcgradWeights, upgradWeights, resolveAggregator, type Aggregator, type AggregatorName } from './aggregators.js';
import { combineRows } from './gradient-matrix.js';

/**
 * Combines per-objective gradient pytrees into one pytree with an aggregator (UPGrad by default).
 *
 * @param grads - One gradient pytree per objective, all with the same structure and shapes.
 * @param aggregator - A name or an {@link Aggregator} (default `'upgrad'`).
 * @returns The combined gradient, with the structure of the inputs.
 * @throws {ValueError} for an empty list, mismatched pytrees or an unknown aggregator name.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { aggregate } from '@difflab/optim';
 * const g = aggregate([{ w: tensor([1, 0]) }, { w: tensor([0, 1]) }], 'mean');
 * g.w.toArray(); // [0.5, 0.5]
 * ```
 */
export function aggregate<P>(grads: readonly P[], aggregator: AggregatorName | Aggregator = 'upgrad'): P {
  const { J, unflatten } = gradientMatrix('aggregate', grads);
  return unflatten(resolveAggregator('aggregate', aggregator)(J));
}

const viaWeights =
  (op: string, w: (G: Float64Array, m: number) => Float64Array) =>
  <P>(grads: readonly P[]): P => {
    const { J, unflatten } = gradientMatrix(op, grads);
    return unflatten(combineRows(J, w(gram(J), J.shape[0]!)));
  };

/**
 * PCGrad (Yu et al., NeurIPS 2020) on gradient pytrees: conflicting components are projected
 * away pairwise and the results summed; `seed` shuffles the projection order (fixed order otherwise).
 *
 * @param grads - One gradient pytree per objective.
 * @param opts - `seed` and `reduction` (`'sum'` default, or `'mean'`).
 * @returns The combined gradient pytree.
 * @throws {ValueError} for an empty list or mismatched pytrees.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { pcgrad } from '@difflab/optim';
 * pcgrad([{ w: tensor([1, 0]) }, { w: tensor([-1, 1]) }]).w.toArray(); // [0.5, 1.5]
 * ```
 */
export const pcgrad = <P>(grads: readonly P[], opts: { seed?: number; reduction?: 'sum' | 'mean' } = {}): P =>
  viaWeights('pcgrad', pcgradWeights(opts))(grads);
/**
 * MGDA's min-norm common descent direction (Sener & Koltun, NeurIPS 2018) on gradient pytrees.
 *
 * @param grads - One gradient pytree per objective.
 * @param opts - `maxIter` (default 250) and `tol` (default 1e-10) of the Frank-Wolfe solver.
 * @returns The combined gradient pytree.
 * @throws {ValueError} for an empty list or mismatched pytrees.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { mgda } from '@difflab/optim';
 * mgda([{ w: tensor([1, 0]) }, { w: tensor([-1, 1]) }]).w.toArray(); // [0.2, 0.4] (up to rounding)
 * ```
 */
export const mgda = <P>(grads: readonly P[], opts: { maxIter?: number; tol?: number } = {}): P => viaWeights('mgda', mgdaWeights(opts))(grads);
/**
 * ConFIG's conflict-free combination (Liu et al., 2024) of gradient pytrees: equal cosine to
 * every gradient, scaled by the sum of their projections.
 *
 * @param grads - One gradient pytree per objective.
 * @returns The combined gradient pytree.
 * @throws {ValueError} for an empty list or mismatched pytrees.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { configCombine } from '@difflab/optim';
 * configCombine([{ w: tensor([1, 0]) }, { w: tensor([0, 1]) }]).w.toArray(); // [1, 1]
 * ```
 */
export const configCombine = <P>(grads: readonly P[]): P => viaWeights('configCombine', configWeights())(grads);
/**
 * UPGrad's non-conflicting combination (Quinton & Rey, 2024) of gradient pytrees: never
 * decreases any objective to first order; the mean when no two gradients conflict.
 *
 * @param grads - One gradient pytree per objective.
 * @param opts - `maxIter` (default 10000) and `tol` (default 1e-14) of the dual solver.
 * @returns The combined gradient pytree.
 * @throws {ValueError} for an empty list or mismatched pytrees.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { upgrad } from '@difflab/optim';
 * const g = upgrad([{ w: tensor([1, 0]) }, { w: tensor([-1, 1]) }]).w;
 * g.toArray(); // [0.25, 0.75]: positive dot product with both gradients
 * ```
 */
export const upgrad = <P>(grads: readonly P[], opts: { maxIter?: number; tol?: number } = {}): P => viaWeights('upgrad', upgradWeights(opts))(grads);
