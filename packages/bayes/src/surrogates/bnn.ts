import {
  ValueError,
  add,
  clamp,
  fromTypedArray,
  mean,
  mul,
  square,
  squeeze,
  stack,
  sub,
  sum,
  tree,
  valueAndGrad,
  type Tensor,
} from '@difflab/tensor';
import { adam, createRng, type Rng } from '@difflab/optim';
import type { InputLike, TargetLike } from '../gp/data.js';
import type { Posterior, Surrogate } from '../gp/surrogate.js';
import { network, scaleData, scaleInputs, unscale, type NetworkOptions } from './common.js';

/**
 * Options of {@link bayesianNeuralNetwork}.
 *
 * @example
 * ```ts
 * import type { BNNOptions } from '@difflab/bayes';
 * const opts: BNNOptions = { method: 'hmc', samples: 10, burnin: 50, thin: 2, hidden: [20], seed: 0 };
 * ```
 */
export interface BNNOptions extends NetworkOptions {
  /** 'sgld' (preconditioned stochastic-gradient Langevin dynamics) or 'hmc' (full-batch Hamiltonian Monte Carlo). Default 'sgld'. */
  method?: 'sgld' | 'hmc';
  /** Posterior samples kept. Default 20. */
  samples?: number;
  /** Steps (SGLD) or transitions (HMC) discarded first. Default 1000 (SGLD) / 100 (HMC). */
  burnin?: number;
  /** Keep every `thin`-th step after burn-in. Default 50 (SGLD) / 5 (HMC). */
  thin?: number;
  /** Step size: SGLD learning rate ε (default 1e-3), HMC leapfrog step (default 5e-3). */
  stepSize?: number;
  /** HMC leapfrog steps per transition. Default 20. */
  leapfrogSteps?: number;
  /** Minibatch size for SGLD (default: all data). */
  batchSize?: number;
  /** Adam steps on the negative log posterior before sampling starts (a MAP warm start). Default 500. */
  warmup?: number;
  /** Std of the Gaussian prior on every weight. Default 1. */
  priorStd?: number;
  /** Observation-noise variance of the standardized targets. Default 0.01. */
  noise?: number;
  /** Seed of the initialization and the sampler. Default 0. */
  seed?: number;
}

/**
 * What {@link bayesianNeuralNetwork} returns: a {@link Surrogate} plus access to the samples.
 *
 * @example
 * ```ts
 * import { bayesianNeuralNetwork, type BNN } from '@difflab/bayes';
 * const bnn: BNN = bayesianNeuralNetwork([[0], [0.5], [1]], [0, 1, 0], { samples: 5, burnin: 100, thin: 10, warmup: 100, hidden: [16] });
 * bnn.size; // 5
 * bnn.sampleMeans([[0.25]]).shape; // [5, 1]
 * ```
 */
export interface BNN extends Surrogate {
  /** Number of posterior samples. */
  readonly size: number;
  /** HMC acceptance rate (NaN for SGLD). */
  readonly acceptance: number;
  /** Predictions of each posterior sample `[samples, ..., m]` (original units). */
  sampleMeans(X: InputLike): Tensor;
}

type Params = unknown;

/**
 * Bayesian neural-network surrogate: an MLP with a N(0, priorStd²) prior on every weight and a
 * Gaussian likelihood, sampled either with preconditioned SGLD (Welling & Teh 2011; RMSprop
 * preconditioner of Li et al. 2016: θ ← θ + (ε/2) G ∇log p(θ|D) + N(0, εG)) or with full-batch HMC
 * (leapfrog + Metropolis correction). The predictive mean/variance averages the kept samples (plus
 * the noise variance); `predict` is differentiable in the inputs.
 *
 * In the spirit of BOHAMIANN (Springenberg et al. 2016), which samples BNN weights by SG-MCMC for
 * BO; pass it as `surrogate` to {@link bayesOpt}.
 *
 * @param X - inputs `[n, d]`.
 * @param y - targets `[n]`.
 * @param opts - see {@link BNNOptions}.
 * @returns The sampled posterior as a surrogate.
 *
 * @example
 * ```ts
 * import { bayesianNeuralNetwork, bayesOpt } from '@difflab/bayes';
 * const res = await bayesOpt({
 *   objective: ([x]) => (x! - 0.3) ** 2,
 *   bounds: [[0, 1]],
 *   budget: 8,
 *   surrogate: (X, y, { seed }) => bayesianNeuralNetwork(X, y, { samples: 5, burnin: 100, thin: 5, warmup: 100, hidden: [16], seed }),
 * });
 * ```
 */
