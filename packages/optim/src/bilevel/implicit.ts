import { ValueError, grad, hvp, type Tensor } from '@difflab/tensor';
import { num, paramLeaves, treeAxpy, treeDot, treeScale, treeZerosLike } from '../core/tree-utils.js';
import { checkInteger, checkNonNegative, checkPositive } from '../core/validate.js';

/**
 * A loss of the inner parameters `w` and the hyper-parameters `h` (both pytrees), as the bilevel
 * tools take the inner objective g(w, h) and the outer objective F(w, h).
 *
 * @example
 * ```ts
 * import type { Tensor } from '@difflab/tensor';
 * import type { BilevelLoss } from '@difflab/optim';
 * // ridge regression's training loss with a learnable log-penalty h
 * const inner: BilevelLoss<Tensor, Tensor> = (w, h) => w.sub(1).square().sum().add(h.exp().mul(w.square().sum()));
 * ```
 */
export type BilevelLoss<W, H> = (w: W, h: H) => Tensor;

/**
 * Options of {@link implicitHypergradient}.
 *
 * @example
 * ```ts
 * import type { ImplicitOptions } from '@difflab/optim';
 * const cg: ImplicitOptions = { method: 'cg', iters: 50, tol: 1e-8 };
 * const neumann: ImplicitOptions = { method: 'neumann', iters: 20, alpha: 0.05 };
 * ```
 */
export interface ImplicitOptions {
  /** Linear solver for H_ww v = ∂_w F: conjugate gradients (default) or a truncated Neumann series. */
  method?: 'cg' | 'neumann';
  /** CG iterations or Neumann terms (default 100). */
  iters?: number;
  /** Neumann step: v = alpha Σ_k (I - alpha H)^k b; needs alpha < 2 / λ_max(H) (default 0.1). */
  alpha?: number;
  /** CG stops when the residual norm falls below tol · ||b|| (default 1e-10). */
  tol?: number;
}

/**
 * Result of {@link implicitHypergradient}.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { implicitHypergradient, type HypergradientResult } from '@difflab/optim';
 * const f = (w: Tensor, h: Tensor) => w.sub(h).square().sum();
 * const r: HypergradientResult<Tensor, Tensor> = implicitHypergradient(f, f, tensor([1]), tensor([1]));
 * r.iterations; // 0: dF/dw = 0 at the solution, nothing to solve
 * ```
 */
export interface HypergradientResult<W, H> {
  /** dF/dh at the inner solution. */
  hypergrad: H;
  /** The solution of H_ww v = ∂_w F (the adjoint vector). */
  v: W;
  /** CG iterations or Neumann terms used. */
  iterations: number;
}

/**
 * Solves `H x = b` for a symmetric positive definite operator given as a matrix-free product, by
 * conjugate gradients over pytrees (as `jax.scipy.sparse.linalg.cg`).
 *
 * @param Hv - The operator `v => H v`.
 * @param b - Right-hand side pytree.
 * @param opts - `iters` (default 100) and `tol`: stop when `||r|| <= tol ||b||` (default 1e-10).
 * @returns The solution, the iterations used and the final residual norm.
 * @throws {ValueError} when the operator is not positive definite along a search direction, or for invalid options.
 *
 * @example
 * ```ts
 * import { mul, tensor, type Tensor } from '@difflab/tensor';
 * import { conjugateGradient } from '@difflab/optim';
 * const Hv = (v: Tensor) => mul(v, tensor([2, 4], { dtype: 'float64' }));
 * conjugateGradient(Hv, tensor([2, 2], { dtype: 'float64' })).x.toArray(); // [1, 0.5]
 * ```
 */
export function conjugateGradient<W>(Hv: (v: W) => W, b: W, opts: { iters?: number; tol?: number } = {}): {
  /** The approximate solution. */
  x: W;
  /** CG iterations used. */
  iterations: number;
  /** Final residual norm ||b - H x||. */
  residual: number;
} {
  const iters = checkInteger('conjugateGradient', 'iters', opts.iters ?? 100, 1);
  const tol = checkNonNegative('conjugateGradient', 'tol', opts.tol ?? 1e-10);
  let x = treeZerosLike(b) as W;
  let r = b;
  let p = b;
  let rr = num(treeDot(r, r));
  const stop = tol * Math.sqrt(rr);
  let k = 0;
  while (k < iters && Math.sqrt(rr) > stop && rr > 0) {
    const Ap = Hv(p);
    const pAp = num(treeDot(p, Ap));
    if (!(pAp > 0)) throw new ValueError(`conjugateGradient: the operator is not positive definite along a search direction (pᵀAp = ${pAp})`);
    const a = rr / pAp;
    x = treeAxpy(a, p, x);
    r = treeAxpy(-a, Ap, r);
    const rrNew = num(treeDot(r, r));
    p = treeAxpy(rrNew / rr, p, r);
    rr = rrNew;
    k++;
  }
  return { x, iterations: k, residual: Math.sqrt(rr) };
}

