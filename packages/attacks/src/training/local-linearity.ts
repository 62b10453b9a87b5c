import { crossEntropy } from '@difflab/losses';
import { mean, random, stopGradient, type Tensor } from '@difflab/tensor';
import { toKey } from '../core/grad.js';
import { clampBox, perExample, uniformSymmetric } from '../core/project.js';
import type { Bounds, KeyLike } from '../core/types.js';
import { checkBounds, checkEps, checkNonNegative } from '../core/validate.js';
import type { AttackFn } from '../core/types.js';
import { ffgsm } from '../whitebox/fgsm.js';
import { frozen, type Apply, type ParamLoss } from './common.js';

/**
 * Options of {@link localLinearityLoss}.
 *
 * @example
 * ```ts
 * import type { LocalLinearityOptions } from '@difflab/attacks';
 * const opts: LocalLinearityOptions = { eps: 8 / 255, lambda: 5000, attack: null };
 * ```
 */
export interface LocalLinearityOptions {
  /** L-inf radius of the ball the segments are drawn in (and of the default attack). */
  eps: number;
  /** Weight lambda of the linearity penalty (default 1). */
  lambda?: number;
  /**
   * Adversarial examples of the main term (default: FGSM from a random start, `ffgsm`, the
   * single-step training ELLE regularises); pass null to use the clean loss.
   */
  attack?: AttackFn | null;
  /** Input box (default `[0, 1]`). */
  bounds?: Bounds;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * Local-linearity regularisation in the style of ELLE (Abad Rocamora et al. 2024): for x_a, x_b
 * uniform in the L-inf ball and x_c = (1 - a) x_a + a x_b with a ~ U[0, 1], the penalty
 * mean |L(x_c) - (1 - a) L(x_a) - a L(x_b)|^2 (per-example CE) vanishes exactly when the loss is
 * linear along such segments; it needs no double backpropagation. Returns
 * `params => CE(f(x_adv), y) + lambda * penalty`.
 *
 * @param apply - the parametrised classifier.
 * @param params - parameters at which the attack runs.
 * @param x - clean batch `[N, ...]`.
 * @param y - labels, int32 `[N]`.
 * @param opts - see {@link LocalLinearityOptions}.
 * @returns The loss of the parameters.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { localLinearityLoss } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2], { key: 0 });
 * const loss = localLinearityLoss(net.apply, net.params, tensor([[0.2, 0.6]]), tensor([1], { dtype: 'int32' }), { eps: 0.05, lambda: 10 });
 * loss(net.params); // scalar tensor
 * ```
 */
export function localLinearityLoss<P>(
  apply: Apply<P>,
  params: P,
  x: Tensor,
  y: Tensor,
  opts: LocalLinearityOptions,
): ParamLoss<P> {
  const op = 'localLinearityLoss';
  const eps = checkEps(op, opts?.eps);
  const lambda = checkNonNegative(op, 'lambda', opts.lambda ?? 1);
  const [lo, hi] = checkBounds(op, opts.bounds);
  const key = toKey(op, opts.key);
  const [ka, kb, kt, kf] = random.splitN(key, 4);
  const dtype = x.dtype as 'float32' | 'float64';
  const n = x.shape[0]!;
  const ball = (k: Tensor) => (eps > 0 ? clampBox(x.add(uniformSymmetric(k, x.shape, eps, dtype)), lo, hi) : x);
  const xa = ball(ka!);
  const xb = ball(kb!);
  const a = random.uniform(kt!, [n], { dtype });
  const xc = xa.mul(perExample(a.neg().add(1), x)).add(xb.mul(perExample(a, x)));
  const model = frozen(apply, params);
  const attack: AttackFn | null =
    opts.attack === undefined ? (m, xx, yy) => ffgsm(m, xx, yy, { eps, bounds: [lo, hi], key: kf }) : opts.attack;
  const xAdv = attack ? stopGradient(attack(model, x, y)) : x;
  return (p: P) => {
    const per = (z: Tensor) => crossEntropy(apply(p, z), y, { reduction: 'none' });
    const la = per(xa);
    const lb = per(xb);
    const lc = per(xc);
    const gap = lc.sub(la.mul(a.neg().add(1))).sub(lb.mul(a));
    return crossEntropy(apply(p, xAdv), y).add(mean(gap.mul(gap)).mul(lambda));
  };
}
