import { add, mul, type Tensor } from '@difflab/tensor';
import { zerosLikeLeaves } from '../core/tree-utils.js';
import { checkBetas, checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import type { AdamOptions } from './adam.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall, type LeafCall } from './common.js';

/**
 * The options the Adam-style optimizers (adamax, nadam, radam, lamb) share, named as in
 * {@link AdamOptions}; their public option interfaces document them per method.
 */
export type MomentOptions = Pick<AdamOptions, 'lr' | 'b1' | 'b2' | 'eps' | 'weightDecay' | 'weightDecayMask'>;

/** The validated form of {@link MomentOptions}: every field present (the mask may still be undefined). */
export type MomentConfig = Required<MomentOptions>;

/**
 * Validates the shared options in one fixed order (lr, betas, eps, weight decay) so every method
 * reports the first bad option the same way. Betas default to PyTorch's 0.9 / 0.999; lr and eps
 * defaults differ per method and are passed in.
 */
export function momentConfig(name: string, opts: MomentOptions, defaults: { lr: number; eps: number }): MomentConfig {
  const lr = checkLr(name, opts.lr ?? defaults.lr);
  const b1 = opts.b1 ?? 0.9;
  const b2 = opts.b2 ?? 0.999;
  checkBetas(name, b1, b2);
  const eps = checkNonNegative(name, 'eps', opts.eps ?? defaults.eps);
  const weightDecay = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? 0);
  return { lr, b1, b2, eps, weightDecay, weightDecayMask: opts.weightDecayMask };
}

/** A fresh state: step count 0 and one zero buffer per param leaf under each of `keys`. */
export function zeroMoments<K extends string>(
  name: string,
  params: unknown,
  keys: readonly K[],
): { count: number } & Record<K, Tensor[]> {
  const leaves = leafCall(name, params, params).params;
  const state: Record<string, unknown> = { count: 0 };
  for (const k of keys) state[k] = zerosLikeLeaves(leaves);
  return state as { count: number } & Record<K, Tensor[]>;
}

/** What every step of these methods starts from. */
export interface MomentStep {
  /** Gradient and param leaves, matched, and the rebuild of the updates pytree. */
  c: LeafCall;
  /** The learning rate of this step (a schedule sees the 0-based count of completed updates). */
  eta: number;
  /** The 1-based index of this step, as the bias corrections use it. */
  t: number;
  /** Which leaves get weight decay. */
  decay: boolean[];
}

/**
 * The per-step prologue: matches grads to params, checks that the state's per-leaf arrays under
 * `keys` fit them, and evaluates the learning rate and the weight-decay mask.
 */
export function momentStep(
  name: string,
  cfg: MomentConfig,
  grads: unknown,
  state: { count: number },
  params: unknown,
  keys: readonly string[],
): MomentStep {
  const c = leafCall(name, grads, params);
  checkStateArrays(name, state as unknown as Record<string, unknown>, [...keys], c.params.length);
  const eta = lrAt(name, cfg.lr, state.count);
  const decay = decayFlags(name, cfg.weightDecay, cfg.weightDecayMask, params);
  return { c, eta, t: state.count + 1, decay };
}

/** First-moment EMA, b1 m + (1 - b1) g. */
export const firstMoment = (m: Tensor, g: Tensor, b1: number): Tensor => add(mul(m, b1), mul(g, 1 - b1));

/** Second-moment EMA, b2 v + (1 - b2) g². */
export const secondMoment = (v: Tensor, g: Tensor, b2: number): Tensor => add(mul(v, b2), mul(mul(g, g), 1 - b2));

/**
 * One step of both moment EMAs over every leaf; `direction(m, v, g, i)` turns the new moments into
 * the leaf's update. With `coupled`, `g` already includes PyTorch's L2 term `weightDecay * p` (as
 * nadam and radam apply it); otherwise the raw gradient is used and decay is the caller's business.
 */
export function stepMoments(
  cfg: MomentConfig,
  step: MomentStep,
  state: { mu: Tensor[]; nu: Tensor[] },
  coupled: boolean,
  direction: (m: Tensor, v: Tensor, g: Tensor, i: number) => Tensor,
): { updates: unknown; mu: Tensor[]; nu: Tensor[] } {
  const { c, decay } = step;
  const mu: Tensor[] = [];
  const nu: Tensor[] = [];
  const updates = c.grads.map((g0, i) => {
    const g = coupled ? coupledDecay(g0, c.params[i]!, cfg.weightDecay, decay[i]!) : g0;
    const m = firstMoment(state.mu[i]!, g, cfg.b1);
    const v = secondMoment(state.nu[i]!, g, cfg.b2);
    mu.push(m);
    nu.push(v);
    return direction(m, v, g, i);
  });
  return { updates: c.build(updates), mu, nu };
}
