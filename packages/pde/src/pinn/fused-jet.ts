import {
  ShapeError,
  Tensor,
  ValueError,
  customGrad,
  fmtShape,
  fromTypedArray,
  matmul,
  swapAxes,
  type DenseParams,
} from '@difflab/tensor';
import type { Pair } from './jet.js';

type Arr = Float32Array | Float64Array;

/** f and its first three derivatives at z, given a = f(z) where that helps (tanh). */
interface ScalarAct {
  /** Writes f, f′, f″, f‴ of z into out[0..3]. */
  eval(z: number, out: Float64Array): void;
}

const TANH: ScalarAct = {
  eval(z, o) {
    const t = Math.tanh(z);
    const s = 1 - t * t;
    o[0] = t;
    o[1] = s;
    o[2] = -2 * t * s;
    o[3] = -2 * s * (1 - 3 * t * t);
  },
};

const SIN: ScalarAct = {
  eval(z, o) {
    const s = Math.sin(z);
    const c = Math.cos(z);
    o[0] = s;
    o[1] = c;
    o[2] = -s;
    o[3] = -c;
  },
};

export const FUSED_ACTIVATIONS: Record<string, ScalarAct> = { tanh: TANH, sin: SIN };

function hostMatmul(a: Arr, ar: number, ac: number, b: Tensor, dtype: 'float32' | 'float64', transposeB: boolean): Arr {
  const A = fromTypedArray(a, [ar, ac], { dtype });
  return matmul(A, transposeB ? swapAxes(b, 0, 1) : b).dataSync() as Arr;
}

/**
 * Second-order Taylor jets through a dense network with one activation, as a single fused
 * operation: the input jet rows [K, N, d] (values, d first-derivative rows, P second-derivative
 * rows for `pairs`) map to the output rows [K, N, m]. Each layer is one matrix product over all
 * K·N rows plus one pass that applies f, f′, f″ by the chain rule; the reverse pass is written out
 * by hand (it needs f‴), so an optimizer step costs a few matrix products per layer and no
 * per-op graph. Gradients flow to the weights and the input rows (first order only; use the
 * unfused jet for higher-order derivatives with respect to the weights).
 */
