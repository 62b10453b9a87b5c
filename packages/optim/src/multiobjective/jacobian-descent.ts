import { ValueError, Tensor, fromTypedArray, reshape, stack, vjp } from '@difflab/tensor';
import { applyUpdates } from '../core/optimizer.js';
import { paramLeaves } from '../core/tree-utils.js';
import type { GradientTransformation } from '../core/types.js';
import { sgd } from '../optimizers/sgd.js';
import { resolveAggregator, type Aggregator, type AggregatorName } from './aggregators.js';
import { gradientMatrix } from './gradient-matrix.js';

/**
 * A vector-valued objective: an array of scalar losses or a 1-D Tensor of them.
 *
 * @example
 * ```ts
 * import type { Tensor } from '@difflab/tensor';
 * import type { LossesFn } from '@difflab/optim';
 * const f: LossesFn<{ w: Tensor }> = (p) => [p.w.sub(1).square().sum(), p.w.add(1).square().sum()];
 * ```
 */
export type LossesFn<P> = (params: P) => Tensor[] | Tensor;

/**
 * The losses and the gradient of each (one params-shaped pytree per objective) from one forward
 * pass and m vector-Jacobian products.
 *
 * @param lossesFn - The vector objective.
 * @param params - Where to evaluate.
 * @returns `losses` as a 1-D Tensor and `grads`, one pytree per loss.
 * @throws {ValueError} when the objective returns no losses or something other than scalars / a 1-D Tensor.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { objectiveJacobian } from '@difflab/optim';
 * const { losses, grads } = objectiveJacobian((p: { w: Tensor }) => [p.w.sum(), p.w.square().sum()], { w: tensor([1, 2]) });
 * losses.toArray(); // [3, 5]
 * grads[1]!.w.toArray(); // [2, 4]
 * ```
 */
export function objectiveJacobian<P>(lossesFn: LossesFn<P>, params: P): {
  /** The m losses as a 1-D Tensor. */
  losses: Tensor;
  /** One params-shaped gradient per loss. */
  grads: P[];
} {
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

/**
 * Options of {@link jacobianDescent}.
 *
 * @example
 * ```ts
 * import { adam, jacobianDescent, type JacobianDescentOptions } from '@difflab/optim';
 * const o: JacobianDescentOptions = { aggregator: 'mgda', optimizer: adam({ lr: 1e-3 }) };
 * const jd = jacobianDescent(o);
 * ```
 */
export interface JacobianDescentOptions {
  /** How the per-objective gradients are combined (default 'upgrad'). */
  aggregator?: AggregatorName | Aggregator;
  /** Transform applied to the aggregated gradient (default sgd({lr: 0.01})). */
  optimizer?: GradientTransformation;
}

/**
 * A multi-objective optimizer made by {@link jacobianDescent}: `init` builds the inner
 * optimizer's state; `step` takes the vector objective.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { jacobianDescent, type JacobianDescent } from '@difflab/optim';
 * const jd: JacobianDescent<unknown> = jacobianDescent();
 * const params = { w: tensor([0]) };
 * const r = jd.step((p: { w: Tensor }) => [p.w.sub(1).square().sum(), p.w.add(1).square().sum()], params, jd.init(params));
 * r.losses; // [1, 1]
 * ```
 */
export interface JacobianDescent<S> {
  /** Name used in error messages. */
  readonly name: string;
  /** Builds the inner optimizer's state from the params. */
  init(params: unknown): S;
  /** One step: the losses (before the step), the new params and state. */
  step<P>(
    lossesFn: LossesFn<P>,
    params: P,
    state: S,
  ): {
    /** The params after the step. */
    params: P;
    /** The inner optimizer's new state. */
    state: S;
    /** The losses at the params the step started from. */
    losses: number[];
  };
}

/**
 * Jacobian descent (Quinton & Rey, 2024; TorchJD's `backward(aggregator=...)` + optimizer step):
 * at each step the Jacobian of a vector of losses is reduced by an aggregator (UPGrad, MGDA,
 * PCGrad, ConFIG, mean, or your own) and the result is fed to an ordinary optimizer.
 * `@difflab/pde` uses it to balance PINN loss terms.
 *
 * @param opts - See {@link JacobianDescentOptions}.
 * @returns The multi-objective optimizer.
 * @throws {ValueError} for an unknown aggregator or an optimizer that needs the closure form.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { jacobianDescent, sgd } from '@difflab/optim';
 * const jd = jacobianDescent({ aggregator: 'upgrad', optimizer: sgd({ lr: 0.1 }) });
 * let params = { w: tensor([3]) };
 * let state = jd.init(params);
 * const f = (p: { w: Tensor }) => [p.w.sub(1).square().sum(), p.w.add(1).square().sum()];
 * for (let i = 0; i < 50; i++) ({ params, state } = jd.step(f, params, state));
 * params.w.item(); // about 1: the nearest Pareto-optimal point, where the two gradients start to conflict
 * ```
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
