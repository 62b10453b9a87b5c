import {
  ShapeError,
  ValueError,
  argmax,
  fmtShape,
  isTensor,
  oneHot,
  softmax,
  sum,
  valueAndGrad,
  type Tensor,
} from '@difflab/tensor';
import type { Labels, Model } from '../core/types.js';
import { checkLogits, toLabels } from '../core/validate.js';

/**
 * Options shared by every attribution method.
 *
 * @example
 * ```ts
 * import type { AttributionOptions } from '@difflab/attacks';
 * const opts: AttributionOptions = { output: 'probability' }; // explain softmax p_t instead of the logit
 * ```
 */
export interface AttributionOptions {
  /** Explain the class logit (default) or its softmax probability. */
  output?: 'logit' | 'probability';
}

/** Target classes: given, or the model's predictions at x. */
export function resolveTargets(op: string, model: Model, x: Tensor, target: Labels | undefined): Tensor {
  if (typeof model !== 'function') throw new ValueError(`${op}: model must be a function (x: Tensor) => logits Tensor`);
  if (!isTensor(x) || x.ndim < 2)
    throw new ShapeError(`${op}: x must be a batch [N, ...], got ${isTensor(x) ? fmtShape(x.shape) : typeof x}`);
  const n = x.shape[0]!;
  const logits = model(x);
  checkLogits(op, logits, n);
  if (target === undefined) return argmax(logits, 1);
  const t = toLabels(op, target, n, x.shape, 'target');
  checkLogits(op, logits, n, [t]);
  return t;
}

/** The explained scalar per example, f_t(x): the target logit or probability, [N]. */
export function targetOutput(model: Model, x: Tensor, target: Tensor, output: 'logit' | 'probability'): Tensor {
  const z = model(x);
  const v = output === 'probability' ? softmax(z, 1) : z;
  return sum(v.mul(oneHot(target, z.shape[1]!, z.dtype as 'float32' | 'float64')), 1);
}

/** Per-example gradient of f_t with respect to the input. */
export function targetGrad(model: Model, x: Tensor, target: Tensor, output: 'logit' | 'probability'): Tensor {
  return valueAndGrad((z: Tensor) => sum(targetOutput(model, z, target, output)))(x)[1] as Tensor;
}

export function checkOutput(op: string, output: unknown): 'logit' | 'probability' {
  const o = output ?? 'logit';
  if (o !== 'logit' && o !== 'probability')
    throw new ValueError(`${op}: output must be 'logit' or 'probability', got ${JSON.stringify(output)}`);
  return o;
}
