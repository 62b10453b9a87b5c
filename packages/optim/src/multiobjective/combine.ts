import { gradientMatrix, gram } from './gradient-matrix.js';
import { configWeights, mgdaWeights, pcgradWeights, upgradWeights, resolveAggregator, type Aggregator, type AggregatorName } from './aggregators.js';
import { combineRows } from './gradient-matrix.js';

/** Combines per-objective gradient pytrees into one pytree with an aggregator (UPGrad by default). */
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

/** PCGrad on gradient pytrees; `seed` shuffles the projection order (fixed order otherwise). */
export const pcgrad = <P>(grads: readonly P[], opts: { seed?: number; reduction?: 'sum' | 'mean' } = {}): P =>
  viaWeights('pcgrad', pcgradWeights(opts))(grads);
/** MGDA's min-norm common descent direction on gradient pytrees. */
export const mgda = <P>(grads: readonly P[], opts: { maxIter?: number; tol?: number } = {}): P => viaWeights('mgda', mgdaWeights(opts))(grads);
/** ConFIG's conflict-free combination of gradient pytrees. */
export const configCombine = <P>(grads: readonly P[]): P => viaWeights('configCombine', configWeights())(grads);
/** UPGrad's non-conflicting combination of gradient pytrees. */
export const upgrad = <P>(grads: readonly P[], opts: { maxIter?: number; tol?: number } = {}): P => viaWeights('upgrad', upgradWeights(opts))(grads);
