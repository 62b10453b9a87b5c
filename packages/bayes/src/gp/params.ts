import { add, exp, fromTypedArray, mul, sigmoid, type Tensor } from '@difflab/tensor';
import type { Rng } from '@difflab/optim';
import type { HyperSpecs, HyperValues } from '../kernels/hyper.js';
import type { HyperTensors } from '../kernels/kernel.js';

/**
 * Maps hyperparameters to an unconstrained vector z for the optimizer: each free entry is
 * `log v = log lo + (log hi − log lo)·sigmoid(z)`, so any z gives a value strictly inside the
 * bounds and the fit never needs a bound-constrained optimizer (scikit-learn optimizes the same
 * log-values with L-BFGS-B inside the same box).
 *
 * The layout argument of {@link negativeMll}.
 *
 * @example
 * ```ts
 * import { rbf, type ParamLayout } from '@difflab/bayes';
 * const specs = rbf().hypers(1); // lengthscale and variance, both free
 * const layout: ParamLayout = { names: ['lengthscale', 'variance'], specs, offsets: [0, 1], size: 2 };
 * ```
 */
export interface ParamLayout {
  /** Hyperparameter names, sorted. */
  names: string[];
  /** The resolved specs, keyed by name. */
  specs: HyperSpecs;
  /** Offsets of each free spec in z (-1 for fixed). */
  offsets: number[];
  /** Length of z. */
  size: number;
}

export function layoutOf(specs: HyperSpecs): ParamLayout {
  const names = Object.keys(specs).sort();
  const offsets: number[] = [];
  let size = 0;
  for (const name of names) {
    const s = specs[name]!;
    if (s.fixed || s.bounds[0] === s.bounds[1]) offsets.push(-1);
    else {
      offsets.push(size);
      size += s.value.length;
    }
  }
  return { names, specs, offsets, size };
}

const logit = (p: number) => Math.log(p / (1 - p));

/** z for given values (clipped a hair inside the bounds so z stays finite). */
export function toUnconstrained(layout: ParamLayout, values: Record<string, ArrayLike<number>>): Float64Array {
  const z = new Float64Array(layout.size);
  layout.names.forEach((name, i) => {
    const off = layout.offsets[i]!;
    if (off < 0) return;
    const s = layout.specs[name]!;
    const la = Math.log(s.bounds[0]);
    const lb = Math.log(s.bounds[1]);
    const v = values[name]!;
    for (let j = 0; j < s.value.length; j++) {
      const t = (Math.log(v[j]!) - la) / (lb - la);
      z[off + j] = logit(Math.min(1 - 1e-12, Math.max(1e-12, t)));
    }
  });
  return z;
}

/** Positive hyperparameter tensors from z (differentiable in z). */
export function toConstrained(layout: ParamLayout, z: Tensor): HyperTensors {
  const out: HyperTensors = {};
  layout.names.forEach((name, i) => {
    const s = layout.specs[name]!;
    const off = layout.offsets[i]!;
    if (off < 0) {
      out[name] = fromTypedArray(Float64Array.from(s.value), [s.value.length], { dtype: 'float64' });
      return;
    }
    const la = Math.log(s.bounds[0]);
    const lb = Math.log(s.bounds[1]);
    const zi = z.slice(`${off}:${off + s.value.length}`);
    out[name] = exp(add(mul(sigmoid(zi), lb - la), la));
  });
  return out;
}

export function valuesOf(h: HyperTensors): HyperValues {
  const out: HyperValues = {};
  for (const [k, v] of Object.entries(h)) out[k] = Array.from(v.dataSync());
  return out;
}

export function tensorsOf(values: Record<string, ArrayLike<number>>): HyperTensors {
  const out: HyperTensors = {};
  for (const [k, v] of Object.entries(values))
    out[k] = fromTypedArray(Float64Array.from(v), [v.length], { dtype: 'float64' });
  return out;
}

/** Random restart point: a prior draw when a prior is set, else log-uniform within [v/100, 100 v] ∩ bounds. */
export function randomStart(layout: ParamLayout, rng: Rng): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const name of layout.names) {
    const s = layout.specs[name]!;
    const v = Float64Array.from(s.value);
    if (!(s.fixed || s.bounds[0] === s.bounds[1])) {
      for (let j = 0; j < v.length; j++) {
        if (s.prior) v[j] = Math.min(s.bounds[1], Math.max(s.bounds[0], s.prior.sample(rng)));
        else {
          const lo = Math.log(Math.max(s.bounds[0], s.value[j]! / 100));
          const hi = Math.log(Math.min(s.bounds[1], s.value[j]! * 100));
          v[j] = Math.exp(lo + (hi - lo) * rng.uniform());
        }
      }
    }
    out[name] = v;
  }
  return out;
}
