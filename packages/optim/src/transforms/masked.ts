import { resolveMask } from '../core/mask.js';
import { flat, matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { GradientTransformation, Mask } from '../core/types.js';

/**
 * Applies `inner` only to the masked leaves; the other leaves' updates pass through unchanged
 * (optax's `masked`). The inner transform sees the selected leaves as an array pytree.
 *
 * @param inner - The transformation applied to the selected leaves.
 * @param mask - Which leaves (see {@link Mask}).
 * @returns The masked gradient transformation.
 * @throws {ValueError} when a boolean-pytree mask does not mirror the params.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { chain, clipByValue, masked, sgd } from '@difflab/optim';
 * const opt = chain(masked(clipByValue(1), { a: true, b: false }), sgd({ lr: 1 }));
 * const params = { a: tensor([0]), b: tensor([0]) };
 * const r = opt.update({ a: tensor([5]), b: tensor([5]) }, opt.init(params), params);
 * [r.params.a.item(), r.params.b.item()]; // [-1, -5]
 * ```
 */
export function masked<S>(inner: GradientTransformation<S>, mask: Mask): GradientTransformation<S> {
  const name = `masked(${inner.name})`;
  const pick = <T>(xs: T[], on: boolean[]) => xs.filter((_, i) => on[i]);
  return {
    name,
    needsClosure: inner.needsClosure ?? false,
    init(params) {
      const on = resolveMask(name, mask, params);
      return inner.init(pick(paramLeaves(name, params).leaves, on));
    },
    transform(updates, state, params, ctx) {
      const p = paramLeaves(name, params);
      const u = matchLeaves(name, 'updates', params, updates);
      const on = resolveMask(name, mask, params);
      const sel = pick(p.leaves, on);
      if (sel.length === 0) return { updates, state };
      const innerCtx = ctx.lossFn
        ? {
            ...ctx,
            // The inner method sees only the selected leaves; the rest stay at their current values.
            lossFn: (sub: unknown) => {
              const leaves = [...p.leaves];
              const subLeaves = flat(sub).leaves;
              let k = 0;
              on.forEach((o, i) => {
                if (o) leaves[i] = subLeaves[k++]!;
              });
              return ctx.lossFn!(rebuild(p.treedef, leaves));
            },
          }
        : ctx;
      const r = inner.transform(pick(u, on), state, sel, innerCtx);
      const innerOut = flat(r.updates).leaves;
      const out = [...u];
      let k = 0;
      on.forEach((o, i) => {
        if (o) out[i] = innerOut[k++]!;
      });
      return r.loss === undefined ? { updates: rebuild(p.treedef, out), state: r.state } : { updates: rebuild(p.treedef, out), state: r.state, loss: r.loss };
    },
  };
}
