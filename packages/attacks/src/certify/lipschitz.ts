import {
  ShapeError,
  ValueError,
  abs,
  broadcastTo,
  eye,
  fmtShape,
  matmul,
  maximum,
  minimum,
  sum,
  type Tensor,
} from '@difflab/tensor';
import { crownPreActivations } from './crown.js';
import type { BallOptions } from './ibp.js';
import { affineSegments, checkNetwork, type Network } from './network.js';

/**
 * Options of {@link localLipschitz}.
 *
 * @example
 * ```ts
 * import type { LipschitzOptions } from '@difflab/attacks';
 * const opts: LipschitzOptions = { norm: 'l2', bounds: [0, 1] };
 * ```
 */
export interface LipschitzOptions extends BallOptions {
  /** Input norm: 'linf' (default; the bound is on ||grad||_1) or 'l2' (on ||grad||_2). */
  norm?: 'linf' | 'l2';
  /** Bound the Lipschitz constants of C z instead of the logits; [S, out] or [N, S, out]. */
  spec?: Tensor;
}

function specFor(op: string, spec: Tensor | undefined, n: number, out: number, dtype: 'float32' | 'float64'): Tensor {
  if (!spec) return broadcastTo(eye(out, out, { dtype }).expandDims(0), [n, out, out]);
  const ok =
    (spec.ndim === 2 && spec.shape[1] === out) || (spec.ndim === 3 && spec.shape[0] === n && spec.shape[2] === out);
  if (!ok) throw new ShapeError(`${op}: spec must be [S, ${out}] or [${n}, S, ${out}], got ${fmtShape(spec.shape)}`);
  const s = spec.dtype === dtype ? spec : spec.astype(dtype);
  return s.ndim === 2 ? broadcastTo(s.expandDims(0), [n, s.shape[0]!, out]) : s;
}

/**
 * Upper bounds on the local Lipschitz constant of every output (or spec row) over the L-inf ball
 * around each x, for ReLU networks: the Clarke Jacobian W_L D_{L-1} ... D_1 W_1 is enclosed in an
 * interval matrix, with each D_k = diag(relu') in {0}, {1} or [0, 1] according to the sign of the
 * CROWN pre-activation bounds, and the dual norm of the largest |entry| is returned: sum |J| (L-inf
 * inputs) or ||J||_2 (L2). Returns [N, out] (or [N, S]).
 *
 * A margin whose value exceeds eps times the Lipschitz bound of its gradient is certified, so these
 * bounds turn into robustness radii.
 *
 * @param net - a ReLU network.
 * @param x - inputs `[N, ...]`.
 * @param eps - L-inf radius of the region.
 * @param opts - see {@link LipschitzOptions}.
 * @returns Bounds `[N, out]` (or `[N, S]` with `spec`).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { localLipschitz, type Network } from '@difflab/attacks';
 * const net: Network = [{ type: 'linear', w: tensor([[1, -1], [-1, 1]]) }, { type: 'relu' }, { type: 'linear', w: tensor([[1, 0], [0, 1]]) }];
 * localLipschitz(net, tensor([[0.2, 0.6]]), 0.05); // tensor([[0, 2]]): output 0 is constant (ReLU off) there
 * ```
 */
