import { random, type Tensor } from '@difflab/tensor';
import { objectiveGrad, toKey } from '../core/grad.js';
import { prepare } from '../core/prepare.js';
import { projectAdv, randomInBall, steepestDirection } from '../core/project.js';
import type { Labels, Model } from '../core/types.js';
import { checkEps, checkInt, checkNonNegative, checkNorm } from '../core/validate.js';
import type { PgdOptions } from './pgd.js';

/**
 * Options of {@link eotPgd}: PGD's options (L-inf or L2, no restarts) plus the transformation
 * averaged over.
 *
 * @example
 * ```ts
 * import { random, type Tensor } from '@difflab/tensor';
 * import type { EotPgdOptions } from '@difflab/attacks';
 * const opts: EotPgdOptions = {
 *   eps: 8 / 255,
 *   steps: 10,
 *   eotSamples: 8,
 *   transform: (x: Tensor, key: Tensor) => x.add(random.uniform(key, x.shape, { minval: -0.05, maxval: 0.05 })),
 * };
 * ```
 */
export interface EotPgdOptions extends Omit<PgdOptions, 'restarts' | 'l1Sparsity' | 'norm'> {
  /** Threat model (default 'linf'). */
  norm?: 'linf' | 'l2';
  /** Samples of the transformation averaged per gradient (default 10). */
  eotSamples?: number;
  /**
   * The randomness the defence applies before the classifier, `(x, key) => x'` (default: additive
   * Gaussian noise of std `sigma`). The attack differentiates through it.
   */
  transform?: (x: Tensor, key: Tensor) => Tensor;
  /** Std of the default Gaussian-noise transform (default eps / 2). */
  sigma?: number;
}

/**
 * PGD with expectation over transformation (Athalye et al. 2018): every step uses the mean gradient
 * of the loss over `eotSamples` random transformations of the current iterate, the standard way to
 * attack randomized defences.
 *
 * Equivalent to torchattacks' `EOTPGD` when `transform` is the defence's own randomness.
 *
 * @param model - classifier `(x) => logits [N, C]` (deterministic; the randomness goes in `transform`).
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link EotPgdOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { eotPgd } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * // Against a defence that adds Gaussian noise of std 0.05 (the default transform with sigma).
 * const adv = eotPgd(model, tensor([[0.45, 0.55]]), [1], { eps: 0.1, steps: 5, eotSamples: 4, sigma: 0.05 });
 * ```
 */
export function eotPgd(model: Model, x: Tensor, y: Labels, opts: EotPgdOptions): Tensor {
  const op = 'eotPgd';
  const eps = checkEps(op, opts?.eps);
  const steps = checkInt(op, 'steps', opts.steps ?? 10, 0);
  const alpha = checkNonNegative(op, 'alpha', opts.alpha ?? (2.5 * eps) / Math.max(steps, 1));
  const norm = checkNorm(op, opts.norm ?? 'linf', ['linf', 'l2'] as const);
  const samples = checkInt(op, 'eotSamples', opts.eotSamples ?? 10, 1);
  const sigma = checkNonNegative(op, 'sigma', opts.sigma ?? eps / 2);
  const p = prepare(op, model, x, y, opts);
  const key = toKey(op, opts.key);
  const dtype = x.dtype as 'float32' | 'float64';
  const transform =
    opts.transform ??
    ((z: Tensor, k: Tensor) => (sigma > 0 ? z.add(random.normal(k, z.shape, { std: sigma, dtype })) : z));
  let adv =
    (opts.randomStart ?? true) && eps > 0
      ? projectAdv(x.add(randomInBall(random.foldIn(key, 0), x.shape, eps, norm, dtype)), x, eps, norm, p.lo, p.hi)
      : x;
  let draw = 1;
  for (let s = 0; s < steps; s++) {
    let g = x.mul(0);
    for (let e = 0; e < samples; e++) {
      const k = random.foldIn(key, draw++);
      g = g.add(objectiveGrad(op, (z) => model(transform(z, k)), adv, p.y, opts.loss ?? 'ce', p.targets).grad);
    }
    adv = projectAdv(adv.add(steepestDirection(g.div(samples), norm).mul(alpha)), x, eps, norm, p.lo, p.hi);
  }
  return adv;
}
