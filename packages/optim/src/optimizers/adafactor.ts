import { ValueError, add, div, maximum, mean, mul, rsqrt, sqrt, expandDims, type Tensor, zerosLike, zeros } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkFinite, checkLr, checkNonNegative, checkPositive, checkRange, lrAt } from '../core/validate.js';
import { checkStateArrays, decayFlags, leafCall } from './common.js';

/**
 * Options of {@link adafactor}; defaults follow the paper and the fairseq / Hugging Face
 * `Adafactor` (relative steps, factored second moments, no first moment).
 *
 * @example
 * ```ts
 * import { adafactor, type AdafactorOptions } from '@difflab/optim';
 * const relative: AdafactorOptions = { warmupInit: true };
 * const external: AdafactorOptions = { lr: 1e-3, scaleParameter: false, beta1: 0.9 };
 * const opt = adafactor(external);
 * ```
 */
export interface AdafactorOptions {
  /** External learning rate; giving it turns `relativeStep` off unless set explicitly. */
  lr?: LearningRate;
  /** Regulariser added to the squared gradient (default 1e-30). */
  eps1?: number;
  /** Lower bound on the parameter RMS used by `scaleParameter` (default 1e-3). */
  eps2?: number;
  /** Updates are scaled down so their RMS is at most this (default 1.0). */
  clipThreshold?: number;
  /** beta2_t = 1 - t^decayRate (default -0.8). */
  decayRate?: number;
  /** Optional first moment (default none: Adafactor's memory saving). */
  beta1?: number;
  /** Decoupled decay: x -= wd * alpha_t * x. */
  weightDecay?: number;
  /** Leaves that get weight decay (default all). */
  weightDecayMask?: Mask;
  /** Multiply the step by max(eps2, RMS(x)) (default true). */
  scaleParameter?: boolean;
  /** Step size min(1e-2, 1/sqrt(t)) instead of `lr` (default true when lr is absent). */
  relativeStep?: boolean;
  /** With relativeStep: min(1e-6 t, 1/sqrt(t)) instead. */
  warmupInit?: boolean;
  /** Factor the second moment of leaves with at least 2 dims (default true). */
  factored?: boolean;
}

/**
 * State of {@link adafactor}: per leaf either factored row/column statistics or a full second
 * moment, plus first moments when `beta1` is set (empty array otherwise).
 *
 * @example
 * ```ts
 * import { zeros } from '@difflab/tensor';
 * import { adafactor, type AdafactorState } from '@difflab/optim';
 * const s: AdafactorState = adafactor().init({ w: zeros([4, 3]) });
 * s.row[0]!.shape; // [4]
 * ```
 */
export interface AdafactorState {
  /** Number of updates applied so far. */
  count: number;
  /** Row statistics (mean over the last axis) of factored leaves; null for unfactored leaves. */
  row: (Tensor | null)[];
  /** Column statistics (mean over the second-to-last axis); null for unfactored leaves. */
  col: (Tensor | null)[];
  /** Full second moment of unfactored leaves; null for factored leaves. */
  v: (Tensor | null)[];
  /** First moments (only with `beta1`). */
  mu: Tensor[];
}

const rms = (x: Tensor): Tensor => sqrt(mean(mul(x, x)));

/**
 * Adafactor (Shazeer & Stern, 2018): factored second moments (row and column means of g^2 for
 * matrices, so memory is O(n + m)), relative step sizes, update clipping by RMS and the
 * increasing decay `beta2_t = 1 - t^decayRate`.
 *
 * Follows the paper's Algorithms 4/5 with the conventions of the widely used fairseq /
 * Hugging Face implementation (means instead of sums).
 *
 * @param opts - See {@link AdafactorOptions}.
 * @returns The optimizer.
 * @throws {ValueError} when both `lr` and `relativeStep: true` are given, `relativeStep: false`
 * lacks an lr, `decayRate >= 0`, or a bound is negative.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adafactor } from '@difflab/optim';
 * const opt = adafactor();
 * let params = { w: tensor([[1, 2], [3, 4]]) };
 * let state = opt.init(params);
 * ({ params, state } = opt.step((p) => p.w.square().sum(), params, state));
 * state.col[0]!.shape; // [2]
 * ```
 */
