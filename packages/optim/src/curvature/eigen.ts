import { ValueError, div, tree } from '@difflab/tensor';
import { createRng } from '../core/prng.js';
import { randomLike } from '../core/random-tree.js';
import { flat, globalNorm, num, treeAxpy, treeDot, treeScale, treeZerosLike } from '../core/tree-utils.js';
import type { LossFn } from '../core/types.js';
import { checkInteger, checkNonNegative } from '../core/validate.js';
import { symEig } from '../internal/host-linalg.js';
import { hessianVectorProduct } from './hvp.js';


/**
 * Options of the Hessian eigenvalue tools.
 *
 * @example
 * ```ts
 * import type { EigenOptions } from '@difflab/optim';
 * const o: EigenOptions = { method: 'power', iters: 200, tol: 1e-6, seed: 1 };
 * ```
 */
export interface EigenOptions {
  /** 'lanczos' (default) or 'power'. */
  method?: 'lanczos' | 'power';
  /** Power iterations, or Lanczos steps (default 100 / min(n, 50)). */
  iters?: number;
  /** Power iteration stops when the Rayleigh quotient changes by less than tol·|λ| (default 1e-8). */
  tol?: number;
  /** Seed of the random start vector (default 0). */
  seed?: number;
}

/**
 * An eigenpair estimate: the eigenvalue, its unit eigenvector (params-shaped) and the number of
 * HVP iterations used.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { hessianTopEigenvalue, type EigenResult } from '@difflab/optim';
 * const r: EigenResult<{ w: Tensor }> = hessianTopEigenvalue((p) => p.w.square().sum(), { w: tensor([1, 2]) });
 * r.value; // 2 (up to rounding)
 * ```
 */
export interface EigenResult<P> {
  /** The eigenvalue estimate. */
  value: number;
  /** Unit-norm eigenvector estimate, with the structure of the params. */
  vector: P;
  /** Hessian-vector products (iterations) used. */
  iterations: number;
}

const normalize = <P>(v: P): P => {
  const n = globalNorm(flat(v).leaves);
  return tree.map((x) => div(x, n), v) as P;
};

/**
 * Dominant Hessian eigenpair by power iteration on Hessian-vector products (the PyHessian
 * approach). Converges to the eigenvalue of largest magnitude (with its sign) at a rate |λ2/λ1|.
 *
 * @param lossFn - Scalar loss of the params.
 * @param params - Where the Hessian is taken.
 * @param opts - `iters` (default 100), `tol` (default 1e-8), `seed` of the start vector (default 0).
 * @returns The eigenpair estimate.
 * @throws {ValueError} for an invalid iters or tol.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { hessianPowerIteration } from '@difflab/optim';
 * const loss = (p: { w: Tensor }) => p.w.pow(2).mul(tensor([1, 3], { dtype: 'float64' })).sum(); // H = diag(2, 6)
 * const r = hessianPowerIteration(loss, { w: tensor([0, 0], { dtype: 'float64' }) }, { iters: 200 });
 * Math.round(r.value); // 6
 * ```
 */
export function hessianPowerIteration<P>(lossFn: LossFn<P>, params: P, opts: EigenOptions = {}): EigenResult<P> {
  const iters = checkInteger('hessianPowerIteration', 'iters', opts.iters ?? 100, 1);
  const tol = checkNonNegative('hessianPowerIteration', 'tol', opts.tol ?? 1e-8);
  let v = normalize(randomLike(params, createRng(opts.seed ?? 0)));
  let lam = 0;
  for (let k = 1; k <= iters; k++) {
    const hv = hessianVectorProduct(lossFn, params, v);
    const next = num(treeDot(v, hv));
    const n = globalNorm(flat(hv).leaves);
    if (num(n) === 0) return { value: 0, vector: v, iterations: k };
    v = tree.map((x) => div(x, n), hv) as P;
    if (k > 1 && Math.abs(next - lam) <= tol * Math.abs(next)) return { value: next, vector: v, iterations: k };
    lam = next;
  }
  return { value: lam, vector: v, iterations: iters };
}

/**
 * Result of {@link hessianLanczos}: Ritz values (descending), their params-shaped Ritz vectors and
 * the number of Lanczos steps taken.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { hessianLanczos, type LanczosResult } from '@difflab/optim';
 * const r: LanczosResult<{ w: Tensor }> = hessianLanczos((p) => p.w.square().sum(), { w: tensor([1, 2]) }, { k: 1 });
 * r.vectors.length; // 1
 * ```
 */
export interface LanczosResult<P> {
  /** Ritz values, descending. */
  values: number[];
  /** Ritz vectors for `values` (params-shaped). */
  vectors: P[];
  /** Lanczos steps (Hessian-vector products) taken. */
  iterations: number;
}

