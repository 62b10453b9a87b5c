import { logicalAnd, logicalOr, random, where, type Tensor } from '@difflab/tensor';
import { objectiveGrad, objectiveValue, successMask, toKey } from '../core/grad.js';
import { prepare, selectRows } from '../core/prepare.js';
import { projectAdv, randomInBall, steepestDirection } from '../core/project.js';
import type { KeyLike, Labels, LossAttackOptions, LossSpec, LpNorm, Model } from '../core/types.js';
import { checkEps, checkInt, checkNonNegative, checkNorm, checkRange } from '../core/validate.js';

/**
 * Options of {@link pgd}: budget, step size, iterations, threat model, random start and restarts.
 *
 * @example
 * ```ts
 * import type { PgdOptions } from '@difflab/attacks';
 * const opts: PgdOptions = { eps: 0.5, alpha: 0.1, steps: 20, norm: 'l2', randomStart: true, restarts: 2, key: 0 };
 * ```
 */
export interface PgdOptions extends LossAttackOptions {
  /** Radius of the threat model's ball. */
  eps: number;
  /** Step size (default 2.5 eps / steps, Madry et al.'s choice). */
  alpha?: number;
  /** Iterations (default 10). */
  steps?: number;
  /** Threat model (default 'linf'). */
  norm?: LpNorm;
  /** Start from a uniform point of the ball (default true). */
  randomStart?: boolean;
  /** Independent runs (default 1); per example the first successful one, else the highest loss, is kept. */
  restarts?: number;
  /** Randomness of the starts (default seed 0). */
  key?: KeyLike;
  /** L1 only: fraction of coordinates a step spreads over (default 0.05, at least one). */
  l1Sparsity?: number;
}

interface Resolved {
  eps: number;
  alpha: number;
  steps: number;
  norm: LpNorm;
  randomStart: boolean;
  restarts: number;
  key: Tensor;
  loss: LossSpec;
  sparsity: number;
}

function resolve(op: string, opts: PgdOptions, randomStartDefault: boolean): Resolved {
  const eps = checkEps(op, opts?.eps);
  const steps = checkInt(op, 'steps', opts.steps ?? 10, 0);
  const norm = checkNorm(op, opts.norm ?? 'linf', ['linf', 'l2', 'l1'] as const);
  return {
    eps,
    steps,
    norm,
    alpha: checkNonNegative(op, 'alpha', opts.alpha ?? (2.5 * eps) / Math.max(steps, 1)),
    randomStart: opts.randomStart ?? randomStartDefault,
    restarts: checkInt(op, 'restarts', opts.restarts ?? 1, 1),
    key: toKey(op, opts.key),
    loss: opts.loss ?? 'ce',
    sparsity: checkRange(op, 'l1Sparsity', opts.l1Sparsity ?? 0.05, 0, 1),
  };
}

/**
 * For L1 steps, coordinates already at a bound whose gradient points outside cannot move; they are
 * dropped before choosing the sparse step (otherwise the whole step can be wasted on them).
 */
function l1Usable(grad: Tensor, adv: Tensor, lo: number, hi: number): Tensor {
  const stuck = logicalOr(
    logicalAnd(adv.lessEqual(lo), grad.less(0)),
    logicalAnd(adv.greaterEqual(hi), grad.greater(0)),
  );
  return where(stuck, 0, grad);
}

/** One PGD run from `start`; returns the last iterate. */
export function pgdRun(
  op: string,
  model: Model,
  x: Tensor,
  start: Tensor,
  y: Tensor,
  targets: Tensor | undefined,
  r: Pick<Resolved, 'eps' | 'alpha' | 'steps' | 'norm' | 'loss' | 'sparsity'>,
  lo: number,
  hi: number,
): Tensor {
  let adv = start;
  for (let s = 0; s < r.steps; s++) {
    let { grad } = objectiveGrad(op, model, adv, y, r.loss, targets);
    if (r.norm === 'l1') grad = l1Usable(grad, adv, lo, hi);
    adv = projectAdv(adv.add(steepestDirection(grad, r.norm, r.sparsity).mul(r.alpha)), x, r.eps, r.norm, lo, hi);
  }
  return adv;
}