export function fusedMlpJet(
  params: readonly DenseParams[],
  input: Tensor,
  dim: number,
  pairs: readonly Pair[],
  activation: string,
): Tensor {
  const act = FUSED_ACTIVATIONS[activation];
  if (!act) throw new ValueError(`fusedMlpJet: no fused kernel for activation '${activation}'`);
  const K = 1 + dim + pairs.length;
  if (input.ndim !== 3 || input.shape[0] !== K)
    throw new ShapeError(`fusedMlpJet: input rows must be [${K}, N, d], got ${fmtShape(input.shape)}`);
  const dtype = input.dtype as 'float32' | 'float64';
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new ValueError(`fusedMlpJet: float input required, got ${dtype}`);
  const N = input.shape[1]!;
  const L = params.length;
  const widths = [input.shape[2]!, ...params.map((p) => p.w.shape[0]!)];
  params.forEach((p, l) => {
    if (p.w.ndim !== 2 || p.w.shape[1] !== widths[l] || p.b.shape.join() !== String(widths[l + 1]))
      throw new ShapeError(
        `fusedMlpJet: layer ${l} has w ${fmtShape(p.w.shape)}, b ${fmtShape(p.b.shape)} for ${widths[l]} inputs`,
      );
  });
  const Arr = dtype === 'float64' ? Float64Array : Float32Array;
  const pi = pairs.map((p) => p[0]);
  const pj = pairs.map((p) => p[1]);
  // Saved for the reverse pass: each layer's input rows H and pre-activations Z.
  const Hs: Arr[] = [];
  const Zs: Arr[] = [];

  const forward = (x: Tensor, ...wb: Tensor[]): Tensor => {
    Hs.length = 0;
    Zs.length = 0;
    let H = x.dataSync() as Arr;
    const tmp = new Float64Array(4);
    for (let l = 0; l < L; l++) {
      const w = wb[2 * l]!;
      const b = wb[2 * l + 1]!.dataSync() as Arr;
      const m = widths[l + 1]!;
      const Z = hostMatmul(H, K * N, widths[l]!, w, dtype, true);
      for (let n = 0; n < N; n++) for (let o = 0; o < m; o++) Z[n * m + o] = Z[n * m + o]! + b[o]!;
      Hs.push(H);
      Zs.push(Z);
      if (l === L - 1) {
        H = Z;
        break;
      }
      const A = new Arr(K * N * m);
      const NM = N * m;
      for (let e = 0; e < NM; e++) {
        act.eval(Z[e]!, tmp);
        const f1 = tmp[1]!;
        const f2 = tmp[2]!;
        A[e] = tmp[0]!;
        for (let i = 0; i < dim; i++) A[(1 + i) * NM + e] = f1 * Z[(1 + i) * NM + e]!;
        for (let k = 0; k < pairs.length; k++) {
          const r = (1 + dim + k) * NM + e;
          A[r] = f1 * Z[r]! + f2 * Z[(1 + pi[k]!) * NM + e]! * Z[(1 + pj[k]!) * NM + e]!;
        }
      }
      H = A;
    }
    return fromTypedArray(H, [K, N, widths[L]!], { dtype });
  };

  const rule = (g: Tensor, _out: Tensor, x: Tensor, ...wb: Tensor[]): (Tensor | null)[] => {
    if (Zs.length !== L) forward(x, ...wb);
    const grads: (Tensor | null)[] = new Array(1 + 2 * L).fill(null);
    let G = g.dataSync() as Arr;
    const tmp = new Float64Array(4);
    for (let l = L - 1; l >= 0; l--) {
      const m = widths[l + 1]!;
      const NM = N * m;
      const Z = Zs[l]!;
      let GZ: Arr;
      if (l === L - 1) GZ = G;
      else {
        // Reverse of the activation step: cotangents of A rows → cotangents of Z rows.
        GZ = new Arr(K * NM);
        for (let e = 0; e < NM; e++) {
          act.eval(Z[e]!, tmp);
          const f1 = tmp[1]!;
          const f2 = tmp[2]!;
          const f3 = tmp[3]!;
          let g0 = G[e]! * f1;
          for (let i = 0; i < dim; i++) {
            const r = (1 + i) * NM + e;
            GZ[r] = G[r]! * f1;
            g0 += G[r]! * Z[r]! * f2;
          }
          for (let k = 0; k < pairs.length; k++) {
            const r = (1 + dim + k) * NM + e;
            const ri = (1 + pi[k]!) * NM + e;
            const rj = (1 + pj[k]!) * NM + e;
            const gk = G[r]!;
            GZ[r] = gk * f1;
            GZ[ri] = GZ[ri]! + gk * f2 * Z[rj]!;
            GZ[rj] = GZ[rj]! + gk * f2 * Z[ri]!;
            g0 += gk * (f2 * Z[r]! + f3 * Z[ri]! * Z[rj]!);
          }
          GZ[e] = g0;
        }
      }
      const H = Hs[l]!;
      const inW = widths[l]!;
      const gzT = swapAxes(fromTypedArray(GZ, [K * N, m], { dtype }), 0, 1);
      grads[1 + 2 * l] = matmul(gzT, fromTypedArray(H, [K * N, inW], { dtype }));
      const gb = new Arr(m);
      for (let n = 0; n < N; n++) for (let o = 0; o < m; o++) gb[o] = gb[o]! + GZ[n * m + o]!;
      grads[2 + 2 * l] = fromTypedArray(gb, [m], { dtype });
      G = hostMatmul(GZ, K * N, m, wb[2 * l]!, dtype, false);
    }
    grads[0] = fromTypedArray(G, [K, N, widths[0]!], { dtype });
    return grads;
  };

  const wb = params.flatMap((p) => [p.w, p.b]);
  return customGrad(forward, rule)(input, ...wb);
}
