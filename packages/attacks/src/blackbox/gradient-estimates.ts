import { adam } from '@difflab/optim';
import { broadcastTo, random, sign, sum, type Tensor } from '@difflab/tensor';
import { successMask, toKey } from '../core/grad.js';
import { objective } from '../core/objective.js';
import { prepare, selectRows } from '../core/prepare.js';
import { perExample, lpNorm, projectAdv, randomInBall } from '../core/project.js';
import type { KeyLike, Labels, LossAttackOptions, LossSpec, Model } from '../core/types.js';
import { checkEps, checkInt, checkNonNegative, checkNorm, checkPositive } from '../core/validate.js';

/**
 * Two-sided finite-difference estimate of the objective's input gradient along `samples` random
 * directions u: mean over u of (J(x + s u) - J(x - s u)) / (2 s) * u, all queries in one batch.
 */
function estimate(
  model: Model,
  x: Tensor,
  y: Tensor,
  targets: Tensor | undefined,
  loss: LossSpec,
  u: Tensor,
  s: number,
  op: string,
): Tensor {
  const k = u.shape[0]!;
  const n = x.shape[0]!;
  const flat = [k * n, ...x.shape.slice(1)];
  const xs = broadcastTo(x.expandDims(0), u.shape);
  const both = xs.add(u.mul(s)).reshape(flat);
  const minus = xs.sub(u.mul(s)).reshape(flat);
  const rep = (t: Tensor) => broadcastTo(t.expandDims(0), [k, n]).reshape([k * n]);
  const yy = rep(y);
  const tt = targets && rep(targets);
  const jp = objective(op, loss, model(both), yy, tt).reshape([k, n]);
  const jm = objective(op, loss, model(minus), yy, tt).reshape([k, n]);
  const diff = jp
    .sub(jm)
    .div(2 * s)
    .reshape([k, n, ...x.shape.slice(1).map(() => 1)]);
  return sum(diff.mul(u), 0).div(k);
}

/**
 * Options of {@link spsa}.
 *
 * @example
 * ```ts
 * import type { SpsaOptions } from '@difflab/attacks';
 * const opts: SpsaOptions = { eps: 8 / 255, steps: 100, lr: 0.01, delta: 0.01, samples: 32, key: 0 };
 * ```
 */
