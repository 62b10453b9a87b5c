import { ValueError, Tensor, fromTypedArray, reshape, stack, vjp } from '@difflab/tensor';
import { applyUpdates } from '../core/optimizer.js';
import { paramLeaves } from '../core/tree-utils.js';
import type { GradientTransformation } from '../core/types.js';
import { sgd } from '../optimizers/sgd.js';
import { resolveAggregator, type Aggregator, type AggregatorName } from './aggregators.js';
import { gradientMatrix } from './gradient-matrix.js';

/** Vector-valued objective: an array of scalar losses or a 1-D tensor of them. */
export type LossesFn<P> = (params: P) => Tensor[] | Tensor;

/** The losses and the gradient of each (one params-shaped pytree per objective), from one forward pass. */
export function objectiveJacobian<P>(lossesFn: LossesFn<P>, params: P): { losses: Tensor; grads: P[] } {
  const f = (p: P) => {
    const out = lossesFn(p);
    if (Array.isArray(out)) {
      if (out.length === 0) throw new ValueError('jacobianDescent: the objective returned no losses');
      return stack(out.map((l) => reshape(l, [])), 0);
    }
    if (!(out instanceof Tensor) || out.ndim !== 1) throw new ValueError('jacobianDescent: the objective must return an array of scalar Tensors or a 1-D Tensor');
    return out;
  };
  const [losses, pullback] = vjp(f, params) as [Tensor, (c: Tensor) => P[]];
  const m = losses.size;
  const grads = Array.from({ length: m }, (_, i) => {
    const e = new Float64Array(m);
    e[i] = 1;
    return pullback(fromTypedArray(e, [m], { dtype: losses.dtype, device: losses.device }))[0]!;
  });
  return { losses, grads };
}

export interface JacobianDescentOptions {
  /** How the per-objective gradients are combined (default 'upgrad'). */
  aggregator?: AggregatorName | Aggregator;
  /** Transform applied to the aggregated gradient (default sgd({lr: 0.01})). */
  optimizer?: GradientTransformation;
}

export interface JacobianDescent<S> {
  readonly name: string;
  init(params: unknown): S;
  /** One step: the losses (before the step), the new params and state. */
  step<P>(lossesFn: LossesFn<P>, params: P, state: S): { params: P; state: S; losses: number[] };
}

/**
 * Jacobian descent (Quinton & Rey 2024): at each step the Jacobian of a vector of losses is
 * reduced by an aggregator (UPGrad, MGDA, PCGrad, ConFIG, mean, or your own) and the result is
 * fed to an ordinary optimizer. `@difflab/pde` uses it to balance PINN loss terms.
 */
export function jacobianDescent<S = unknown>(opts: JacobianDescentOptions = {}): JacobianDescent<S> {
  const agg = resolveAggregator('jacobianDescent', opts.aggregator);
  const base = (opts.optimizer ?? sgd({ lr: 0.01 })) as GradientTransformation<S>;
  const name = `jacobianDescent(${typeof opts.aggregator === 'string' ? opts.aggregator : opts.aggregator ? 'custom' : 'upgrad'}, ${base.name})`;
  if (base.needsClosure) throw new ValueError(`${name}: the optimizer must not re-evaluate the loss itself`);
  return {
    name,
    init: (params) => {
      paramLeaves(name, params);
      return base.init(params);
    },
    step<P>(lossesFn: LossesFn<P>, params: P, state: S) {
      const { losses, grads } = objectiveJacobian(lossesFn, params);
      const { J, unflatten } = gradientMatrix(name, grads);
      const g = unflatten(agg(J));
      const r = base.transform(g, state, params, {});
      return { params: applyUpdates(params, r.updates), state: r.state, losses: Array.from(losses.dataSync()) };
    },
  };
}
