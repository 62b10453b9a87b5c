import { ValueError, abs, mean, sign, type Tensor } from '@difflab/tensor';
import { HostRng, objectiveGrad, toKey } from '../core/grad.js';
import { prepare } from '../core/prepare.js';
import { perExample, projectAdv, uniformSymmetric } from '../core/project.js';
import type { KeyLike, Labels, LossAttackOptions, LossSpec, Model } from '../core/types.js';
import { checkEps, checkInt, checkNonNegative, checkPositive, checkRange } from '../core/validate.js';
import { gaussianKernel, inputDiversity, requireImages, smoothChannels } from './input-transforms.js';

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

/** Momentum iterative FGSM (Dong et al. 2018): sign steps along an accumulated, L1-normalised gradient. */
export function mifgsm(model: Model, x: Tensor, y: Labels, opts: MomentumOptions): Tensor {
  return momentumFamily('mifgsm', model, x, y, opts, {});
}

/** Nesterov iterative FGSM (Lin et al. 2020): MI-FGSM with the gradient taken at the look-ahead point. */
export function nifgsm(model: Model, x: Tensor, y: Labels, opts: MomentumOptions): Tensor {
  return momentumFamily('nifgsm', model, x, y, opts, { nesterov: true });
}

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
 */
export function difgsm(model: Model, x: Tensor, y: Labels, opts: DiversityOptions): Tensor {
  return momentumFamily('difgsm', model, x, y, { decay: 0, ...opts }, { diversity: diversity('difgsm', opts) });
}

export interface TranslationOptions extends DiversityOptions {
  /** Odd side of the Gaussian smoothing kernel (default 7; the paper uses 15 on 299-pixel images). */
  kernelSize?: number;
  /** The kernel spans +-nsig standard deviations (default 3). */
  nsig?: number;
}

/**
 * Translation-invariant FGSM (Dong et al. 2019) on images: the gradient is smoothed per channel with
 * a Gaussian kernel before the step; combined with input diversity (prob 0.5) as in torchattacks.
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

export interface VarianceOptions extends MomentumOptions {
  /** Neighbourhood samples per step (default 20). */
  samples?: number;
  /** Neighbourhood radius as a multiple of eps (default 1.5). */
  beta?: number;
}

/** Variance-tuned MI-FGSM (Wang & He 2021). */
export function vmifgsm(model: Model, x: Tensor, y: Labels, opts: VarianceOptions): Tensor {
  const op = 'vmifgsm';
  return momentumFamily(op, model, x, y, opts, {
    variance: {
      samples: checkInt(op, 'samples', opts?.samples ?? 20, 1),
      beta: checkNonNegative(op, 'beta', opts?.beta ?? 1.5),
    },
  });
}