export interface SpsaOptions extends LossAttackOptions {
  /** L-inf budget. */
  eps: number;
  /** Iterations (default 100). */
  steps?: number;
  /** Adam learning rate on the perturbation (default 0.01). */
  lr?: number;
  /** Finite-difference step (default 0.01). */
  delta?: number;
  /** Rademacher directions per iteration (default 32; 2 queries each). */
  samples?: number;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * SPSA (Uesato et al. 2018): a gradient-free L-inf attack. Each iteration estimates the gradient of
 * the margin loss from queries along Rademacher directions and takes an Adam step (from
 * @difflab/optim) on the perturbation, projected onto the ball and the box. Examples keep their
 * first successful iterate.
 *
 * The attack of CleverHans' / torchattacks' `SPSA`; useful against models whose gradients are masked.
 *
 * @param model - classifier `(x) => logits [N, C]` (only queried, never differentiated).
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link SpsaOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`, within eps in L-inf.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { spsa } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = spsa(model, tensor([[0.45, 0.55]]), [1], { eps: 0.1, steps: 20, lr: 0.02, samples: 8 });
 * ```
 */
export function spsa(model: Model, x: Tensor, y: Labels, opts: SpsaOptions): Tensor {
  const op = 'spsa';
  const eps = checkEps(op, opts?.eps);
  const steps = checkInt(op, 'steps', opts.steps ?? 100, 0);
  const lr = checkPositive(op, 'lr', opts.lr ?? 0.01);
  const delta = checkPositive(op, 'delta', opts.delta ?? 0.01);
  const samples = checkInt(op, 'samples', opts.samples ?? 32, 1);
  const p = prepare(op, model, x, y, opts);
  const key = toKey(op, opts.key);
  const loss: LossSpec = opts.loss ?? 'margin';
  const dtype = x.dtype as 'float32' | 'float64';
  const opt = adam({ lr });
  let adv = x;
  let state = opt.init(adv);
  const done = successMask(p.clean, p.y, p.targets);
  for (let t = 0; t < steps && !done.every(Boolean); t++) {
    const u = sign(random.uniform(random.foldIn(key, t), [samples, ...x.shape], { minval: -1, maxval: 1, dtype }));
    const g = estimate(model, adv, p.y, p.targets, loss, u, delta, op);
    let next: Tensor;
    ({ params: next, state } = opt.update(g.neg(), state, adv) as { params: Tensor; state: typeof state });
    next = projectAdv(next, x, eps, 'linf', p.lo, p.hi);
    adv = selectRows(done, adv, next);
    const ok = successMask(model(adv), p.y, p.targets);
    for (let i = 0; i < p.n; i++) done[i] = done[i]! | ok[i]!;
  }
  return adv;
}

/**
 * Options of {@link nes}.
 *
 * @example
 * ```ts
 * import type { NesOptions } from '@difflab/attacks';
 * const opts: NesOptions = { eps: 0.05, norm: 'linf', steps: 50, samples: 25, sigma: 0.001, key: 0 };
 * ```
 */
export interface NesOptions extends LossAttackOptions {
  /** Radius of the ball. */
  eps: number;
  /** 'linf' (default) or 'l2'. */
  norm?: 'linf' | 'l2';
  /** Step size (default 2.5 eps / steps). */
  alpha?: number;
  /** Iterations (default 50). */
  steps?: number;
  /** Antithetic Gaussian pairs per estimate (default 25; 2 queries each). */
  samples?: number;
  /** Smoothing scale of the estimate (default 0.001). */
  sigma?: number;
  /** Start from a random point of the ball (default false). */
  randomStart?: boolean;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * NES attack (Ilyas et al. 2018): PGD driven by a natural-evolution-strategies gradient estimate
 * with antithetic Gaussian samples (score-based, query-limited threat model).
 *
 * Each estimate costs 2·`samples` queries.
 *
 * @param model - classifier `(x) => logits [N, C]` (only queried, never differentiated).
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link NesOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { nes } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = nes(model, tensor([[0.45, 0.55]]), [1], { eps: 0.1, steps: 10, samples: 10, sigma: 0.01 });
 * ```
 */
export function nes(model: Model, x: Tensor, y: Labels, opts: NesOptions): Tensor {
  const op = 'nes';
  const eps = checkEps(op, opts?.eps);
  const norm = checkNorm(op, opts.norm ?? 'linf', ['linf', 'l2'] as const);
  const steps = checkInt(op, 'steps', opts.steps ?? 50, 0);
  const alpha = checkNonNegative(op, 'alpha', opts.alpha ?? (2.5 * eps) / Math.max(steps, 1));
  const samples = checkInt(op, 'samples', opts.samples ?? 25, 1);
  const sigma = checkPositive(op, 'sigma', opts.sigma ?? 0.001);
  const p = prepare(op, model, x, y, opts);
  const key = toKey(op, opts.key);
  const dtype = x.dtype as 'float32' | 'float64';
  let adv =
    opts.randomStart && eps > 0
      ? projectAdv(
          x.add(randomInBall(random.foldIn(key, 1 << 30), x.shape, eps, norm, dtype)),
          x,
          eps,
          norm,
          p.lo,
          p.hi,
        )
      : x;
  for (let t = 0; t < steps; t++) {
    const u = random.normal(random.foldIn(key, t), [samples, ...x.shape], { dtype });
    const g = estimate(model, adv, p.y, p.targets, opts.loss ?? 'ce', u, sigma, op);
    const dir = norm === 'linf' ? sign(g) : g.div(perExample(lpNorm(g, 'l2').add(1e-12), g));
    adv = projectAdv(adv.add(dir.mul(alpha)), x, eps, norm, p.lo, p.hi);
  }
  return adv;
}
