import { crossEntropy } from '@difflab/losses';
import { logsumexp, stopGradient, type Tensor } from '@difflab/tensor';
import type { AttackFn } from '../core/types.js';
import { checkPositive } from '../core/validate.js';
import { pgd, type PgdOptions } from '../whitebox/pgd.js';
import { frozen, type Apply, type ParamLoss } from './common.js';

/**
 * Options of {@link pgdAtLoss} and the other adversarial-training losses: PGD's options (all
 * optional here) or a custom `attack`.
 *
 * @example
 * ```ts
 * import { bindAttack, fgsm, type AdversarialLossOptions } from '@difflab/attacks';
 * const pgdOpts: AdversarialLossOptions = { eps: 8 / 255, alpha: 2 / 255, steps: 7 };
 * const fastOpts: AdversarialLossOptions = { attack: bindAttack(fgsm, { eps: 8 / 255 }) }; // FGSM training
 * ```
 */
export interface AdversarialLossOptions extends Partial<PgdOptions> {
  /** Attack that generates the training inputs (default: PGD with the other options). */
  attack?: AttackFn;
}

/**
 * Adversarial inputs for training: the given attack, or PGD at the current parameters.
 *
 * @param apply - the parametrised classifier.
 * @param params - current parameters (held fixed during the attack).
 * @param x - clean batch `[N, ...]`.
 * @param y - labels, int32 `[N]`.
 * @param opts - `attack`, or PGD's options.
 * @param op - name of the calling op, used in error messages.
 * @returns Adversarial inputs, detached from the parameters.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { trainingExamples } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2], { key: 0 });
 * const x = tensor([[0.2, 0.6]]);
 * const xAdv = trainingExamples(net.apply, net.params, x, tensor([1], { dtype: 'int32' }), { eps: 0.05 }, 'demo');
 * ```
 */
export function trainingExamples<P>(
  apply: Apply<P>,
  params: P,
  x: Tensor,
  y: Tensor,
  opts: AdversarialLossOptions,
  op: string,
): Tensor {
  const model = frozen(apply, params);
  if (opts.attack) return stopGradient(opts.attack(model, x, y));
  checkPositive(op, 'eps', opts.eps);
  return stopGradient(pgd(model, x, y, { ...opts, eps: opts.eps! }));
}

/**
 * PGD adversarial training (Madry et al. 2018): generates x_adv = PGD(x) at the current params
 * and returns the loss `params => mean CE(f(x_adv), y)` for an optimizer step.
 *
 * @param apply - the parametrised classifier.
 * @param params - parameters at which the attack runs.
 * @param x - clean batch `[N, ...]`.
 * @param y - labels, int32 `[N]`.
 * @param opts - see {@link AdversarialLossOptions}.
 * @returns The loss of the parameters, for `opt.step(loss, params, state)`.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { sgd } from '@difflab/optim';
 * import { pgdAtLoss } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2], { key: 0 });
 * const x = tensor([[0.2, 0.6], [0.7, 0.1]]);
 * const y = tensor([1, 0], { dtype: 'int32' });
 * const opt = sgd({ lr: 0.1 });
 * let params = net.params;
 * let state = opt.init(params);
 * for (let i = 0; i < 3; i++) ({ params, state } = opt.step(pgdAtLoss(net.apply, params, x, y, { eps: 0.05, steps: 3 }), params, state));
 * ```
 */
export function pgdAtLoss<P>(
  apply: Apply<P>,
  params: P,
  x: Tensor,
  y: Tensor,
  opts: AdversarialLossOptions,
): ParamLoss<P> {
  const xAdv = trainingExamples(apply, params, x, y, opts, 'pgdAtLoss');
  return (p: P) => crossEntropy(apply(p, xAdv), y);
}

/**
 * Options of {@link klDroAtLoss}.
 *
 * @example
 * ```ts
 * import type { KlDroOptions } from '@difflab/attacks';
 * const opts: KlDroOptions = { eps: 8 / 255, steps: 10, tau: 0.5 };
 * ```
 */
export interface KlDroOptions extends AdversarialLossOptions {
  /** Temperature r of the KL-regularised weights (default 1); r -> inf recovers plain PGD-AT. */
  tau?: number;
}

/**
 * Instance-reweighted adversarial training with KL-regularised DRO weights (Doubly Robust
 * Instance-Reweighted AT): max over weights w in the simplex of sum_i w_i l_i - tau KL(w || uniform)
 * equals tau log mean_i exp(l_i / tau), whose gradient weights each adversarial loss l_i by
 * softmax(l / tau)_i; the hardest examples count most. Returns that objective.
 *
 * @param apply - the parametrised classifier.
 * @param params - parameters at which the attack runs.
 * @param x - clean batch `[N, ...]`.
 * @param y - labels, int32 `[N]`.
 * @param opts - see {@link KlDroOptions}.
 * @returns The loss of the parameters.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { klDroAtLoss } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2], { key: 0 });
 * const loss = klDroAtLoss(net.apply, net.params, tensor([[0.2, 0.6]]), tensor([1], { dtype: 'int32' }), { eps: 0.05, tau: 1 });
 * loss(net.params); // scalar tensor
 * ```
 */
export function klDroAtLoss<P>(apply: Apply<P>, params: P, x: Tensor, y: Tensor, opts: KlDroOptions): ParamLoss<P> {
  const tau = checkPositive('klDroAtLoss', 'tau', opts.tau ?? 1);
  const xAdv = trainingExamples(apply, params, x, y, opts, 'klDroAtLoss');
  const n = x.shape[0]!;
  return (p: P) => {
    const losses = crossEntropy(apply(p, xAdv), y, { reduction: 'none' });
    return logsumexp(losses.div(tau)).sub(Math.log(n)).mul(tau);
  };
}

/**
 * The KL-DRO example weights softmax(l / tau) for per-example losses (for logging / analysis).
 *
 * @param losses - per-example losses `[N]`.
 * @param tau - temperature (default 1).
 * @returns Weights `[N]` summing to 1.
 * @throws {ValueError} when tau is not positive.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { klDroWeights } from '@difflab/attacks';
 * klDroWeights(tensor([0, Math.log(3)])); // tensor([0.25, 0.75])
 * ```
 */
export function klDroWeights(losses: Tensor, tau = 1): Tensor {
  checkPositive('klDroWeights', 'tau', tau);
  return losses.div(tau).softmax(-1);
}
