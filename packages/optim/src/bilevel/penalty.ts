import { ValueError, grad, type Tensor } from '@difflab/tensor';
import { applyUpdates } from '../core/optimizer.js';
import { num, paramLeaves, treeAxpy } from '../core/tree-utils.js';
import type { GradientTransformation } from '../core/types.js';
import { checkInteger, checkPositive } from '../core/validate.js';
import { sgd } from '../optimizers/sgd.js';
import type { BilevelLoss } from './implicit.js';

export interface PenaltyOptions {
  /** Penalty parameter σ: the hypergradient is O(σ)-accurate (default 1e-2). */
  sigma?: number;
  /** Gradient steps on each inner problem per hypergradient (default 100). */
  innerSteps?: number;
  /** Step size for y on f + g/σ (default 0.5 σ, suitable when g is 1-smooth in y). */
  innerLr?: number;
  /** Step size for z on g (default 0.5). */
  zLr?: number;
}

function descend<W>(f: (w: W) => Tensor, w: W, steps: number, lr: number): W {
  let x = w;
  for (let k = 0; k < steps; k++) x = treeAxpy(-lr, grad(f)(x), x);
  return x;
}

/**
 * Hessian-free hypergradient of the penalty reformulation of bilevel optimization
 * (Kwon et al. 2024, "On Penalty Methods for Nonconvex Bilevel Optimization"):
 *   ψ_σ(x) = min_y f(x, y) + (g(x, y) − min_z g(x, z)) / σ,
 *   ∇ψ_σ(x) = ∇_x f(x, y_σ) + (∇_x g(x, y_σ) − ∇_x g(x, z*)) / σ,
 * with y_σ and z* from warm-started gradient descent. Only first derivatives are used.
 * Here `x` are the hyper-parameters (outer variables) and y, z the inner variables.
 */
export function penaltyHypergradient<Y, X>(
  outer: BilevelLoss<Y, X>,
  inner: BilevelLoss<Y, X>,
  x: X,
  y0: Y,
  z0: Y,
  opts: PenaltyOptions = {},
): { hypergrad: X; y: Y; z: Y } {
  const name = 'penaltyHypergradient';
  const sigma = checkPositive(name, 'sigma', opts.sigma ?? 1e-2);
  const steps = checkInteger(name, 'innerSteps', opts.innerSteps ?? 100, 0);
  const innerLr = checkPositive(name, 'innerLr', opts.innerLr ?? 0.5 * sigma);
  const zLr = checkPositive(name, 'zLr', opts.zLr ?? 0.5);
  paramLeaves(name, x);
  paramLeaves(name, y0);
  const y = descend((yy: Y) => outer(yy, x).add(inner(yy, x).mul(1 / sigma)), y0, steps, innerLr);
  const z = descend((zz: Y) => inner(zz, x), z0, steps, zLr);
  const gf = grad(outer, { argnums: 1 })(y, x) as X;
  const gy = grad(inner, { argnums: 1 })(y, x) as X;
  const gz = grad(inner, { argnums: 1 })(z, x) as X;
  const hypergrad = treeAxpy(1 / sigma, treeAxpy(-1, gz, gy), gf) as X;
  return { hypergrad, y, z };
}

export interface PenaltyBilevelOptions extends PenaltyOptions {
  /** Outer iterations (default 100). */
  steps?: number;
  /** Optimizer for the outer variables (default sgd({lr: 0.1})). */
  optimizer?: GradientTransformation;
  /** Called after every outer step with the outer loss f(x, y_σ). */
  onStep?: (info: { step: number; outer: number; x: unknown }) => void;
}

/**
 * First-order penalty method for bilevel problems min_x f(x, y*(x)), y*(x) ∈ argmin_y g(x, y):
 * outer steps along {@link penaltyHypergradient} with warm-started inner variables.
 */
export function penaltyBilevel<Y, X>(
  outer: BilevelLoss<Y, X>,
  inner: BilevelLoss<Y, X>,
  x0: X,
  y0: Y,
  opts: PenaltyBilevelOptions = {},
): { x: X; y: Y; z: Y; history: number[] } {
  const steps = checkInteger('penaltyBilevel', 'steps', opts.steps ?? 100, 0);
  const opt = opts.optimizer ?? sgd({ lr: 0.1 });
  if (opt.needsClosure) throw new ValueError(`penaltyBilevel: the outer optimizer must work from gradients (${opt.name} re-evaluates the loss)`);
  let x = x0;
  let y = y0;
  let z = y0;
  let s = opt.init(x0);
  const history: number[] = [];
  for (let k = 0; k < steps; k++) {
    const r = penaltyHypergradient(outer, inner, x, y, z, opts);
    y = r.y;
    z = r.z;
    const val = num(outer(y, x));
    history.push(val);
    const u = opt.transform(r.hypergrad, s, x, { loss: val });
    x = applyUpdates(x, u.updates);
    s = u.state;
    opts.onStep?.({ step: k, outer: val, x });
  }
  return { x, y, z, history };
}