function runWithRestarts(
  op: string,
  model: Model,
  x: Tensor,
  y: Labels,
  opts: PgdOptions,
  randomStartDefault: boolean,
): Tensor {
  const r = resolve(op, opts, randomStartDefault);
  const p = prepare(op, model, x, y, opts);
  const dtype = x.dtype as 'float32' | 'float64';
  let best: Tensor | null = null;
  let bestValue: Float64Array | null = null;
  let bestSuccess: Uint8Array | null = null;
  for (let k = 0; k < r.restarts; k++) {
    const start =
      r.randomStart && r.eps > 0
        ? projectAdv(
            x.add(randomInBall(random.foldIn(r.key, k), x.shape, r.eps, r.norm, dtype)),
            x,
            r.eps,
            r.norm,
            p.lo,
            p.hi,
          )
        : x;
    const adv = pgdRun(op, model, x, start, p.y, p.targets, r, p.lo, p.hi);
    if (r.restarts === 1) return adv;
    const { value, logits } = objectiveValue(op, model, adv, p.y, r.loss, p.targets);
    const v = Float64Array.from(value.dataSync());
    const ok = successMask(logits, p.y, p.targets);
    if (!best) {
      [best, bestValue, bestSuccess] = [adv, v, ok];
      continue;
    }
    const take = new Uint8Array(p.n);
    for (let i = 0; i < p.n; i++) take[i] = +(!bestSuccess![i] && (ok[i] || v[i]! > bestValue![i]!));
    best = selectRows(take, adv, best);
    for (let i = 0; i < p.n; i++)
      if (take[i]) {
        bestValue![i] = v[i]!;
        bestSuccess![i] = ok[i]!;
      }
  }
  return best!;
}

/**
 * Projected gradient descent (Madry et al. 2018) in the L-inf, L2 or L1 ball: steepest-ascent steps
 * of size alpha on the loss (sign / normalised gradient / sparse top-coordinate step), each followed
 * by projection onto the ball and the bounds. Random start on by default; `restarts` repeats it.
 * With `randomStart: false` the L-inf and L2 iterates equal torchattacks' PGD / PGDL2.
 *
 * Equivalent to torchattacks' `PGD` / `PGDL2`; the L1 variant takes sparse steps like Foolbox's
 * `SparseL1DescentAttack`.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link PgdOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`, inside the eps-ball and the bounds.
 * @throws {ValueError} for invalid eps/alpha/steps or inputs outside the bounds.
 * @throws {ShapeError} when `y` or `targets` does not match the batch.
 *
 * @example
 * ```ts
 * import { tensor, matmul, argmax, type Tensor } from '@difflab/tensor';
 * import { pgd } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]])); // logits [N, 2]
 * const x = tensor([[0.45, 0.55]]);
 * const adv = pgd(model, x, [1], { eps: 0.1, alpha: 0.025, steps: 10, norm: 'linf', key: 0 });
 * argmax(model(adv), 1); // tensor([0]): the label flipped
 * ```
 */
export function pgd(model: Model, x: Tensor, y: Labels, opts: PgdOptions): Tensor {
  return runWithRestarts('pgd', model, x, y, opts, true);
}

/**
 * Options of {@link bim}: {@link PgdOptions} without the random start, restarts and key.
 *
 * @example
 * ```ts
 * import type { BimOptions } from '@difflab/attacks';
 * const opts: BimOptions = { eps: 8 / 255, steps: 10 }; // alpha defaults to eps / steps
 * ```
 */
export type BimOptions = Omit<PgdOptions, 'randomStart' | 'restarts' | 'key'>;

/**
 * Basic iterative method / I-FGSM (Kurakin et al. 2017): PGD from x itself (no random start).
 * Default step eps / steps, so the last step can just reach the ball's surface.
 *
 * Equivalent to torchattacks' `BIM`.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link BimOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { bim } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = bim(model, tensor([[0.2, 0.6]]), [1], { eps: 0.1, steps: 4 }); // tensor([[0.3, 0.5]])
 * ```
 */
export function bim(model: Model, x: Tensor, y: Labels, opts: BimOptions): Tensor {
  const steps = opts?.steps ?? 10;
  return runWithRestarts(
    'bim',
    model,
    x,
    y,
    { alpha: (opts?.eps ?? 0) / Math.max(steps, 1), ...opts, randomStart: false },
    false,
  );
}