/**
 * Lanczos tridiagonalisation of the Hessian with full reorthogonalisation.
 *
 * `iters` HVPs give Ritz values that converge first at both ends of the spectrum (Ghorbani et al.
 * 2019 use it for Hessian spectra of networks). Exact once `iters` reaches the number of
 * parameters; stops early when the Krylov space is exhausted.
 *
 * @param lossFn - Scalar loss of the params.
 * @param params - Where the Hessian is taken.
 * @param opts - {@link EigenOptions} (`iters` default min(n, 50), `seed`) plus `k`: how many of the
 * largest Ritz pairs to return (default all).
 * @returns The Ritz values (descending) and vectors.
 * @throws {ValueError} for an invalid iters.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { hessianLanczos } from '@difflab/optim';
 * const d = tensor([1, -2, 3], { dtype: 'float64' });
 * const loss = (p: { w: Tensor }) => p.w.square().mul(d).sum(); // H = diag(2, -4, 6)
 * hessianLanczos(loss, { w: tensor([0, 0, 0], { dtype: 'float64' }) }).values.map(Math.round); // [6, 2, -4]
 * ```
 */
export function hessianLanczos<P>(lossFn: LossFn<P>, params: P, opts: EigenOptions & { k?: number } = {}): LanczosResult<P> {
  const name = 'hessianLanczos';
  const n = flat(params).leaves.reduce((s, l) => s + l.size, 0);
  const m = Math.min(checkInteger(name, 'iters', opts.iters ?? Math.min(n, 50), 1), n);
  const Q: P[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = normalize(randomLike(params, createRng(opts.seed ?? 0)));
  for (let j = 0; j < m; j++) {
    Q.push(q);
    let w = hessianVectorProduct(lossFn, params, q);
    const a = num(treeDot(q, w));
    alpha.push(a);
    w = treeAxpy(-a, q, w);
    if (j > 0) w = treeAxpy(-beta[j - 1]!, Q[j - 1], w);
    // Full reorthogonalisation (twice is enough) keeps the basis orthogonal in floating point.
    for (let pass = 0; pass < 2; pass++) for (const qi of Q) w = treeAxpy(-num(treeDot(qi, w)), qi, w);
    const b = num(globalNorm(flat(w).leaves));
    if (j === m - 1 || b < 1e-12 * Math.max(1, Math.abs(a))) break;
    beta.push(b);
    q = treeScale(w, 1 / b);
  }
  const k = alpha.length;
  const T = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    T[i * k + i] = alpha[i]!;
    if (i + 1 < k) T[i * k + i + 1] = T[(i + 1) * k + i] = beta[i]!;
  }
  const { values, vectors } = symEig(T, k);
  const want = Math.min(opts.k ?? k, k);
  const outVals: number[] = [];
  const outVecs: P[] = [];
  for (let r = k - 1; r >= k - want; r--) {
    outVals.push(values[r]!);
    let vec = treeZerosLike(params) as P;
    for (let i = 0; i < k; i++) vec = treeAxpy(vectors[i * k + r]!, Q[i], vec);
    outVecs.push(vec);
  }
  return { values: outVals, vectors: outVecs, iterations: k };
}

/**
 * The largest (algebraic) Hessian eigenvalue and its eigenvector, by Lanczos (default) or power
 * iteration (which finds the eigenvalue of largest magnitude: the same when the Hessian's top
 * eigenvalue dominates, as near a minimum). The sharpness measure of edge-of-stability studies.
 *
 * @param lossFn - Scalar loss of the params.
 * @param params - Where the Hessian is taken.
 * @param opts - See {@link EigenOptions}.
 * @returns The eigenpair estimate.
 * @throws {ValueError} for an unknown method or invalid counts.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { hessianTopEigenvalue } from '@difflab/optim';
 * const loss = (p: { w: Tensor }) => p.w.pow(4).sum(); // H = diag(12 w^2)
 * Math.round(hessianTopEigenvalue(loss, { w: tensor([1, 0.5], { dtype: 'float64' }) }).value); // 12
 * ```
 */
export function hessianTopEigenvalue<P>(lossFn: LossFn<P>, params: P, opts: EigenOptions = {}): EigenResult<P> {
  const method = opts.method ?? 'lanczos';
  if (method === 'power') return hessianPowerIteration(lossFn, params, opts);
  if (method !== 'lanczos') throw new ValueError(`hessianTopEigenvalue: method must be 'lanczos' or 'power', got ${String(method)}`);
  const r = hessianLanczos(lossFn, params, { ...opts, k: 1 });
  return { value: r.values[0]!, vector: r.vectors[0]!, iterations: r.iterations };
}

/**
 * The top-k Hessian eigenvalues (descending) by Lanczos.
 *
 * @param lossFn - Scalar loss of the params.
 * @param params - Where the Hessian is taken.
 * @param opts - {@link EigenOptions} plus `k` (default: every Ritz value found).
 * @returns The eigenvalue estimates, largest first.
 * @throws {ValueError} for invalid counts.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { hessianEigenvalues } from '@difflab/optim';
 * const d = tensor([1, 2, 3], { dtype: 'float64' });
 * const loss = (p: { w: Tensor }) => p.w.square().mul(d).sum();
 * hessianEigenvalues(loss, { w: tensor([0, 0, 0], { dtype: 'float64' }) }, { k: 2 }).map(Math.round); // [6, 4]
 * ```
 */
export function hessianEigenvalues<P>(lossFn: LossFn<P>, params: P, opts: EigenOptions & { k?: number } = {}): number[] {
  return hessianLanczos(lossFn, params, opts).values;
}

