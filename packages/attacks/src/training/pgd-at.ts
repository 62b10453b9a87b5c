import { crossEntropy } from '@difflab/losses';
import { logsumexp, stopGradient, type Tensor } from '@difflab/tensor';
import type { AttackFn } from '../core/types.js';
import { checkPositive } from '../core/validate.js';
import { pgd, type PgdOptions } from '../whitebox/pgd.js';
import { frozen, type Apply, type ParamLoss } from './common.js';

export interface AdversarialLossOptions extends Partial<PgdOptions> {
  /** Attack that generates the training inputs (default: PGD with the other options). */
  attack?: AttackFn;
}

/** Adversarial inputs for training: the given attack, or PGD at the current parameters. */
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

export interface KlDroOptions extends AdversarialLossOptions {
  /** Temperature r of the KL-regularised weights (default 1); r -> inf recovers plain PGD-AT. */
  tau?: number;
}

/**
 * Instance-reweighted adversarial training with KL-regularised DRO weights (Doubly Robust
 * Instance-Reweighted AT): max over weights w in the simplex of sum_i w_i l_i - tau KL(w || uniform)
 * equals tau log mean_i exp(l_i / tau), whose gradient weights each adversarial loss l_i by
 * softmax(l / tau)_i; the hardest examples count most. Returns that objective.
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

/** The KL-DRO example weights softmax(l / tau) for per-example losses (for logging / analysis). */
export function klDroWeights(losses: Tensor, tau = 1): Tensor {
  checkPositive('klDroWeights', 'tau', tau);
  return losses.div(tau).softmax(-1);
}
