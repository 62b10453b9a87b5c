import {
  ValueError,
  argmax,
  full,
  isTensor,
  oneHot,
  random,
  sum,
  valueAndGrad,
  vjp,
  type Tensor,
} from '@difflab/tensor';
import { objective } from './objective.js';
import type { KeyLike, LossSpec, Model } from './types.js';

export interface ObjectiveGrad {
  /** Per-example objective `[N]` at x. */
  value: Tensor;
  /** Its gradient with respect to x (each example's own gradient: the objective is summed). */
  grad: Tensor;
  logits: Tensor;
}

/** Value and input-gradient of the per-example attack objective. */
export function objectiveGrad(
  op: string,
  model: Model,
  x: Tensor,
  labels: Tensor,
  loss: LossSpec,
  targets?: Tensor,
): ObjectiveGrad {
  const f = (xx: Tensor) => {
    const logits = model(xx);
    const v = objective(op, loss, logits, labels, targets);
    return [sum(v), { v, logits }];
  };
  const [[, aux], grad] = valueAndGrad(f, { hasAux: true })(x) as [[Tensor, { v: Tensor; logits: Tensor }], Tensor];
  return { value: aux.v, grad, logits: aux.logits };
}

/** The per-example objective and logits without a gradient. */
export function objectiveValue(
  op: string,
  model: Model,
  x: Tensor,
  labels: Tensor,
  loss: LossSpec,
  targets?: Tensor,
): { value: Tensor; logits: Tensor } {
  const logits = model(x);
  return { value: objective(op, loss, logits, labels, targets), logits };
}

/** Gradient of an arbitrary scalar function of the input. */
export function inputGrad(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  return valueAndGrad(f)(x)[1] as Tensor;
}

/** Host copy of the predicted classes. */
export function predict(logits: Tensor): Int32Array {
  return Int32Array.from(argmax(logits, 1).dataSync());
}

/**
 * Which rows count as adversarial: misclassified (untargeted) or classified as the target.
 */
export function successMask(logits: Tensor, labels: Tensor, targets?: Tensor): Uint8Array {
  const p = predict(logits);
  const ref = (targets ?? labels).dataSync();
  const out = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = targets ? +(p[i] === ref[i]) : +(p[i] !== ref[i]);
  return out;
}

/** Normalizes a key option (tensor or integer seed) to a key tensor. */
export function toKey(op: string, key: KeyLike | undefined, fallback = 0): Tensor {
  if (key === undefined) return random.key(fallback);
  if (typeof key === 'number') {
    if (!Number.isInteger(key))
      throw new ValueError(`${op}: key must be a random.key tensor or an integer seed, got ${key}`);
    return random.key(key);
  }
  if (!isTensor(key)) throw new ValueError(`${op}: key must be a random.key tensor or an integer seed`);
  return key;
}

/**
 * Host-side random numbers drawn from a key (each call consumes a fresh `foldIn` child), for the
 * per-example decisions that black-box and sparse attacks make on the host.
 */
export class HostRng {
  private counter = 0;
  constructor(private readonly key: Tensor) {}

  /** A fresh key tensor for tensor-level sampling. */
  nextKey(): Tensor {
    return random.foldIn(this.key, this.counter++);
  }

  uniform(n: number): Float64Array {
    if (n === 0) return new Float64Array(0);
    return Float64Array.from(random.uniform(this.nextKey(), [n], { dtype: 'float64' }).dataSync());
  }

  /** Standard normals by Box-Muller from uniform draws (cheaper than inverse-CDF sampling in bulk). */
  normal(n: number): Float64Array {
    const out = new Float64Array(n);
    const u = this.uniform(2 * Math.ceil(n / 2));
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log1p(-u[i]!));
      const t = 2 * Math.PI * u[i + 1]!;
      out[i] = r * Math.cos(t);
      if (i + 1 < n) out[i + 1] = r * Math.sin(t);
    }
    return out;
  }

  /** Integers in [0, hi). */
  ints(n: number, hi: number): Int32Array {
    const u = this.uniform(n);
    return Int32Array.from(u, (v) => Math.min(hi - 1, Math.floor(v * hi)));
  }
}

/**
 * Logits `[N, C]` and, for each listed class k, the input-gradient of z_k for every example (one
 * forward pass, one backward pass per class). Rows are independent, so each example gets its own
 * gradient.
 */
export function classGradients(
  model: Model,
  x: Tensor,
  classes: number[] | null = null,
): { logits: Tensor; grads: Tensor[] } {
  const [logits, pull] = vjp(model, x) as [Tensor, (c: unknown) => Tensor[]];
  const c = logits.shape[1]!;
  const list = classes ?? Array.from({ length: c }, (_, k) => k);
  const grads = list.map((k) => {
    const cot = oneHot(full([logits.shape[0]!], k, { dtype: 'int32' }), c, logits.dtype as 'float32' | 'float64');
    return pull(cot)[0]!;
  });
  return { logits, grads };
}

/** Input-gradient of sum_i <cot_i, z_i> for a per-row cotangent `[N, C]`. */
export function logitVjp(model: Model, x: Tensor, cotangents: Tensor[]): { logits: Tensor; grads: Tensor[] } {
  const [logits, pull] = vjp(model, x) as [Tensor, (c: unknown) => Tensor[]];
  return { logits, grads: cotangents.map((c) => pull(c)[0]!) };
}
