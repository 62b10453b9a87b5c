import { crossEntropy } from '@difflab/losses';
import { maximum, random, stopGradient, sum, valueAndGrad, type Tensor } from '@difflab/tensor';
import { toKey } from '../core/grad.js';
import { clampBox, lpNorm, perExample } from '../core/project.js';
import type { Bounds, KeyLike, Model } from '../core/types.js';
import { checkBounds, checkEps, checkInt, checkNonNegative, checkPositive } from '../core/validate.js';
import { frozen, type Apply, type ParamLoss } from './common.js';
import { klFromLogits } from './trades.js';

/**
 * Options of {@link vatLoss} and {@link virtualAdversarialPerturbation}.
 *
 * @example
 * ```ts
 * import type { VatOptions } from '@difflab/attacks';
 * const opts: VatOptions = { eps: 2.0, xi: 1e-6, iters: 1, alpha: 1, key: 0 };
 * ```
 */
export interface VatOptions {
  /** Radius of the virtual adversarial perturbation (L2, default 1). */
  eps?: number;
  /**
   * Finite-difference scale of the power iteration (default 1e-3; the paper's 1e-6 suits float64,
   * in float32 the KL at that scale is below rounding).
   */
  xi?: number;
  /** Power iterations (default 1). */
  iters?: number;
  /** Weight of the LDS term when labels are given (default 1). */
  alpha?: number;
  /** Clamp x + r to these bounds (default: unclamped, as in the paper). */
  bounds?: Bounds;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * The virtual adversarial direction (Miyato et al. 2018): r = eps g / ||g||_2 where g comes from
 * power iteration on the Hessian of KL(p(x) || p(x + r)) at r = 0, started from a random unit d:
 * g = grad_r KL(p(x) || p(x + xi d)). No labels are needed.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - inputs `[N, ...]`.
 * @param opts - see {@link VatOptions}.
 * @returns Perturbations r with the shape of `x` and per-example L2 norm eps.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { virtualAdversarialPerturbation, lpNorm } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const r = virtualAdversarialPerturbation(model, tensor([[0.45, 0.55]]), { eps: 0.1 });
 * lpNorm(r, 'l2'); // tensor([0.1])
 * ```
 */
export function virtualAdversarialPerturbation(model: Model, x: Tensor, opts: VatOptions = {}): Tensor {
  const op = 'virtualAdversarialPerturbation';
  const eps = checkEps(op, opts.eps ?? 1);
  const xi = checkPositive(op, 'xi', opts.xi ?? 1e-3);
  const iters = checkInt(op, 'iters', opts.iters ?? 1, 1);
  const clean = stopGradient(model(x));
  // Guarding the norm with max(., tiny) rather than adding a constant keeps tiny gradients unit-sized.
  const unit = (t: Tensor) => t.div(perExample(maximum(lpNorm(t, 'l2'), 1e-30), t));
  let d = unit(random.normal(toKey(op, opts.key), x.shape, { dtype: x.dtype as 'float32' | 'float64' }));
  for (let i = 0; i < iters; i++) {
    const g = valueAndGrad((r: Tensor) => sum(klFromLogits(clean, model(x.add(r)))))(d.mul(xi))[1] as Tensor;
    d = unit(g);
  }
  return stopGradient(d.mul(eps));
}

/**
 * Virtual adversarial training: `params => alpha * mean KL(p(x) || p(x + r_vadv))` with p(x) held
 * constant (the LDS term), plus CE on the labels when `y` is given (semi-supervised use: pass the
 * unlabeled batch without y).
 *
 * @param apply - the parametrised classifier.
 * @param params - parameters at which the perturbation is computed.
 * @param x - batch `[N, ...]` (labeled or not).
 * @param y - labels, int32 `[N]`, or null for unlabeled data.
 * @param opts - see {@link VatOptions}.
 * @returns The loss of the parameters.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { vatLoss } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2], { key: 0 });
 * const unlabeled = tensor([[0.3, 0.3], [0.9, 0.2]]);
 * const loss = vatLoss(net.apply, net.params, unlabeled, null, { eps: 0.5 });
 * loss(net.params); // scalar tensor: the LDS term only
 * ```
 */
export function vatLoss<P>(
  apply: Apply<P>,
  params: P,
  x: Tensor,
  y: Tensor | null,
  opts: VatOptions = {},
): ParamLoss<P> {
  const op = 'vatLoss';
  const alpha = checkNonNegative(op, 'alpha', opts.alpha ?? 1);
  const r = virtualAdversarialPerturbation(frozen(apply, params), x, opts);
  let xr = x.add(r);
  if (opts.bounds) {
    const [lo, hi] = checkBounds(op, opts.bounds);
    xr = clampBox(xr, lo, hi);
  }
  const n = x.shape[0]!;
  return (p: P) => {
    const clean = stopGradient(apply(p, x));
    const lds = sum(klFromLogits(clean, apply(p, xr))).mul(alpha / n);
    return y ? crossEntropy(apply(p, x), y).add(lds) : lds;
  };
}
