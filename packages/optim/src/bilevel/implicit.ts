import { ValueError, grad, hvp, type Tensor } from '@difflab/tensor';
import { num, paramLeaves, treeAxpy, treeDot, treeScale, treeZerosLike } from '../core/tree-utils.js';
import { checkInteger, checkNonNegative, checkPositive } from '../core/validate.js';

/** A loss of the inner parameters w and the hyper-parameters h (both pytrees). */
export type BilevelLoss<W, H> = (w: W, h: H) => Tensor;

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

export interface HypergradientResult<W, H> {
  /** dF/dh at the inner solution. */
  hypergrad: H;
  /** The solution of H_ww v = ∂_w F (the adjoint vector). */
  v: W;
  iterations: number;
}

/** Solves H v = b for a symmetric positive definite operator by conjugate gradients (pytrees). */
export function conjugateGradient<W>(Hv: (v: W) => W, b: W, opts: { iters?: number; tol?: number } = {}): { x: W; iterations: number; residual: number } {
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

/** v = alpha Σ_{k=0}^{K} (I - alpha H)^k b, the truncated Neumann series for H⁻¹ b (Lorraine et al. 2020). */
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
 * Implicit-function-theorem hypergradient of F(w*(h), h) where w*(h) = argmin_w g(w, h)
 * (Pedregosa 2016; Lorraine et al. 2020):
 *   dF/dh = ∂_h F − ∂²_{h w} g · v,   H_ww v = ∂_w F,
 * with v from CG or a Neumann series over Hessian-vector products; no Hessian is formed.
 * `w` must be (close to) the inner minimiser for the result to be the true hypergradient.
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
