import { add, mul, sub, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import { matchLeaves, paramLeaves, rebuild, flat } from '../core/tree-utils.js';
import type { GradientTransformation, Optimizer } from '../core/types.js';
import { checkInteger, checkRange } from '../core/validate.js';

export interface LookaheadState<S> {
  count: number;
  /** Slow weights (leaves). */
  slow: Tensor[];
  inner: S;
}

/**
 * Lookahead (Zhang et al. 2019): the inner optimizer moves the fast weights; every `syncPeriod`
 * steps the slow weights move a fraction `alpha` towards them and the fast weights restart there.
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
