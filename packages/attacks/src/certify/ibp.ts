import { ValueError, abs, maximum, minimum, nn, reshape, type Tensor } from '@difflab/tensor';
import type { Bounds } from '../core/types.js';
import { checkBounds, checkEps, checkInputs } from '../core/validate.js';
import { applyActivation, checkNetwork, isActivation, type Layer, type Network } from './network.js';

/**
 * Elementwise lower and upper bounds, as returned by {@link ibp} and {@link crown}.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ibp, type IntervalBounds } from '@difflab/attacks';
 * const b: IntervalBounds = ibp([{ type: 'linear', w: tensor([[1, -1]]) }], tensor([[0.2, 0.6]]), 0.1);
 * b.lower; // tensor([[-0.6]])
 * b.upper; // tensor([[-0.2]])
 * ```
 */
export interface IntervalBounds {
  /** Elementwise lower bounds. */
  lower: Tensor;
  /** Elementwise upper bounds. */
  upper: Tensor;
}

/**
 * Input-box option of the bound propagation functions.
 *
 * @example
 * ```ts
 * import type { BallOptions } from '@difflab/attacks';
 * const opts: BallOptions = { bounds: [-1, 1] };
 * ```
 */
export interface BallOptions {
  /** Input box intersected with the L-inf ball (default [0, 1]). */
  bounds?: Bounds;
}

/**
 * The L-inf ball around x intersected with the input box, as an interval.
 *
 * @param op - name of the calling op, used in error messages.
 * @param x - inputs `[N, ...]`.
 * @param eps - L-inf radius.
 * @param opts - the input box.
 * @returns `max(x - eps, lo)` and `min(x + eps, hi)`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { inputInterval } from '@difflab/attacks';
 * const { lower, upper } = inputInterval('demo', tensor([[0.05, 0.5]]), 0.1);
 * lower; // tensor([[0, 0.4]])
 * upper; // tensor([[0.15, 0.6]])
 * ```
 */
export function inputInterval(op: string, x: Tensor, eps: number, opts: BallOptions = {}): IntervalBounds {
  const e = checkEps(op, eps);
  const [lo, hi] = checkBounds(op, opts.bounds);
  checkInputs(op, x, [lo, hi]);
  const lower = x.sub(e);
  const upper = x.add(e);
  return {
    lower: Number.isFinite(lo) ? maximum(lower, lo) : lower,
    upper: Number.isFinite(hi) ? minimum(upper, hi) : upper,
  };
}

/** Interval image of an affine-type layer in centre/radius form: W c + b, |W| r. */
function affineInterval(l: Layer, lower: Tensor, upper: Tensor): IntervalBounds {
  const c = lower.add(upper).mul(0.5);
  const r = upper.sub(lower).mul(0.5);
  let mc: Tensor;
  let mr: Tensor;
  switch (l.type) {
    case 'linear': {
      const flat = (t: Tensor) => (t.ndim === 2 ? t : reshape(t, [t.shape[0]!, -1]));
      mc = nn.linear(flat(c), l.w, l.b);
      mr = nn.linear(flat(r), abs(l.w));
      break;
    }
    case 'conv2d': {
      const o = { stride: l.stride ?? 1, padding: l.padding ?? 0 };
      mc = nn.conv2d(c, l.w, l.b, o);
      mr = nn.conv2d(r, abs(l.w), null, o);
      break;
    }
    case 'avgPool2d': {
      // Averaging has non-negative weights: bounds map directly.
      const o = { kernelSize: l.kernel, stride: l.stride ?? l.kernel };
      return { lower: nn.avgPool2d(lower, o), upper: nn.avgPool2d(upper, o) };
    }
    case 'flatten':
      return { lower: reshape(lower, [lower.shape[0]!, -1]), upper: reshape(upper, [upper.shape[0]!, -1]) };
    default:
      throw new ValueError(`ibp: '${l.type}' is not an affine layer`);
  }
  return { lower: mc.sub(mr), upper: mc.add(mr) };
}

/**
 * Interval bound propagation (Gowal et al. 2019) from an input interval: affine layers in
 * centre/radius form, monotone activations applied to both ends. Differentiable (usable as a
 * certified-training loss). Returns the bounds after every layer; the last entry bounds the logits.
 *
 * @param net - the network.
 * @param lower - input lower bounds `[N, ...]`.
 * @param upper - input upper bounds `[N, ...]`.
 * @returns One interval per layer.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ibpLayers } from '@difflab/attacks';
 * const layers = ibpLayers([{ type: 'linear', w: tensor([[1, -1]]) }, { type: 'relu' }], tensor([[0, 0]]), tensor([[1, 1]]));
 * layers[0]!.lower; // tensor([[-1]])
 * layers[1]!.lower; // tensor([[0]])
 * ```
 */
export function ibpLayers(net: Network, lower: Tensor, upper: Tensor): IntervalBounds[] {
  const layers = checkNetwork('ibp', net);
  const out: IntervalBounds[] = [];
  let cur: IntervalBounds = { lower, upper };
  for (const l of layers) {
    cur = isActivation(l)
      ? { lower: applyActivation(l.type, cur.lower), upper: applyActivation(l.type, cur.upper) }
      : affineInterval(l, cur.lower, cur.upper);
    out.push(cur);
  }
  return out;
}

/**
 * IBP bounds on the network's outputs over the L-inf ball of radius eps around x (inside the box).
 *
 * Differentiable in the network weights, so `ibp(...)` can drive certified training (IBP training).
 *
 * @param net - the network.
 * @param x - inputs `[N, ...]`.
 * @param eps - L-inf radius.
 * @param opts - the input box.
 * @returns Bounds on the outputs `[N, out]`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ibp, type Network } from '@difflab/attacks';
 * const net: Network = [{ type: 'linear', w: tensor([[1, -1], [-1, 1]]) }, { type: 'relu' }, { type: 'linear', w: tensor([[1, 0], [0, 1]]) }];
 * const { lower, upper } = ibp(net, tensor([[0.2, 0.6]]), 0.05);
 * lower; // tensor([[0, 0.3]])
 * upper; // tensor([[0, 0.5]])
 * ```
 */
export function ibp(net: Network, x: Tensor, eps: number, opts: BallOptions = {}): IntervalBounds {
  const { lower, upper } = inputInterval('ibp', x, eps, opts);
  const all = ibpLayers(net, lower, upper);
  return all[all.length - 1]!;
}
