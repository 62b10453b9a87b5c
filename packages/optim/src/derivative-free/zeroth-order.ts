import { ValueError, add, mul, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import { createRng } from '../core/prng.js';
import { randomLike } from '../core/random-tree.js';
import { flat, num, paramLeaves, rebuild, treeAxpy, treeZerosLike, treeScale } from '../core/tree-utils.js';
import type { GradientTransformation, LossFn, Optimizer } from '../core/types.js';
import { checkInteger, checkPositive } from '../core/validate.js';

/**
 * Options of {@link zerothOrderGradient} and {@link zerothOrder}.
 *
 * @example
 * ```ts
 * import type { ZerothOrderOptions } from '@difflab/optim';
 * const o: ZerothOrderOptions = { mu: 1e-3, samples: 20, distribution: 'sphere', seed: 7 };
 * ```
 */
export interface ZerothOrderOptions {
  /** Smoothing radius μ (default 1e-3). */
  mu?: number;
  /** Number of random directions averaged (default 10). */
  samples?: number;
  /** Seed of the random directions (default 0). */
  seed?: number;
  /** 'gaussian' (E[uuᵀ] = I) or 'sphere' (uniform unit directions, scaled by the dimension). */
  distribution?: 'gaussian' | 'sphere';
}

/**
 * Two-point zeroth-order gradient estimate (Nesterov & Spokoiny, 2017; Duchi et al., 2015):
 * `ĝ = (1/q) Σ_k [f(θ + μ u_k) − f(θ − μ u_k)] / (2μ) · u_k`, an unbiased estimate of the gradient
 * of the Gaussian-smoothed f (exact in expectation for quadratics).
 *
 * Needs only loss values, so f may be non-differentiable or a black box returning a number.
 *
 * @param f - Loss of the params (a scalar Tensor or a number).
 * @param params - Where to estimate the gradient.
 * @param opts - See {@link ZerothOrderOptions}.
 * @returns The estimate, with the structure of the params.
 * @throws {ValueError} for invalid mu/samples or an unknown distribution.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { zerothOrderGradient } from '@difflab/optim';
 * const f = (p: { w: Tensor }) => p.w.sum().item(); // gradient [1, 1]
 * const g = zerothOrderGradient(f, { w: tensor([0, 0], { dtype: 'float64' }) }, { samples: 2000 });
 * g.w.toArray(); // about [1, 1]
 * ```
 */
export function zerothOrderGradient<P>(f: (params: P) => Tensor | number, params: P, opts: ZerothOrderOptions = {}): P {
  const op = 'zerothOrderGradient';
  const mu = checkPositive(op, 'mu', opts.mu ?? 1e-3);
  const q = checkInteger(op, 'samples', opts.samples ?? 10, 1);
  const dist = opts.distribution ?? 'gaussian';
  if (dist !== 'gaussian' && dist !== 'sphere') throw new ValueError(`${op}: distribution must be 'gaussian' or 'sphere', got ${String(dist)}`);
  const p = paramLeaves(op, params);
  const dim = p.leaves.reduce((s, l) => s + l.size, 0);
  const rng = createRng(opts.seed ?? 0);
  let acc = treeZerosLike(params) as P;
  for (let k = 0; k < q; k++) {
    let u = randomLike(params, rng, 'normal');
    if (dist === 'sphere') {
      const n = Math.sqrt(flat(u).leaves.reduce((s, l) => s + num(l.mul(l).sum()), 0));
      u = treeScale(u, Math.sqrt(dim) / n);
    }
    const ul = flat(u).leaves;
    const at = (s: number) => num(f(rebuild<P>(p.treedef, p.leaves.map((x, i) => add(x, mul(ul[i]!, s * mu))))));
    const diff = (at(1) - at(-1)) / (2 * mu);
    acc = treeAxpy(diff / q, u, acc);
  }
  return acc;
}

/**
 * Wraps a gradient transformation so that `step(lossFn, …)` feeds it the two-point estimate of
 * {@link zerothOrderGradient} instead of the autodiff gradient: zeroth-order SGD / Adam (ZO-SGD,
 * ZO-Adam; the MeZO recipe for memory-light fine-tuning). A fresh seed is derived for every step
 * from `seed` and the step count.
 *
 * @param base - The optimizer fed with the estimate.
 * @param opts - See {@link ZerothOrderOptions}.
 * @returns The optimizer (`needsClosure: true`).
 * @throws {ValueError} for invalid options, or when called without the loss function.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sgd, zerothOrder } from '@difflab/optim';
 * const opt = zerothOrder(sgd({ lr: 0.1 }), { samples: 20 });
 * let params = { w: tensor([1, -1], { dtype: 'float64' }) };
 * let state = opt.init(params);
 * for (let i = 0; i < 50; i++) ({ params, state } = opt.step((p) => p.w.square().sum(), params, state));
 * params.w.abs().max().item() < 0.1; // true
 * ```
 */
export function zerothOrder<S>(base: GradientTransformation<S>, opts: ZerothOrderOptions = {}): Optimizer<{
  /** Steps taken (seeds each step's directions). */
  count: number;
  /** The base optimizer's state. */
  base: S;
}> {
  const name = `zerothOrder(${base.name})`;
  if (base.needsClosure) throw new ValueError(`${name}: the base optimizer must work from gradients`);
  const seed = opts.seed ?? 0;
  const zo = asOptimizer<{ count: number; base: S }>({
    name,
    init: (params) => ({ count: 0, base: base.init(params) }),
    transform(grads, state, params, ctx) {
      const r = base.transform(grads, state.base, params, ctx);
      return { updates: r.updates, state: { count: state.count + 1, base: r.state } };
    },
  });
  return {
    ...zo,
    step<P>(lossFn: LossFn<P>, params: P, state: { count: number; base: S }) {
      const g = zerothOrderGradient(lossFn, params, { ...opts, seed: seed * 1000003 + state.count });
      const loss = lossFn(params);
      const r = zo.update(g, state, params, { loss });
      return { params: r.params, state: r.state, loss };
    },
  };
}