export function bayesianNeuralNetwork(X: InputLike, y: TargetLike, opts: BNNOptions = {}): BNN {
  const op = 'bayesianNeuralNetwork';
  const data = scaleData(op, X, y);
  const method = opts.method ?? 'sgld';
  if (method !== 'sgld' && method !== 'hmc')
    throw new ValueError(`${op}: method must be 'sgld' or 'hmc', got '${String(method)}'`);
  const S = opts.samples ?? 20;
  const noise = opts.noise ?? 0.01;
  const priorStd = opts.priorStd ?? 1;
  for (const [k, v] of [
    ['samples', S],
    ['noise', noise],
    ['priorStd', priorStd],
  ] as const)
    if (!(v > 0) || !Number.isFinite(v)) throw new ValueError(`${op}: ${k} must be positive, got ${v}`);
  const seed = opts.seed ?? 0;
  const net = network(data.d, 1, opts, seed);
  const rng = createRng(seed, 0xb77);
  const f = (p: Params, x: Tensor) => squeeze(net.apply(p as never, x), -1);
  // Negative log posterior of all n points (up to a constant); minibatches rescale the likelihood.
  const energy = (p: Params, idx: number[] | null) => {
    const x = idx ? data.X.gather(idx, 0) : data.X;
    const yy = idx ? data.y.gather(idx, 0) : data.y;
    const scale = idx ? data.n / idx.length : 1;
    const lik = mul(sum(square(sub(yy, f(p, x)))), scale / (2 * noise));
    const prior = (tree.flatten(p as never).leaves as Tensor[]).reduce(
      (acc, w) => add(acc, sum(square(w))),
      mul(lik, 0),
    );
    return add(lik, mul(prior, 1 / (2 * priorStd * priorStd)));
  };
  const vg = valueAndGrad((p: Params, idx: number[] | null) => energy(p, idx));
  // MAP warm start: chains started at a mode need far fewer burn-in steps.
  const warm = adam({ lr: 0.01 });
  let start: Params = net.params;
  let wstate = warm.init(start);
  const warmup = opts.warmup ?? 500;
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new ValueError(`${op}: warmup must be a non-negative integer, got ${warmup}`);
  for (let t = 0; t < warmup; t++) {
    const [, g] = vg(start, null) as [Tensor, Params];
    ({ params: start, state: wstate } = warm.update(
      tree.map((x: Tensor) => mul(x, 1 / data.n), g as never) as never,
      wstate,
      start,
    ));
  }
  const kept: Params[] = [];
  let acceptance = NaN;
  if (method === 'sgld') kept.push(...runSGLD(start, vg, rng, data.n, S, opts));
  else {
    const r = runHMC(start, vg, rng, S, opts);
    kept.push(...r.kept);
    acceptance = r.acceptance;
  }
  const sampleOut = (Xs: InputLike) => {
    const x = scaleInputs(op, Xs, data.inTf, data.d);
    return stack(kept.map((p) => f(p, x)));
  };
  return {
    dim: data.d,
    size: kept.length,
    acceptance,
    noiseVariance: noise * data.outTf.std * data.outTf.std,
    predict(Xs: InputLike, o: { includeNoise?: boolean } = {}): Posterior {
      const outs = sampleOut(Xs);
      const mu = mean(outs, 0);
      let v = clamp(sub(mean(square(outs), 0), square(mu)), 1e-12);
      if (o.includeNoise) v = add(v, noise);
      return unscale(mu, v, data.outTf);
    },
    sampleMeans: (Xs) => add(mul(sampleOut(Xs), data.outTf.std), data.outTf.mean),
  };
}

type VG = (p: Params, idx: number[] | null) => unknown;

function leaves(p: Params): Float64Array[] {
  return (tree.flatten(p as never).leaves as Tensor[]).map((t) => Float64Array.from(t.dataSync()));
}

