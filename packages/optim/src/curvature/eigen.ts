import { ValueError, div, tree } from '@difflab/tensor';
import { createRng } from '../core/prng.js';
import { randomLike } from '../core/random-tree.js';
import { flat, globalNorm, num, treeAxpy, treeDot, treeScale, treeZerosLike } from '../core/tree-utils.js';
import type { LossFn } from '../core/types.js';
import { checkInteger, checkNonNegative } from '../core/validate.js';
import { symEig } from '../internal/host-linalg.js';
import { hessianVectorProduct } from './hvp.js';


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

export interface EigenResult<P> {
  value: number;
  vector: P;
  iterations: number;
}

const normalize = <P>(v: P): P => {
  const n = globalNorm(flat(v).leaves);
  return tree.map((x) => div(x, n), v) as P;
};

/**
 * Dominant Hessian eigenpair by power iteration on Hessian-vector products. Converges to the
 * eigenvalue of largest magnitude (with its sign) at a rate |λ2/λ1|.
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

export interface LanczosResult<P> {
  /** Ritz values, descending. */
  values: number[];
  /** Ritz vectors for `values` (params-shaped). */
  vectors: P[];
  iterations: number;
}

/**
 * Lanczos tridiagonalisation of the Hessian with full reorthogonalisation: `iters` HVPs give
 * Ritz values that converge first at both ends of the spectrum (Ghorbani et al. 2019 use it
 * for Hessian spectra of networks). Exact once `iters` reaches the number of parameters.
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
 * eigenvalue dominates, as near a minimum).
 */
export function hessianTopEigenvalue<P>(lossFn: LossFn<P>, params: P, opts: EigenOptions = {}): EigenResult<P> {
  const method = opts.method ?? 'lanczos';
  if (method === 'power') return hessianPowerIteration(lossFn, params, opts);
  if (method !== 'lanczos') throw new ValueError(`hessianTopEigenvalue: method must be 'lanczos' or 'power', got ${String(method)}`);
  const r = hessianLanczos(lossFn, params, { ...opts, k: 1 });
  return { value: r.values[0]!, vector: r.vectors[0]!, iterations: r.iterations };
}

/** Top-k Hessian eigenvalues (descending) by Lanczos. */
export function hessianEigenvalues<P>(lossFn: LossFn<P>, params: P, opts: EigenOptions & { k?: number } = {}): number[] {
  return hessianLanczos(lossFn, params, opts).values;
}

