import { add, mul, sub, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import { matchLeaves, paramLeaves, rebuild, flat } from '../core/tree-utils.js';
import type { GradientTransformation, Optimizer } from '../core/types.js';
import { checkInteger, checkRange } from '../core/validate.js';

/**
 * State of {@link lookahead}: step count, slow weights and the inner optimizer's state.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { lookahead, sgd, type LookaheadState, type SGDState } from '@difflab/optim';
 * const s: LookaheadState<SGDState> = lookahead(sgd({ lr: 0.1 })).init({ w: tensor([1]) });
 * s.slow[0]!.toArray(); // [1]
 * ```
 */
export interface LookaheadState<S> {
  /** Number of steps taken. */
  count: number;
  /** Slow weights (leaves). */
  slow: Tensor[];
  /** The inner optimizer's state. */
  inner: S;
}

/**
 * Lookahead (Zhang et al., 2019): the inner optimizer moves the fast weights; every `syncPeriod`
 * steps the slow weights move a fraction `alpha` towards them and the fast weights restart there.
 *
 * optax equivalent: `optax.lookahead`. Supports inner methods that need the closure form.
 *
 * @param inner - The fast-weight optimizer or transformation.
 * @param opts - `syncPeriod` k (integer >= 1, default 5) and `alpha` in [0, 1] (default 0.5).
 * @returns The optimizer.
 * @throws {ValueError} for an invalid syncPeriod or alpha.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { lookahead, sgd } from '@difflab/optim';
 * const opt = lookahead(sgd({ lr: 0.5 }), { syncPeriod: 1, alpha: 0.5 });
 * const params = { w: tensor([1]) };
 * opt.update({ w: tensor([1]) }, opt.init(params), params).params.w.toArray(); // [0.75]: halfway to the fast 0.5
 * ```
 */
export function lookahead<S>(inner: GradientTransformation<S>, opts: { syncPeriod?: number; alpha?: number } = {}): Optimizer<LookaheadState<S>> {
  const name = `lookahead(${inner.name})`;
  const k = checkInteger(name, 'syncPeriod', opts.syncPeriod ?? 5, 1);
  const alpha = checkRange(name, 'alpha', opts.alpha ?? 0.5, 0, 1, true);
  return asOptimizer<LookaheadState<S>>({
    name,
    needsClosure: inner.needsClosure ?? false,
    init: (params) => ({ count: 0, slow: paramLeaves(name, params).leaves, inner: inner.init(params) }),
    transform(updates, state, params, ctx) {
      const p = paramLeaves(name, params);
      matchLeaves(name, 'grads', params, updates);
      const r = inner.transform(updates, state.inner, params, ctx);
      const count = state.count + 1;
      if (count % k !== 0) return { ...r, state: { count, slow: state.slow, inner: r.state } };
      const u = flat(r.updates).leaves;
      const fast = p.leaves.map((x, i) => add(x, u[i]!));
      const slow = state.slow.map((s, i) => add(s, mul(sub(fast[i]!, s), alpha)));
      const out = { updates: rebuild(p.treedef, slow.map((s, i) => sub(s, p.leaves[i]!))), state: { count, slow, inner: r.state } };
      return r.loss === undefined ? out : { ...out, loss: r.loss };
    },
  });
}
