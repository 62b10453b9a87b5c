import { abs, random, type Tensor } from '@difflab/tensor';
import { toKey } from '../core/grad.js';
import type { KeyLike, Labels, Model } from '../core/types.js';
import { checkInt, checkNonNegative } from '../core/validate.js';
import { checkOutput, resolveTargets, targetGrad, type AttributionOptions } from './common.js';

export interface SaliencyOptions extends AttributionOptions {
  /** Return |gradient| (default true, Simonyan et al.) or the signed gradient. */
  abs?: boolean;
}

/** Vanilla gradient saliency (Simonyan et al. 2014): d f_t / d x, by default in absolute value. */
export function saliency(model: Model, x: Tensor, target?: Labels, opts: SaliencyOptions = {}): Tensor {
  const op = 'saliency';
  const t = resolveTargets(op, model, x, target);
  const g = targetGrad(model, x, t, checkOutput(op, opts.output));
  return opts.abs === false ? g : abs(g);
}

/** Gradient x input (Shrikumar et al. 2016): x * d f_t / d x. */
export function gradientXInput(model: Model, x: Tensor, target?: Labels, opts: AttributionOptions = {}): Tensor {
  const op = 'gradientXInput';
  const t = resolveTargets(op, model, x, target);
  return x.mul(targetGrad(model, x, t, checkOutput(op, opts.output)));
}

export interface SmoothGradOptions extends AttributionOptions {
  /** Noisy copies averaged (default 50). */
  samples?: number;
  /** Std of the Gaussian noise (default 0.15, i.e. 15% of a [0, 1] input range). */
  sigma?: number;
  /** Average squared gradients (SmoothGrad-Squared) instead of gradients. */
  squared?: boolean;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/** SmoothGrad (Smilkov et al. 2017): the mean gradient of f_t over x + N(0, sigma^2 I). */
export function smoothGrad(model: Model, x: Tensor, target?: Labels, opts: SmoothGradOptions = {}): Tensor {
  const op = 'smoothGrad';
  const samples = checkInt(op, 'samples', opts.samples ?? 50, 1);
  const sigma = checkNonNegative(op, 'sigma', opts.sigma ?? 0.15);
  const t = resolveTargets(op, model, x, target);
  const output = checkOutput(op, opts.output);
  const key = toKey(op, opts.key);
  const dtype = x.dtype as 'float32' | 'float64';
  let acc = x.mul(0);
  for (let s = 0; s < samples; s++) {
    const noisy = sigma > 0 ? x.add(random.normal(random.foldIn(key, s), x.shape, { std: sigma, dtype })) : x;
    const g = targetGrad(model, noisy, t, output);
    acc = acc.add(opts.squared ? g.mul(g) : g);
  }
  return acc.div(samples);
}
