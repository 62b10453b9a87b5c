import { ValueError, abs, mean, sign, type Tensor } from '@difflab/tensor';
import { HostRng, objectiveGrad, toKey } from '../core/grad.js';
import { prepare } from '../core/prepare.js';
import { perExample, projectAdv, uniformSymmetric } from '../core/project.js';
import type { KeyLike, Labels, LossAttackOptions, LossSpec, Model } from '../core/types.js';
import { checkEps, checkInt, checkNonNegative, checkPositive, checkRange } from '../core/validate.js';
import { gaussianKernel, inputDiversity, requireImages, smoothChannels } from './input-transforms.js';

/**
 * Options of {@link mifgsm} and {@link nifgsm} (and the base of the other transfer attacks).
 *
 * @example
 * ```ts
 * import type { MomentumOptions } from '@difflab/attacks';
 * const opts: MomentumOptions = { eps: 8 / 255, steps: 10, decay: 1.0 };
 * ```
 */
export interface MomentumOptions extends LossAttackOptions {
  /** L-inf budget. */
  eps: number;
  /** Step size (default eps / steps). */
  alpha?: number;
  /** Iterations (default 10). */
  steps?: number;
  /** Momentum decay mu (default 1.0). */
  decay?: number;
  /** Randomness (input diversity, variance sampling; default seed 0). */
  key?: KeyLike;
}

/** Internal description of one member of the momentum (transfer) family. */
interface Variant {
  nesterov?: boolean;
  diversity?: { prob: number; resizeRate: number };
  kernel?: { len: number; nsig: number };
  variance?: { samples: number; beta: number };
}

/** g / mean(|g|) per example: the L1 normalisation of MI-FGSM. */
function l1Normalise(g: Tensor): Tensor {
  const m = mean(abs(g).reshape([g.shape[0]!, -1]), 1).add(1e-12);
  return g.div(perExample(m, g));
}

function momentumFamily(op: string, model: Model, x: Tensor, y: Labels, opts: MomentumOptions, v: Variant): Tensor {
  const eps = checkEps(op, opts?.eps);
  const steps = checkInt(op, 'steps', opts.steps ?? 10, 0);
  const alpha = checkNonNegative(op, 'alpha', opts.alpha ?? eps / Math.max(steps, 1));
  const decay = checkNonNegative(op, 'decay', opts.decay ?? 1);
  const loss: LossSpec = opts.loss ?? 'ce';
  if (v.diversity || v.kernel) requireImages(op, x);
  const p = prepare(op, model, x, y, opts);
  const rng = new HostRng(toKey(op, opts.key));
  const kernel = v.kernel ? gaussianKernel(v.kernel.len, v.kernel.nsig, x.dtype as 'float32' | 'float64') : null;
  const dtype = x.dtype as 'float32' | 'float64';

  const gradAt = (z: Tensor): Tensor => {
    const net = v.diversity
      ? (t: Tensor) => model(inputDiversity(t, rng, v.diversity!.prob, v.diversity!.resizeRate))
      : model;
    let g = objectiveGrad(op, net, z, p.y, loss, p.targets).grad;
    if (kernel) g = smoothChannels(g, kernel);
    return g;
  };

  let adv = x;
  let momentum = x.mul(0);
  let variance = x.mul(0);
  for (let s = 0; s < steps; s++) {
    const at = v.nesterov ? adv.add(momentum.mul(alpha * decay)) : adv;
    const g = gradAt(at);
    const step = l1Normalise(v.variance ? g.add(variance) : g).add(momentum.mul(decay));
    momentum = step;
    if (v.variance) {
      // Variance tuning: the mean gradient over a neighbourhood of radius beta * eps, minus the
      // gradient at the point itself, corrects the next step.
      const r = v.variance.beta * eps;
      let acc = x.mul(0);
      for (let i = 0; i < v.variance.samples; i++) {
        const noise = uniformSymmetric(rng.nextKey(), x.shape, r, dtype);
        acc = acc.add(gradAt(adv.add(noise)));
      }
      variance = acc.div(v.variance.samples).sub(g);
    }
    adv = projectAdv(adv.add(sign(step).mul(alpha)), x, eps, 'linf', p.lo, p.hi);
  }
  return adv;
}

