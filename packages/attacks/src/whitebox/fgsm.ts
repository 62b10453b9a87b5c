import { random, sign, type Tensor } from '@difflab/tensor';
import { objectiveGrad, toKey } from '../core/grad.js';
import { prepare } from '../core/prepare.js';
import { clampBox, projectAdv, uniformSymmetric } from '../core/project.js';
import type { KeyLike, Labels, LossAttackOptions, Model } from '../core/types.js';
import { checkEps, checkNonNegative } from '../core/validate.js';

/**
 * Options of {@link fgsm}: the L-inf budget plus the shared loss, target and bounds options.
 *
 * @example
 * ```ts
 * import type { FgsmOptions } from '@difflab/attacks';
 * const opts: FgsmOptions = { eps: 8 / 255, bounds: [0, 1], loss: 'ce' };
 * ```
 */
export interface FgsmOptions extends LossAttackOptions {
  /** L-inf budget. */
  eps: number;
}

/**
 * Fast gradient sign method (Goodfellow et al. 2015): x + eps * sign(grad_x loss), clamped to the
 * bounds. With `targets` it steps down the loss of the targets instead.
 *
 * Equivalent to torchattacks' `FGSM`. Single step, deterministic.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - `eps` and the shared options.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 * @throws {ValueError} for a negative eps or inputs outside the bounds.
 * @throws {ShapeError} when `y` does not match the batch.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { fgsm } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]])); // logits [N, 2]
 * const adv = fgsm(model, tensor([[0.2, 0.6]]), [1], { eps: 0.1 }); // tensor([[0.3, 0.5]])
 * ```
 */
export function fgsm(model: Model, x: Tensor, y: Labels, opts: FgsmOptions): Tensor {
  const op = 'fgsm';
  const eps = checkEps(op, opts?.eps);
  const p = prepare(op, model, x, y, opts);
  const { grad } = objectiveGrad(op, model, x, p.y, opts.loss ?? 'ce', p.targets);
  return clampBox(x.add(sign(grad).mul(eps)), p.lo, p.hi);
}

/**
 * Options of {@link ffgsm}.
 *
 * @example
 * ```ts
 * import type { FfgsmOptions } from '@difflab/attacks';
 * const opts: FfgsmOptions = { eps: 8 / 255, alpha: 10 / 255, key: 0 };
 * ```
 */
export interface FfgsmOptions extends FgsmOptions {
  /** Step after the random start (default 1.25 eps, as in the paper). */
  alpha?: number;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * "Fast is better than free" FGSM (Wong et al. 2020): a uniform random start in the eps-ball, one
 * signed gradient step of size alpha, then projection back onto the ball and the bounds.
 *
 * Equivalent to torchattacks' `FFGSM`; the attack used in fast adversarial training.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - `eps`, `alpha`, `key` and the shared options.
 * @returns Adversarial inputs with the shape and dtype of `x`, within eps of `x` in L-inf.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { ffgsm } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = ffgsm(model, tensor([[0.2, 0.6]]), [1], { eps: 0.1, key: 0 }); // within 0.1 of x
 * ```
 */
export function ffgsm(model: Model, x: Tensor, y: Labels, opts: FfgsmOptions): Tensor {
  const op = 'ffgsm';
  const eps = checkEps(op, opts?.eps);
  const alpha = checkNonNegative(op, 'alpha', opts.alpha ?? 1.25 * eps);
  const p = prepare(op, model, x, y, opts);
  const dtype = x.dtype as 'float32' | 'float64';
  const start = eps > 0 ? clampBox(x.add(uniformSymmetric(toKey(op, opts.key), x.shape, eps, dtype)), p.lo, p.hi) : x;
  const { grad } = objectiveGrad(op, model, start, p.y, opts.loss ?? 'ce', p.targets);
  return projectAdv(start.add(sign(grad).mul(alpha)), x, eps, 'linf', p.lo, p.hi);
}

/**
 * Options of {@link rfgsm}.
 *
 * @example
 * ```ts
 * import type { RfgsmOptions } from '@difflab/attacks';
 * const opts: RfgsmOptions = { eps: 8 / 255, alpha: 4 / 255, key: 1 };
 * ```
 */
export interface RfgsmOptions extends FgsmOptions {
  /** Size of the random signed step taken first (default eps / 2); the gradient step is eps - alpha. */
  alpha?: number;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * R+FGSM (Tramer et al. 2018): x' = x + alpha * sign(N(0, I)), then x' + (eps - alpha) * sign(grad at x'),
 * clamped to the bounds; the two steps together stay inside the eps-ball.
 *
 * Equivalent to torchattacks' `RFGSM` (single step).
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - `eps`, `alpha`, `key` and the shared options.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { rfgsm } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = rfgsm(model, tensor([[0.2, 0.6]]), [1], { eps: 0.1, key: 0 });
 * ```
 */
export function rfgsm(model: Model, x: Tensor, y: Labels, opts: RfgsmOptions): Tensor {
  const op = 'rfgsm';
  const eps = checkEps(op, opts?.eps);
  const alpha = checkNonNegative(op, 'alpha', opts.alpha ?? eps / 2);
  if (alpha > eps) checkEps(op, eps - alpha, 'eps - alpha');
  const p = prepare(op, model, x, y, opts);
  const noise = sign(random.normal(toKey(op, opts.key), x.shape, { dtype: x.dtype as 'float32' | 'float64' }));
  const start = clampBox(x.add(noise.mul(alpha)), p.lo, p.hi);
  const { grad } = objectiveGrad(op, model, start, p.y, opts.loss ?? 'ce', p.targets);
  return projectAdv(start.add(sign(grad).mul(eps - alpha)), x, eps, 'linf', p.lo, p.hi);
}