export function adafactor(opts: AdafactorOptions = {}): Optimizer<AdafactorState> {
  const name = 'adafactor';
  const relative = opts.relativeStep ?? opts.lr === undefined;
  if (relative && opts.lr !== undefined) throw new ValueError(`${name}: pass either lr or relativeStep: true, not both`);
  if (!relative && opts.lr === undefined) throw new ValueError(`${name}: relativeStep: false needs an lr`);
  const lr = opts.lr === undefined ? 0 : checkLr(name, opts.lr);
  const eps1 = checkNonNegative(name, 'eps1', opts.eps1 ?? 1e-30);
  const eps2 = checkNonNegative(name, 'eps2', opts.eps2 ?? 1e-3);
  const clip = checkPositive(name, 'clipThreshold', opts.clipThreshold ?? 1.0);
  const decayRate = checkFinite(name, 'decayRate', opts.decayRate ?? -0.8);
  if (decayRate >= 0) throw new ValueError(`${name}: decayRate must be negative, got ${decayRate}`);
  const beta1 = opts.beta1 === undefined ? null : checkRange(name, 'beta1', opts.beta1, 0, 1);
  const wd = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? 0);
  const scaleParameter = opts.scaleParameter ?? true;
  const factored = opts.factored ?? true;
  const isFactored = (p: Tensor) => factored && p.ndim >= 2;
  return asOptimizer<AdafactorState>({
    name,
    init(params) {
      const l = leafCall(name, params, params).params;
      return {
        count: 0,
        row: l.map((p) => (isFactored(p) ? zeros(p.shape.slice(0, -1), { dtype: p.dtype, device: p.device }) : null)),
        col: l.map((p) => (isFactored(p) ? zeros([...p.shape.slice(0, -2), p.shape[p.ndim - 1]!], { dtype: p.dtype, device: p.device }) : null)),
        v: l.map((p) => (isFactored(p) ? null : zerosLike(p))),
        mu: beta1 === null ? [] : l.map((p) => zerosLike(p)),
      };
    },
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      checkStateArrays(name, state as unknown as Record<string, unknown>, ['row', 'col', 'v', ...(beta1 === null ? [] : ['mu'])], c.params.length);
      const t = state.count + 1;
      const rel = relative ? Math.min(opts.warmupInit ? 1e-6 * t : 1e-2, 1 / Math.sqrt(t)) : lrAt(name, lr, state.count);
      const b2t = 1 - t ** decayRate;
      const decay = decayFlags(name, wd, opts.weightDecayMask, params);
      const row: (Tensor | null)[] = [];
      const col: (Tensor | null)[] = [];
      const vs: (Tensor | null)[] = [];
      const mu: Tensor[] = [];
      const updates = c.grads.map((g, i) => {
        const p = c.params[i]!;
        const alpha: Tensor | number = scaleParameter ? mul(maximum(rms(p), eps2), rel) : rel;
        const g2 = add(mul(g, g), eps1);
        let u: Tensor;
        if (isFactored(p)) {
          const r = add(mul(state.row[i]!, b2t), mul(mean(g2, -1), 1 - b2t));
          const cl = add(mul(state.col[i]!, b2t), mul(mean(g2, -2), 1 - b2t));
          row.push(r);
          col.push(cl);
          vs.push(null);
          const rFactor = rsqrt(div(r, mean(r, -1, true)));
          u = mul(mul(g, expandDims(rFactor, -1)), expandDims(rsqrt(cl), -2));
        } else {
          const v = add(mul(state.v[i]!, b2t), mul(g2, 1 - b2t));
          row.push(null);
          col.push(null);
          vs.push(v);
          u = div(g, sqrt(v));
        }
        u = div(u, maximum(div(rms(u), clip), 1));
        u = mul(u, alpha);
        if (beta1 !== null) {
          u = add(mul(state.mu[i]!, beta1), mul(u, 1 - beta1));
          mu.push(u);
        }
        const step = mul(u, -1);
        return decay[i] ? add(step, mul(mul(p, alpha), -wd)) : step;
      });
      return { updates: c.build(updates), state: { count: t, row, col, v: vs, mu } };
    },
  });
}