/**
 * Momentum iterative FGSM (Dong et al. 2018): sign steps along an accumulated, L1-normalised gradient.
 *
 * Equivalent to torchattacks' `MIFGSM`; momentum makes the examples transfer better to other models.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link MomentumOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`, within eps in L-inf.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { mifgsm } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = mifgsm(model, tensor([[0.2, 0.6]]), [1], { eps: 0.1, steps: 5 }); // tensor([[0.3, 0.5]])
 * ```
 */
export function mifgsm(model: Model, x: Tensor, y: Labels, opts: MomentumOptions): Tensor {
  return momentumFamily('mifgsm', model, x, y, opts, {});
}

/**
 * Nesterov iterative FGSM (Lin et al. 2020): MI-FGSM with the gradient taken at the look-ahead point.
 *
 * Equivalent to torchattacks' `NIFGSM`.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link MomentumOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { nifgsm } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = nifgsm(model, tensor([[0.2, 0.6]]), [1], { eps: 0.1, steps: 5 });
 * ```
 */
export function nifgsm(model: Model, x: Tensor, y: Labels, opts: MomentumOptions): Tensor {
  return momentumFamily('nifgsm', model, x, y, opts, { nesterov: true });
}

/**
 * Options of {@link difgsm}: momentum options plus the random resize-and-pad.
 *
 * @example
 * ```ts
 * import type { DiversityOptions } from '@difflab/attacks';
 * const opts: DiversityOptions = { eps: 8 / 255, steps: 10, decay: 1, diversityProb: 0.7, resizeRate: 0.9 };
 * ```
 */
export interface DiversityOptions extends MomentumOptions {
  /** Probability of transforming the input at each step (default 0.5). */
  diversityProb?: number;
  /** Resize factor bound (default 0.9: shrink to [0.9, 1) of the size, pad back). */
  resizeRate?: number;
}

function diversity(op: string, opts: DiversityOptions) {
  return {
    prob: checkRange(op, 'diversityProb', opts?.diversityProb ?? 0.5, 0, 1),
    resizeRate: checkPositive(op, 'resizeRate', opts?.resizeRate ?? 0.9),
  };
}

/**
 * Diverse-inputs iterative FGSM (Xie et al. 2019) on images [N, C, H, W]: gradients through a random
 * resize-and-pad of the input. Momentum `decay` defaults to 0 here (DI-FGSM; set 1 for M-DI2-FGSM).
 *
 * Equivalent to torchattacks' `DIFGSM`.
 *
 * @param model - image classifier `(x [N, C, H, W]) => logits [N, K]`.
 * @param x - clean images `[N, C, H, W]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link DiversityOptions}.
 * @returns Adversarial images with the shape and dtype of `x`.
 * @throws {ShapeError} when `x` is not 4-D.
 *
 * @example
 * ```ts
 * import { concat, full, mean, type Tensor } from '@difflab/tensor';
 * import { difgsm } from '@difflab/attacks';
 * // Two-class "brightness" classifier on images [N, 1, 8, 8].
 * const model = (x: Tensor) => { const m = mean(x, [1, 2, 3], true).reshape([-1, 1]); return concat([m, m.neg()], 1); };
 * const x = full([1, 1, 8, 8], 0.5);
 * const adv = difgsm(model, x, [0], { eps: 0.1, steps: 3, key: 0 }); // 0.4 everywhere: every pixel darkened by eps
 * ```
 */
export function difgsm(model: Model, x: Tensor, y: Labels, opts: DiversityOptions): Tensor {
  return momentumFamily('difgsm', model, x, y, { decay: 0, ...opts }, { diversity: diversity('difgsm', opts) });
}