/**
 * The truncated Neumann series `alpha Σ_{k=0}^{K} (I - alpha H)^k b` for `H⁻¹ b` (Lorraine et al.,
 * AISTATS 2020); converges when `alpha < 2 / λ_max(H)`.
 *
 * @param Hv - The operator `v => H v`.
 * @param b - Right-hand side pytree.
 * @param opts - `iters` K (default 100) and `alpha` (default 0.1).
 * @returns The approximation of `H⁻¹ b`.
 * @throws {ValueError} for a negative iters or non-positive alpha.
 *
 * @example
 * ```ts
 * import { mul, tensor, type Tensor } from '@difflab/tensor';
 * import { neumannSeries } from '@difflab/optim';
 * const Hv = (v: Tensor) => mul(v, 2);
 * neumannSeries(Hv, tensor([1]), { iters: 50, alpha: 0.25 }).item(); // about 0.5
 * ```
 */
export function neumannSeries<W>(Hv: (v: W) => W, b: W, opts: { iters?: number; alpha?: number } = {}): W {
  const iters = checkInteger('neumannSeries', 'iters', opts.iters ?? 100, 0);
  const alpha = checkPositive('neumannSeries', 'alpha', opts.alpha ?? 0.1);
  let p = b;
  let acc = b;
  for (let k = 0; k < iters; k++) {
    p = treeAxpy(-alpha, Hv(p), p);
    acc = treeAxpy(1, p, acc);
  }
  return treeScale(acc, alpha);
}

/**
 * Implicit-function-theorem hypergradient of `F(w*(h), h)` where `w*(h) = argmin_w g(w, h)`
 * (Pedregosa, ICML 2016; Lorraine et al., AISTATS 2020):
 * `dF/dh = ∂_h F − ∂²_{h w} g · v` with `H_ww v = ∂_w F`.
 *
 * `v` comes from CG or a Neumann series over Hessian-vector products; no Hessian is formed.
 * `w` must be (close to) the inner minimiser for the result to be the true hypergradient.
 *
 * @param innerLoss - g(w, h), minimised over w.
 * @param outerLoss - F(w, h).
 * @param w - The (approximate) inner solution.
 * @param hyper - The hyper-parameters h.
 * @param opts - See {@link ImplicitOptions}.
 * @returns The hypergradient (h-shaped), the adjoint vector and the solver iterations.
 * @throws {ValueError} for an unknown method, empty pytrees, or a non-positive-definite inner Hessian (CG).
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { implicitHypergradient } from '@difflab/optim';
 * const inner = (w: Tensor, h: Tensor) => w.sub(h).square().sum(); // w*(h) = h
 * const outer = (w: Tensor, _h: Tensor) => w.sub(3).square().sum();
 * const h = tensor([1], { dtype: 'float64' });
 * implicitHypergradient(inner, outer, h, h).hypergrad.toArray(); // [-4]: d/dh (h - 3)^2
 * ```
 */
export function implicitHypergradient<W, H>(
  innerLoss: BilevelLoss<W, H>,
  outerLoss: BilevelLoss<W, H>,
  w: W,
  hyper: H,
  opts: ImplicitOptions = {},
): HypergradientResult<W, H> {
  const name = 'implicitHypergradient';
  paramLeaves(name, w);
  paramLeaves(name, hyper);
  const method = opts.method ?? 'cg';
  if (method !== 'cg' && method !== 'neumann') throw new ValueError(`${name}: method must be 'cg' or 'neumann', got ${String(method)}`);
  const [dFdw, dFdh] = grad(outerLoss, { argnums: [0, 1] })(w, hyper) as [W, H];
  const Hv = (u: W) => hvp((ww: W) => innerLoss(ww, hyper), [w], [u]) as W;
  let v: W;
  let iterations: number;
  if (method === 'cg') {
    const r = conjugateGradient(Hv, dFdw, { iters: opts.iters ?? 100, tol: opts.tol ?? 1e-10 });
    v = r.x;
    iterations = r.iterations;
  } else {
    iterations = opts.iters ?? 100;
    v = neumannSeries(Hv, dFdw, { iters: iterations, alpha: opts.alpha ?? 0.1 });
  }
  // ∂_h (∂_w g(w, h) · v) with v held fixed: the mixed second derivative applied to v.
  const mixed = grad((h: H) => treeDot(grad(innerLoss, { argnums: 0 })(w, h), v))(hyper) as H;
  const hypergrad = treeAxpy(-1, mixed, dFdh) as H;
  return { hypergrad, v, iterations };
}
