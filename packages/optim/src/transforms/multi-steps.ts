import { add, div, ValueError, zerosLike, type Tensor } from '@difflab/tensor';
import { matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import { asOptimizer } from '../core/optimizer.js';
import type { GradientTransformation, Optimizer } from '../core/types.js';
import { checkInteger } from '../core/validate.js';

/**
 * State of {@link multiSteps}: mini-step counter, gradient accumulator and the inner state.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { multiSteps, sgd, type MultiStepsState, type SGDState } from '@difflab/optim';
 * const s: MultiStepsState<SGDState> = multiSteps(sgd({ lr: 0.1 }), { everyK: 4 }).init({ w: tensor([1]) });
 * s.miniStep; // 0
 * ```
 */
export interface MultiStepsState<S> {
  /** Mini-steps accumulated since the last real update. */
  miniStep: number;
  /** Sum of the gradients accumulated since the last real update. */
  acc: Tensor[];
  /** The inner optimizer's state. */
  inner: S;
}

/**
 * Gradient accumulation (optax's `MultiSteps`): averages the gradients of `everyK` calls and
 * applies `inner` once to the mean; the calls in between return zero updates.
 *
 * @param inner - The optimizer applied to the averaged gradient (not a closure-only method).
 * @param opts - `everyK`: number of calls per real update (integer >= 1).
 * @returns The optimizer.
 * @throws {ValueError} for an invalid everyK or an inner method that needs the closure form.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { multiSteps, sgd } from '@difflab/optim';
 * const opt = multiSteps(sgd({ lr: 1 }), { everyK: 2 });
 * let params = { w: tensor([0]) };
 * let state = opt.init(params);
 * ({ params, state } = opt.update({ w: tensor([1]) }, state, params)); // w stays 0
 * ({ params, state } = opt.update({ w: tensor([3]) }, state, params));
 * params.w.toArray(); // [-2]: one step on the mean gradient 2
 * ```
 */
export function multiSteps<S>(inner: GradientTransformation<S>, opts: { everyK: number }): Optimizer<MultiStepsState<S>> {
  const name = `multiSteps(${inner.name})`;
  const k = checkInteger(name, 'everyK', opts.everyK, 1);
  if (inner.needsClosure) throw new ValueError(`${name}: cannot accumulate gradients for ${inner.name}, which re-evaluates the loss itself`);
  return asOptimizer<MultiStepsState<S>>({
    name,
    init: (params) => ({ miniStep: 0, acc: paramLeaves(name, params).leaves.map((l) => zerosLike(l)), inner: inner.init(params) }),
    transform(updates, state, params, ctx) {
      const p = paramLeaves(name, params);
      const u = matchLeaves(name, 'grads', params, updates);
      const acc = u.map((g, i) => add(state.acc[i]!, g));
      if (state.miniStep + 1 < k) {
        return { updates: rebuild(p.treedef, p.leaves.map((l) => zerosLike(l))), state: { miniStep: state.miniStep + 1, acc, inner: state.inner } };
      }
      const mean = rebuild(p.treedef, acc.map((a) => div(a, k)));
      const r = inner.transform(mean, state.inner, params, ctx);
      return { updates: r.updates, state: { miniStep: 0, acc: p.leaves.map((l) => zerosLike(l)), inner: r.state } };
    },
  });
}