/**
 * Options of {@link tifgsm}: input diversity plus the Gaussian gradient smoothing.
 *
 * @example
 * ```ts
 * import type { TranslationOptions } from '@difflab/attacks';
 * const opts: TranslationOptions = { eps: 8 / 255, steps: 10, kernelSize: 15, nsig: 3 };
 * ```
 */
export interface TranslationOptions extends DiversityOptions {
  /** Odd side of the Gaussian smoothing kernel (default 7; the paper uses 15 on 299-pixel images). */
  kernelSize?: number;
  /** The kernel spans +-nsig standard deviations (default 3). */
  nsig?: number;
}

/**
 * Translation-invariant FGSM (Dong et al. 2019) on images: the gradient is smoothed per channel with
 * a Gaussian kernel before the step; combined with input diversity (prob 0.5) as in torchattacks.
 *
 * Equivalent to torchattacks' `TIFGSM`.
 *
 * @param model - image classifier `(x [N, C, H, W]) => logits [N, K]`.
 * @param x - clean images `[N, C, H, W]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link TranslationOptions}.
 * @returns Adversarial images with the shape and dtype of `x`.
 * @throws {ShapeError} when `x` is not 4-D.
 *
 * @example
 * ```ts
 * import { concat, full, mean, type Tensor } from '@difflab/tensor';
 * import { tifgsm } from '@difflab/attacks';
 * const model = (x: Tensor) => { const m = mean(x, [1, 2, 3], true).reshape([-1, 1]); return concat([m, m.neg()], 1); };
 * const adv = tifgsm(model, full([1, 1, 8, 8], 0.5), [0], { eps: 0.1, steps: 3, kernelSize: 3 });
 * ```
 */
export function tifgsm(model: Model, x: Tensor, y: Labels, opts: TranslationOptions): Tensor {
  const op = 'tifgsm';
  const len = checkInt(op, 'kernelSize', opts?.kernelSize ?? 7, 1);
  if (len % 2 === 0) throw new ValueError(`${op}: kernelSize must be odd (same-size smoothing), got ${len}`);
  const nsig = checkPositive(op, 'nsig', opts?.nsig ?? 3);
  return momentumFamily(
    op,
    model,
    x,
    y,
    { decay: 0, ...opts },
    { diversity: diversity(op, opts), kernel: { len, nsig } },
  );
}

/**
 * Options of {@link vmifgsm}: momentum options plus the neighbourhood sampling.
 *
 * @example
 * ```ts
 * import type { VarianceOptions } from '@difflab/attacks';
 * const opts: VarianceOptions = { eps: 8 / 255, steps: 10, samples: 20, beta: 1.5, key: 0 };
 * ```
 */
export interface VarianceOptions extends MomentumOptions {
  /** Neighbourhood samples per step (default 20). */
  samples?: number;
  /** Neighbourhood radius as a multiple of eps (default 1.5). */
  beta?: number;
}

/**
 * Variance-tuned MI-FGSM (Wang & He 2021).
 *
 * Each step adds to the gradient the previous step's variance term: the mean gradient over
 * `samples` uniform neighbours within beta·eps, minus the gradient at the iterate. Equivalent to torchattacks' `VMIFGSM`.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link VarianceOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { vmifgsm } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = vmifgsm(model, tensor([[0.2, 0.6]]), [1], { eps: 0.1, steps: 5, samples: 4 });
 * ```
 */
export function vmifgsm(model: Model, x: Tensor, y: Labels, opts: VarianceOptions): Tensor {
  const op = 'vmifgsm';
  return momentumFamily(op, model, x, y, opts, {
    variance: {
      samples: checkInt(op, 'samples', opts?.samples ?? 20, 1),
      beta: checkNonNegative(op, 'beta', opts?.beta ?? 1.5),
    },
  });
}
