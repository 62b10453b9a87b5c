import { Tensor, ValueError, fromTypedArray } from '@difflab/tensor';
import { integer, pointRows, positive } from '../internal/checks.js';
import { gaussHermite } from './gauss-hermite.js';

/**
 * Options of {@link burgersColeHopf}.
 *
 * @example
 * ```ts
 * import { burgersColeHopf, type ColeHopfOptions } from '@difflab/pde';
 * const opts: ColeHopfOptions = { nu: 0.05, quadraturePoints: 100 };
 * const u = burgersColeHopf([[0.5, 0.5]], opts);
 * ```
 */
export interface ColeHopfOptions {
  /** Viscosity ν (default 0.01/π, the standard benchmark). */
  nu?: number;
  /** Gauss–Hermite nodes (default 200). */
  quadraturePoints?: number;
  /** dtype of the result (default: the points' dtype if a float32 tensor, else float64). */
  dtype?: 'float32' | 'float64';
}

/**
 * Exact solution of the viscous Burgers benchmark u_t + u u_x = ν u_xx, u(x, 0) = −sin(πx),
 * u(±1, t) = 0, through the Cole–Hopf transform:
 *
 *   u(x, t) = −∫ sin(π(x−η)) f(x−η) e^{−η²/4νt} dη / ∫ f(x−η) e^{−η²/4νt} dη,
 *   f(y) = exp(−cos(πy) / (2πν)),
 *
 * with both integrals by Gauss–Hermite quadrature after η = √(4νt) z (Basdevant et al. 1986).
 * The exponents are combined in log space, so small ν does not overflow. `points` is [n, 2] with
 * rows (x, t), t ≥ 0; returns u as [n].
 *
 * @example
 * ```ts
 * import { burgersColeHopf } from '@difflab/pde';
 * // u at x = 0.5 for t = 0 and t = 1 (ν = 0.01/π):
 * const u = burgersColeHopf([[0.5, 0], [0.5, 1]]).dataSync(); // [-1, ≈ -0.376]
 * ```
 */
export function burgersColeHopf(points: Tensor | readonly (readonly number[])[], opts: ColeHopfOptions = {}): Tensor {
  const op = 'burgersColeHopf';
  const nu = positive(op, 'nu', opts.nu ?? 0.01 / Math.PI);
  const q = integer(op, 'quadraturePoints', opts.quadraturePoints ?? 200, 2);
  const { data, n } = pointRows(op, points, 2);
  const { nodes, weights } = gaussHermite(q);
  const logw = weights.map(Math.log);
  const out = new Float64Array(n);
  const c = 1 / (2 * Math.PI * nu);
  const e = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    const x = data[2 * i]!;
    const t = data[2 * i + 1]!;
    if (t < 0) throw new ValueError(`${op}: time must be non-negative, got t = ${t} at point ${i}`);
    if (t === 0) {
      out[i] = -Math.sin(Math.PI * x);
      continue;
    }
    const s = Math.sqrt(4 * nu * t);
    let mx = -Infinity;
    for (let k = 0; k < q; k++) {
      e[k] = logw[k]! - c * Math.cos(Math.PI * (x - s * nodes[k]!));
      if (e[k]! > mx) mx = e[k]!;
    }
    let num = 0;
    let den = 0;
    for (let k = 0; k < q; k++) {
      const w = Math.exp(e[k]! - mx);
      num += w * Math.sin(Math.PI * (x - s * nodes[k]!));
      den += w;
    }
    out[i] = -num / den;
  }
  const dtype = opts.dtype ?? (points instanceof Tensor && points.dtype === 'float32' ? 'float32' : 'float64');
  return fromTypedArray(dtype === 'float64' ? out : Float32Array.from(out), [n], { dtype });
}