export function localLipschitz(net: Network, x: Tensor, eps: number, opts: LipschitzOptions = {}): Tensor {
  const op = 'localLipschitz';
  const norm = opts.norm ?? 'linf';
  if (norm !== 'linf' && norm !== 'l2')
    throw new ValueError(`${op}: norm must be 'linf' or 'l2', got ${JSON.stringify(norm)}`);
  const { maps, pre } = crownPreActivations(net, x, eps, opts);
  const n = x.shape[0]!;
  const dtype = x.dtype as 'float32' | 'float64';
  const L = maps.length;
  const C = specFor(op, opts.spec, n, maps[L - 1]!.w.shape[0]!, dtype);
  let lo = matmul(C, maps[L - 1]!.w);
  let hi = lo;
  for (let k = L - 2; k >= 0; k--) {
    const dl = pre[k]!.lower.greater(0).astype(dtype).expandDims(1);
    const du = pre[k]!.upper.greater(0).astype(dtype).expandDims(1);
    // D >= 0, so the extremes of P d over d in [dl, du] sit at the ends.
    const nlo = minimum(lo.mul(dl), lo.mul(du));
    const nhi = maximum(hi.mul(dl), hi.mul(du));
    const c = nlo.add(nhi).mul(0.5);
    const r = nhi.sub(nlo).mul(0.5);
    const w = maps[k]!.w;
    const cc = matmul(c, w);
    const rr = matmul(r, abs(w));
    lo = cc.sub(rr);
    hi = cc.add(rr);
  }
  const m = maximum(abs(lo), abs(hi));
  return norm === 'linf' ? sum(m, -1) : sum(m.mul(m), -1).sqrt();
}

/** Largest singular value of w by power iteration on w^T w (host, float64). */
function spectralNorm(w: Tensor): number {
  const [r, c] = w.shape as [number, number];
  const a = Float64Array.from(w.dataSync());
  let v = new Float64Array(c).fill(1 / Math.sqrt(c));
  let s = 0;
  for (let it = 0; it < 500; it++) {
    const u = new Float64Array(r);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) u[i]! += a[i * c + j]! * v[j]!;
    const nv = new Float64Array(c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) nv[j]! += a[i * c + j]! * u[i]!;
    const nn = Math.sqrt(nv.reduce((acc, t) => acc + t * t, 0));
    if (nn === 0) return 0;
    const next = Math.sqrt(nn);
    v = nv.map((t) => t / nn);
    if (Math.abs(next - s) <= 1e-12 * next) {
      s = next;
      break;
    }
    s = next;
  }
  // Power iteration approaches from below; a small relative margin keeps the result an upper bound.
  return s * (1 + 1e-6);
}

/**
 * Global Lipschitz upper bounds of each output for all inputs: the dual norm of the output's row of
 * the last map times the product of the earlier maps' operator norms (row-sum norm for L-inf inputs,
 * spectral norm for L2); 1-Lipschitz activations (ReLU, tanh, sigmoid) are skipped. `inShape` is
 * one example's input shape. Returns a vector [out].
 *
 * @param net - the network.
 * @param inShape - one example's input shape (no batch axis).
 * @param opts - input norm (default `'linf'`) and dtype of the computation.
 * @returns Bounds, one per output.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { globalLipschitz, type Network } from '@difflab/attacks';
 * const net: Network = [{ type: 'linear', w: tensor([[1, -1], [-1, 1]]) }, { type: 'relu' }, { type: 'linear', w: tensor([[1, 0], [0, 1]]) }];
 * globalLipschitz(net, [2]); // Float64Array [2, 2]
 * ```
 */
export function globalLipschitz(
  net: Network,
  inShape: readonly number[],
  opts: { norm?: 'linf' | 'l2'; dtype?: 'float32' | 'float64' } = {},
): Float64Array {
  const op = 'globalLipschitz';
  const norm = opts.norm ?? 'linf';
  if (norm !== 'linf' && norm !== 'l2')
    throw new ValueError(`${op}: norm must be 'linf' or 'l2', got ${JSON.stringify(norm)}`);
  const { maps } = affineSegments(op, checkNetwork(op, net), inShape, opts.dtype ?? 'float64');
  let prod = 1;
  for (const m of maps.slice(0, -1))
    prod *= norm === 'linf' ? Math.max(...Array.from(sum(abs(m.w), 1).dataSync())) : spectralNorm(m.w);
  const last = maps[maps.length - 1]!.w;
  const rows = norm === 'linf' ? sum(abs(last), 1) : sum(last.mul(last), 1).sqrt();
  return Float64Array.from(rows.dataSync(), (v) => v * prod);
}
