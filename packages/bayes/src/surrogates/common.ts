import { ValueError, add, div, fromTypedArray, mlp, mul, sub, type Tensor } from '@difflab/tensor';
import {
  applyInput,
  fitInputTransform,
  fitOutputTransform,
  toMatrix,
  toVector,
  type InputLike,
  type InputTransform,
  type OutputTransform,
  type TargetLike,
} from '../gp/data.js';

/**
 * Architecture options shared by the neural surrogates.
 *
 * @example
 * ```ts
 * import type { NetworkOptions } from '@difflab/bayes';
 * const arch: NetworkOptions = { hidden: [64, 64], activation: 'silu' };
 * ```
 */
export interface NetworkOptions {
  /** Hidden layer widths. Default [50, 50]. */
  hidden?: readonly number[];
  /** Hidden activation. Default 'tanh' (smooth, so acquisitions get useful input gradients). */
  activation?: 'tanh' | 'relu' | 'gelu' | 'silu' | 'sigmoid';
}

/** Training data scaled for neural surrogates: inputs to [0, 1] by their range, targets standardized. */
export interface ScaledData {
  X: Tensor;
  y: Tensor;
  n: number;
  d: number;
  inTf: InputTransform;
  outTf: OutputTransform;
}

export function scaleData(op: string, X: InputLike, y: TargetLike): ScaledData {
  const Xm = toMatrix(op, X);
  if (Xm.rows < 2) throw new ValueError(`${op}: needs at least two observations, got ${Xm.rows}`);
  const yv = toVector(op, y, Xm.rows);
  const inTf = fitInputTransform(op, Xm);
  const outTf = fitOutputTransform(yv);
  const Xn = applyInput(Xm, inTf);
  return {
    X: fromTypedArray(Xn.data, [Xm.rows, Xm.cols], { dtype: 'float64' }),
    y: fromTypedArray(
      yv.map((v) => (v - outTf.mean) / outTf.std),
      [Xm.rows],
      { dtype: 'float64' },
    ),
    n: Xm.rows,
    d: Xm.cols,
    inTf,
    outTf,
  };
}

/** Maps inputs `[..., m, d]` (tensor or rows) to the scaled space, differentiably. */
export function scaleInputs(op: string, X: InputLike, tf: InputTransform, d: number): Tensor {
  let t: Tensor;
  if (Array.isArray(X)) t = fromTypedArray(toMatrix(op, X, d).data, [X.length, d], { dtype: 'float64' });
  else {
    t = (X as Tensor).dtype === 'float64' ? (X as Tensor) : (X as Tensor).astype('float64');
    if (t.ndim < 2 || t.shape[t.ndim - 1] !== d)
      throw new ValueError(`${op}: inputs of shape [${t.shape.join(', ')}] need [..., m, ${d}]`);
  }
  return div(
    sub(t, fromTypedArray(tf.offset, [d], { dtype: 'float64' })),
    fromTypedArray(tf.scale, [d], { dtype: 'float64' }),
  );
}

export function unscale(mean: Tensor, variance: Tensor, tf: OutputTransform): { mean: Tensor; variance: Tensor } {
  return { mean: add(mul(mean, tf.std), tf.mean), variance: mul(variance, tf.std * tf.std) };
}

export function network(d: number, outputs: number, opts: NetworkOptions, seed: number) {
  const hidden = opts.hidden ?? [50, 50];
  return mlp([d, ...hidden, outputs], { activation: opts.activation ?? 'tanh', dtype: 'float64', key: seed });
}
