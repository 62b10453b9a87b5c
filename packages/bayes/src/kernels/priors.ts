import { ValueError, add, log, log1p, mul, square, sub, sum, type Tensor } from '@difflab/tensor';
import type { Rng } from '@difflab/optim';
import { logGamma } from '../internal/gamma.js';

/**
 * A prior on a positive hyperparameter value. `logProb` sums over the elements of `v` (an ARD
 * lengthscale vector gets one independent prior per dimension). As in GPyTorch, the density is
 * over the constrained value itself, without the Jacobian of the optimizer's parametrization.
 */
export interface Prior {
  readonly kind: string;
  logProb(v: Tensor): Tensor;
  /** A draw used to initialize hyperparameter restarts. */
  sample(rng: Rng): number;
}

function positive(op: string, name: string, v: number): number {
  if (!(v > 0) || !Number.isFinite(v))
    throw new ValueError(`${op}: ${name} must be a positive finite number, got ${v}`);
  return v;
}

/** Gamma(concentration α, rate β): log p = α log β − log Γ(α) + (α−1) log v − β v. */
export function gammaPrior(concentration: number, rate: number): Prior {
  const a = positive('gammaPrior', 'concentration', concentration);
  const b = positive('gammaPrior', 'rate', rate);
  const c = a * Math.log(b) - logGamma(a);
  return {
    kind: `gamma(${a}, ${b})`,
    logProb: (v) => sum(sub(add(mul(log(v), a - 1), c), mul(v, b))),
    sample: (rng) => sampleGamma(rng, a) / b,
  };
}

/** LogNormal(μ, σ) on the value: log v ~ N(μ, σ²). */
export function logNormalPrior(loc: number, scale: number): Prior {
  const s = positive('logNormalPrior', 'scale', scale);
  if (!Number.isFinite(loc)) throw new ValueError(`logNormalPrior: loc must be finite, got ${loc}`);
  const c = -Math.log(s) - 0.5 * Math.log(2 * Math.PI);
  return {
    kind: `logNormal(${loc}, ${s})`,
    logProb: (v) => {
      const lv = log(v);
      return sum(sub(add(mul(square(sub(lv, loc)), -0.5 / (s * s)), c), lv));
    },
    sample: (rng) => Math.exp(loc + s * rng.normal()),
  };
}

/** Normal(μ, σ) on the value (useful for values far from zero). */
export function normalPrior(loc: number, scale: number): Prior {
  const s = positive('normalPrior', 'scale', scale);
  const c = -Math.log(s) - 0.5 * Math.log(2 * Math.PI);
  return {
    kind: `normal(${loc}, ${s})`,
    logProb: (v) => sum(add(mul(square(sub(v, loc)), -0.5 / (s * s)), c)),
    sample: (rng) => Math.abs(loc + s * rng.normal()),
  };
}

/** Half-Cauchy(scale): p(v) = 2 / (π s (1 + (v/s)²)) for v > 0. */
export function halfCauchyPrior(scale: number): Prior {
  const s = positive('halfCauchyPrior', 'scale', scale);
  const c = Math.log(2 / (Math.PI * s));
  return {
    kind: `halfCauchy(${s})`,
    logProb: (v) => sum(sub(c, log1p(square(mul(v, 1 / s))))),
    sample: (rng) => Math.abs(s * Math.tan(Math.PI * (rng.uniform() - 0.5))),
  };
}

/** Marsaglia–Tsang gamma sampler with unit rate. */
function sampleGamma(rng: Rng, a: number): number {
  if (a < 1) return sampleGamma(rng, a + 1) * Math.pow(rng.uniform() || Number.MIN_VALUE, 1 / a);
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
