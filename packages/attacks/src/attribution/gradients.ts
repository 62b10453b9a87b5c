import { abs, random, type Tensor } from '@difflab/tensor';
import { toKey } from '../core/grad.js';
import type { KeyLike, Labels, Model } from '../core/types.js';
import { checkInt, checkNonNegative } from '../core/validate.js';
import { checkOutput, resolveTargets, targetGrad, type AttributionOptions } from './common.js';

/**
 * Options of {@link saliency}.
 *
 * @example
 * ```ts
 * import type { SaliencyOptions } from '@difflab/attacks';
 * const opts: SaliencyOptions = { abs: false, output: 'logit' };
 * ```
 */
export interface SaliencyOptions extends AttributionOptions {
  /** Return |gradient| (default true, Simonyan et al.) or the signed gradient. */
  abs?: boolean;
}

/**
 * Vanilla gradient saliency (Simonyan et al. 2014): d f_t / d x, by default in absolute value.
 *
 * Captum's `Saliency`.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - inputs `[N, ...]`.
 * @param target - classes to explain (default: the model's predictions).
 * @param opts - see {@link SaliencyOptions}.
 * @returns Attributions with the shape of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { saliency } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * saliency(model, tensor([[0.2, 0.6]]), [1]); // tensor([[1, 1]])
 * saliency(model, tensor([[0.2, 0.6]]), [1], { abs: false }); // tensor([[-1, 1]])
 * ```
 */
export function saliency(model: Model, x: Tensor, target?: Labels, opts: SaliencyOptions = {}): Tensor {
  const op = 'saliency';
  const t = resolveTargets(op, model, x, target);
  const g = targetGrad(model, x, t, checkOutput(op, opts.output));
  return opts.abs === false ? g : abs(g);
}

/**
 * Gradient x input (Shrikumar et al. 2016): x * d f_t / d x.
 *
 * Captum's `InputXGradient`.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - inputs `[N, ...]`.
 * @param target - classes to explain (default: the model's predictions).
 * @param opts - see {@link AttributionOptions}.
 * @returns Attributions with the shape of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { gradientXInput } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * gradientXInput(model, tensor([[0.2, 0.6]]), [1]); // tensor([[-0.2, 0.6]])
 * ```
 */
export function gradientXInput(model: Model, x: Tensor, target?: Labels, opts: AttributionOptions = {}): Tensor {
  const op = 'gradientXInput';
  const t = resolveTargets(op, model, x, target);
  return x.mul(targetGrad(model, x, t, checkOutput(op, opts.output)));
}

/**
 * Options of {@link smoothGrad}.
 *
 * @example
 * ```ts
 * import type { SmoothGradOptions } from '@difflab/attacks';
 * const opts: SmoothGradOptions = { samples: 50, sigma: 0.15, squared: false, key: 0 };
 * ```
 */
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

/**
 * SmoothGrad (Smilkov et al. 2017): the mean gradient of f_t over x + N(0, sigma^2 I).
 *
 * Captum's `NoiseTunnel(Saliency)` with `nt_type='smoothgrad'` (or `'smoothgrad_sq'` with `squared`).
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - inputs `[N, ...]`.
 * @param target - classes to explain (default: the model's predictions at x).
 * @param opts - see {@link SmoothGradOptions}.
 * @returns Attributions with the shape of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { smoothGrad } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * smoothGrad(model, tensor([[0.2, 0.6]]), [1], { samples: 8 }); // tensor([[-1, 1]]): a linear model's gradient
 * ```
 */
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
