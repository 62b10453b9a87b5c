import { ValueError, grad, type Tensor } from '@difflab/tensor';
import { applyUpdates } from '../core/optimizer.js';
import { num, paramLeaves, treeAxpy } from '../core/tree-utils.js';
import type { GradientTransformation } from '../core/types.js';
import { checkInteger, checkPositive } from '../core/validate.js';
import { sgd } from '../optimizers/sgd.js';
import type { BilevelLoss } from './implicit.js';

/**
 * Options of {@link penaltyHypergradient}.
 *
 * @example
 * ```ts
 * import type { PenaltyOptions } from '@difflab/optim';
 * const o: PenaltyOptions = { sigma: 1e-3, innerSteps: 200, zLr: 0.5 };
 * ```
 */
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
 * Hessian-free hypergradient of the penalty reformulation of bilevel optimization (Kwon et al.,
 * ICML 2024, "On Penalty Methods for Nonconvex Bilevel Optimization"):
 * `ψ_σ(x) = min_y f(x, y) + (g(x, y) − min_z g(x, z)) / σ`,
 * `∇ψ_σ(x) = ∇_x f(x, y_σ) + (∇_x g(x, y_σ) − ∇_x g(x, z*)) / σ`.
 *
 * `y_σ` and `z*` come from gradient descent warm-started at `y0`, `z0`; only first derivatives are
 * used, and the result is O(σ)-accurate. Here `x` are the hyper-parameters (outer variables) and
 * y, z the inner variables.
 *
 * @param outer - f(y, x).
 * @param inner - g(y, x).
 * @param x - Outer variables.
 * @param y0 - Warm start of y_σ.
 * @param z0 - Warm start of z*.
 * @param opts - See {@link PenaltyOptions}.
 * @returns The hypergradient (x-shaped) and the inner solutions, to warm-start the next call.
 * @throws {ValueError} for invalid options or empty pytrees.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { penaltyHypergradient } from '@difflab/optim';
 * const inner = (y: Tensor, x: Tensor) => y.sub(x).square().sum(); // y*(x) = x
 * const outer = (y: Tensor, _x: Tensor) => y.sub(3).square().sum();
 * const x = tensor([1], { dtype: 'float64' });
 * const r = penaltyHypergradient(outer, inner, x, x, x, { sigma: 1e-3, innerSteps: 200 });
 * r.hypergrad.item(); // about -4 (O(sigma) error)
 * ```
 */
export function penaltyHypergradient<Y, X>(
  outer: BilevelLoss<Y, X>,
  inner: BilevelLoss<Y, X>,
  x: X,
  y0: Y,
  z0: Y,
  opts: PenaltyOptions = {},
): {
  /** The penalty hypergradient ∇ψ_σ(x), x-shaped. */
  hypergrad: X;
  /** The approximate minimiser y_σ of f + g/σ (warm start for the next call). */
  y: Y;
  /** The approximate minimiser z* of g (warm start for the next call). */
  z: Y;
} {
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

/**
 * Options of {@link penaltyBilevel}: the {@link PenaltyOptions} of each hypergradient plus the outer loop.
 *
 * @example
 * ```ts
 * import { adam, type PenaltyBilevelOptions } from '@difflab/optim';
 * const o: PenaltyBilevelOptions = { steps: 50, sigma: 1e-2, optimizer: adam({ lr: 0.05 }), onStep: ({ step, outer }) => console.log(step, outer) };
 * ```
 */
export interface PenaltyBilevelOptions extends PenaltyOptions {
  /** Outer iterations (default 100). */
  steps?: number;
  /** Optimizer for the outer variables (default sgd({lr: 0.1})). */
  optimizer?: GradientTransformation;
  /** Called after every outer step with the outer loss f(x, y_σ). */
  onStep?: (info: { step: number; outer: number; x: unknown }) => void;
}

/**
 * First-order penalty method for bilevel problems `min_x f(x, y*(x))`, `y*(x) ∈ argmin_y g(x, y)`
 * (Kwon et al., ICML 2024): outer optimizer steps along {@link penaltyHypergradient} with
 * warm-started inner variables.
 *
 * @param outer - f(y, x).
 * @param inner - g(y, x).
 * @param x0 - Initial outer variables.
 * @param y0 - Initial inner variables (also the start of z).
 * @param opts - See {@link PenaltyBilevelOptions}.
 * @returns The final x, y, z and the outer loss before each step.
 * @throws {ValueError} for invalid options or an outer optimizer that needs the closure form.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { penaltyBilevel, sgd } from '@difflab/optim';
 * const inner = (y: Tensor, x: Tensor) => y.sub(x).square().sum();
 * const outer = (y: Tensor, _x: Tensor) => y.sub(3).square().sum();
 * const x0 = tensor([0], { dtype: 'float64' });
 * const r = penaltyBilevel(outer, inner, x0, x0, { steps: 30, sigma: 1e-2, innerSteps: 50, optimizer: sgd({ lr: 0.2 }) });
 * r.x.item(); // about 3
 * ```
 */
export function penaltyBilevel<Y, X>(
  outer: BilevelLoss<Y, X>,
  inner: BilevelLoss<Y, X>,
  x0: X,
  y0: Y,
  opts: PenaltyBilevelOptions = {},
): {
  /** The final outer variables. */
  x: X;
  /** The final y_σ. */
  y: Y;
  /** The final z*. */
  z: Y;
  /** Outer loss f(x, y_σ) before each step. */
  history: number[];
} {
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
