import { Tensor, ValueError, cumsum, exp, fromTypedArray, matmul, mean, mul, stopGradient, sub } from '@difflab/tensor';
import { finite, hostData, integer, nonNegative } from '../internal/checks.js';

/**
 * Options of causal PINN training (see {@link CausalLoss}).
 *
 * @example
 * ```ts
 * import { pinn, pinnMlp, interval, spaceTime, timeDomain, type CausalOptions } from '@difflab/pde';
 * const domain = spaceTime(interval(0, 1), timeDomain(0, 1));
 * const causal: CausalOptions = { chunks: 16, epsilon: 1 };
 * const problem = pinn({ model: pinnMlp([2, 16, 1]), collocation: domain.sample(256), pde: (D) => D.d(1).sub(D.d2(0, 0)), causal });
 * ```
 */
export interface CausalOptions {
  /** Input coordinate holding time (default: the last). */
  timeIndex?: number;
  /** Number of time slices (default 32). */
  chunks?: number;
  /** Causality parameter ε (default 1); larger ε waits longer for early times to be fitted. */
  epsilon?: number;
  /** Time range [t0, t1] (default: the range of the collocation points). */
  timeRange?: readonly [number, number];
}

/**
 * Causal weights of Wang, Sankaran & Perdikaris (2022), "Respecting causality is all you need for
 * training PINNs": w_i = exp(−ε Σ_{k<i} L_k) for the per-slice residual losses L_0 … L_{M−1},
 * as numbers (w_0 = 1). Use them as constants (no gradient flows through them).
 *
 * @example
 * ```ts
 * import { causalWeights } from '@difflab/pde';
 * causalWeights([1, 2, 3], 0.5); // [1, e^{−0.5}, e^{−1.5}]
 * ```
 */
export function causalWeights(sliceLosses: ArrayLike<number>, epsilon: number): Float64Array {
  nonNegative('causalWeights', 'epsilon', epsilon);
  const w = new Float64Array(sliceLosses.length);
  let acc = 0;
  for (let i = 0; i < w.length; i++) {
    w[i] = Math.exp(-epsilon * acc);
    acc += finite('causalWeights', `sliceLosses[${i}]`, sliceLosses[i]);
  }
  return w;
}

/**
 * Groups collocation points into time slices and forms the causally weighted residual loss
 * mean_i w_i L_i, with L_i the mean squared residual of slice i and w_i = exp(−ε Σ_{k<i} L_k)
 * held constant (stop-gradient). Empty slices are skipped.
 *
 * @example
 * ```ts
 * import { CausalLoss } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const c = new CausalLoss(tensor([[0, 0.1], [0, 0.9]]), { chunks: 2, epsilon: 1, timeRange: [0, 1] });
 * const { loss, weights } = c.loss(tensor([[1], [4]])); // weights [1, e^{−1}]
 * ```
 */
export class CausalLoss {
  /** Number of time slices. */
  readonly chunks: number;
  /** Causality parameter ε (a training schedule may raise it). */
  epsilon: number;
  private readonly membership: Tensor;
  private readonly nonEmpty: number;

  constructor(points: Tensor, opts: CausalOptions = {}) {
    const op = 'causal';
    const [n, d] = points.shape as [number, number];
    const ti = opts.timeIndex ?? d - 1;
    if (!Number.isInteger(ti) || ti < 0 || ti >= d)
      throw new ValueError(`${op}: timeIndex ${ti} out of range for ${d} inputs`);
    this.chunks = integer(op, 'chunks', opts.chunks ?? 32, 1);
    this.epsilon = nonNegative(op, 'epsilon', opts.epsilon ?? 1);
    const x = hostData(points);
    let [t0, t1] = opts.timeRange ?? [Infinity, -Infinity];
    if (!opts.timeRange)
      for (let i = 0; i < n; i++) {
        t0 = Math.min(t0, x[i * d + ti]!);
        t1 = Math.max(t1, x[i * d + ti]!);
      }
    if (!(t1 > t0)) throw new ValueError(`${op}: the collocation points span no time (t0 = ${t0}, t1 = ${t1})`);
    const m = this.chunks;
    const counts = new Float64Array(m);
    const slot = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const s = Math.min(m - 1, Math.max(0, Math.floor(((x[i * d + ti]! - t0) / (t1 - t0)) * m)));
      slot[i] = s;
      counts[s]!++;
    }
    // Only non-empty slices get a row of the membership matrix, with entries 1 / |slice|.
    const cols = Array.from(counts, (c, k) => (c > 0 ? k : -1)).filter((k) => k >= 0);
    const colOf = new Int32Array(m).fill(-1);
    cols.forEach((k, j) => (colOf[k] = j));
    this.nonEmpty = cols.length;
    // Stored transposed, [M', N], so a slice's mean is one matmul with the residual column.
    const B = new Float64Array(n * cols.length);
    for (let i = 0; i < n; i++) B[colOf[slot[i]!]! * n + i] = 1 / counts[slot[i]!]!;
    this.membership = fromTypedArray(points.dtype === 'float64' ? B : Float32Array.from(B), [cols.length, n], {
      dtype: points.dtype,
    });
  }

  /** Per-slice mean squared residual [M'] for squared residuals r2 [N, 1]. */
  sliceLosses(r2: Tensor): Tensor {
    return matmul(this.membership, r2).reshape([this.nonEmpty]);
  }

  /** The weighted loss and the (constant) weights. */
  loss(r2: Tensor): {
    /** The causally weighted loss (scalar). */
    loss: Tensor;
    /** The weights of the non-empty slices, earliest first. */
    weights: Tensor;
  } {
    const L = this.sliceLosses(r2);
    const Ls = stopGradient(L);
    const w = stopGradient(exp(mul(sub(cumsum(Ls, 0), Ls), -this.epsilon)));
    return { loss: mean(mul(w, L)), weights: w };
  }
}