function rebuild(template: Params, arrays: Float64Array[]): Params {
  const { leaves: ls, treedef } = tree.flatten(template as never);
  return tree.unflatten(
    treedef,
    (ls as Tensor[]).map((l, i) => fromTypedArray(Float64Array.from(arrays[i]!), l.shape, { dtype: 'float64' })),
  );
}

function gradArrays(vg: VG, p: Params, idx: number[] | null): { value: number; grads: Float64Array[] } {
  const [v, g] = vg(p, idx) as [Tensor, Params];
  return { value: v.item(), grads: leaves(g) };
}

function runSGLD(init: Params, vg: VG, rng: Rng, n: number, S: number, o: BNNOptions): Params[] {
  const eps = o.stepSize ?? 1e-3;
  const burnin = o.burnin ?? 1000;
  const thin = o.thin ?? 50;
  const batch = o.batchSize ?? n;
  if (!(eps > 0)) throw new ValueError(`bayesianNeuralNetwork: stepSize must be positive, got ${eps}`);
  if (!Number.isInteger(batch) || batch < 1 || batch > n)
    throw new ValueError(`bayesianNeuralNetwork: batchSize must be an integer in [1, ${n}], got ${batch}`);
  let theta = leaves(init);
  const V = theta.map((a) => new Float64Array(a.length));
  const beta = 0.99;
  const lambda = 1e-5;
  const kept: Params[] = [];
  const total = burnin + S * thin;
  for (let t = 0; t < total; t++) {
    const idx = batch < n ? Array.from({ length: batch }, () => rng.int(n)) : null;
    const { grads } = gradArrays(vg, rebuild(init, theta), idx);
    theta = theta.map((a, i) => {
      const g = grads[i]!;
      const v = V[i]!;
      const out = new Float64Array(a.length);
      for (let k = 0; k < a.length; k++) {
        v[k] = beta * v[k]! + (1 - beta) * g[k]! * g[k]!;
        const G = 1 / (lambda + Math.sqrt(v[k]!));
        out[k] = a[k]! - 0.5 * eps * G * g[k]! + Math.sqrt(eps * G) * rng.normal();
      }
      return out;
    });
    if (t >= burnin && (t - burnin + 1) % thin === 0) kept.push(rebuild(init, theta));
  }
  return kept;
}

function runHMC(init: Params, vg: VG, rng: Rng, S: number, o: BNNOptions): { kept: Params[]; acceptance: number } {
  const eps = o.stepSize ?? 5e-3;
  const L = o.leapfrogSteps ?? 20;
  const burnin = o.burnin ?? 100;
  const thin = o.thin ?? 5;
  if (!(eps > 0) || !Number.isInteger(L) || L < 1)
    throw new ValueError(`bayesianNeuralNetwork: HMC needs stepSize > 0 and integer leapfrogSteps >= 1`);
  let theta = leaves(init);
  let cur = gradArrays(vg, init, null);
  const kept: Params[] = [];
  let accepted = 0;
  const total = burnin + S * thin;
  for (let t = 0; t < total; t++) {
    const mom = theta.map((a) => Float64Array.from(a, () => rng.normal()));
    const kinetic = (m: Float64Array[]) => 0.5 * m.reduce((s, a) => s + a.reduce((q, v) => q + v * v, 0), 0);
    const h0 = cur.value + kinetic(mom);
    let q = theta.map((a) => Float64Array.from(a));
    let g = cur.grads;
    let state = cur;
    for (let l = 0; l < L; l++) {
      mom.forEach((m, i) => m.forEach((_, k) => (m[k] = m[k]! - 0.5 * eps * g[i]![k]!)));
      q = q.map((a, i) => a.map((v, k) => v + eps * mom[i]![k]!));
      state = gradArrays(vg, rebuild(init, q), null);
      g = state.grads;
      mom.forEach((m, i) => m.forEach((_, k) => (m[k] = m[k]! - 0.5 * eps * g[i]![k]!)));
    }
    const h1 = state.value + kinetic(mom);
    if (Number.isFinite(h1) && Math.log(rng.uniform()) < h0 - h1) {
      theta = q;
      cur = state;
      accepted++;
    }
    if (t >= burnin && (t - burnin + 1) % thin === 0) kept.push(rebuild(init, theta));
  }
  return { kept, acceptance: accepted / total };
}
