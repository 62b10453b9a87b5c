import { integer } from '../internal/checks.js';

/**
 * Nodes and weights of a quadrature rule.
 *
 * @example
 * ```ts
 * import { gaussHermite, type Quadrature } from '@difflab/pde';
 * const q: Quadrature = gaussHermite(20);
 * const integral = q.nodes.reduce((s, x, i) => s + q.weights[i]! * x * x, 0); // ∫ x² e^{−x²} dx = √π / 2
 * ```
 */
export interface Quadrature {
  /** Nodes x_k, increasing. */
  nodes: Float64Array;
  /** Weights w_k: Σ w_k f(x_k) ≈ ∫ f(x) e^{−x²} dx. */
  weights: Float64Array;
}

/** Orthonormal Hermite recurrence at x: returns [p_n(x), p_n'(x)] (no overflow for moderate x). */
function hermite(n: number, x: number): [number, number] {
  let p1 = Math.pow(Math.PI, -0.25);
  let p2 = 0;
  for (let j = 1; j <= n; j++) {
    const p3 = p2;
    p2 = p1;
    p1 = x * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
  }
  return [p1, Math.sqrt(2 * n) * p2];
}

/**
 * Number of eigenvalues below x of the Jacobi matrix of the Hermite weight (zero diagonal,
 * off-diagonal √(k/2)), by the Sturm sequence of the LDLᵀ pivots.
 */
function countBelow(n: number, x: number): number {
  let count = 0;
  let d = -x;
  if (d < 0) count++;
  for (let k = 1; k < n; k++) {
    const pivot = d === 0 ? 1e-300 : d;
    d = -x - k / 2 / pivot;
    if (d < 0) count++;
  }
  return count;
}

/**
 * Gauss–Hermite rule for ∫ f(x) e^{-x²} dx ≈ Σ wᵢ f(xᵢ) with n nodes (exact for polynomials of
 * degree ≤ 2n−1), in ascending order like `numpy.polynomial.hermite.hermgauss`. Each node is
 * bracketed by bisection on the Sturm count of the Jacobi matrix (Golub–Welsch's eigenproblem,
 * which never misses or repeats a root), polished by Newton on the orthonormal recurrence; the
 * weight is 2 / p_n'(x)², accurate even where it is tiny.
 *
 * @example
 * ```ts
 * import { gaussHermite } from '@difflab/pde';
 * const { nodes, weights } = gaussHermite(3); // nodes 0, ±√(3/2); weights sum to √π
 * ```
 */
export function gaussHermite(n: number): Quadrature {
  integer('gaussHermite', 'n', n, 1);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const bound = Math.sqrt(2 * n + 1) + 1;
  for (let k = Math.floor(n / 2); k < n; k++) {
    // The (k+1)-th smallest eigenvalue lies where the count steps from k to k+1.
    let lo = k === Math.floor(n / 2) && n % 2 === 1 ? -1e-300 : 0;
    let hi = bound;
    for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(hi)); it++) {
      const mid = 0.5 * (lo + hi);
      if (countBelow(n, mid) > k) hi = mid;
      else lo = mid;
    }
    let z = 0.5 * (lo + hi);
    for (let it = 0; it < 3; it++) {
      const [p, dp] = hermite(n, z);
      const znew = z - p / dp;
      if (znew >= lo - 1e-12 && znew <= hi + 1e-12) z = znew;
    }
    if (n % 2 === 1 && k === (n - 1) / 2) z = 0;
    const dp = hermite(n, z)[1];
    nodes[k] = z;
    nodes[n - 1 - k] = -z;
    weights[k] = weights[n - 1 - k] = 2 / (dp * dp);
  }
  return { nodes, weights };
}
