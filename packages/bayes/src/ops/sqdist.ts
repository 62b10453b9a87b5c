import {
  ShapeError,
  customGrad,
  expandDims,
  fmtShape,
  fromTypedArray,
  matmul,
  mul,
  sub,
  sum,
  swapAxes,
  type Tensor,
} from '@difflab/tensor';

/**
 * Pairwise squared Euclidean distances `D[..., i, j] = ‖a_i − b_j‖²` for `a: [..., n, d]` and
 * `b: [m, d]` or `[..., m, d]` (same batch as `a`). The forward pass subtracts coordinates
 * directly, so `D` is exactly 0 for identical rows (the ‖a‖² + ‖b‖² − 2ab expansion is not, and that
 * error would show up in Matérn kernels at the 1e-8 level); the gradient
 * `∂/∂a_i = 2 Σ_j g_ij (a_i − b_j)` is written with matmul so it can be differentiated again.
 *
 * @param a - points `[..., n, d]`.
 * @param b - points `[m, d]` or `[..., m, d]`.
 * @returns Distances `[..., n, m]`.
 * @throws {ShapeError} when the column counts differ.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sqdist } from '@difflab/bayes';
 * sqdist(tensor([[0, 0], [1, 1]], { dtype: 'float64' }), tensor([[1, 0]], { dtype: 'float64' })); // tensor([[1], [1]])
 * ```
 */
export function sqdist(a: Tensor, b: Tensor): Tensor {
  if (a.ndim < 2 || (b.ndim !== 2 && b.ndim !== a.ndim) || a.shape[a.ndim - 1] !== b.shape[b.ndim - 1])
    throw new ShapeError(
      `sqdist: inputs of shape ${fmtShape(a.shape)} and ${fmtShape(b.shape)} need [..., n, d] and [m, d] (or [..., m, d])`,
    );
  if (b.ndim > 2 && a.shape.slice(0, -2).join() !== b.shape.slice(0, -2).join())
    throw new ShapeError(`sqdist: batch shapes of ${fmtShape(a.shape)} and ${fmtShape(b.shape)} differ`);
  return sqdistOp(a, b);
}

const sqdistOp = customGrad(
  (a: Tensor, b: Tensor) => {
    const n = a.shape[a.ndim - 2]!;
    const d = a.shape[a.ndim - 1]!;
    const m = b.shape[b.ndim - 2]!;
    const batch = a.shape.slice(0, -2);
    const count = batch.reduce((x, y) => x * y, 1);
    const A = a.dataSync();
    const B = b.dataSync();
    const bBatched = b.ndim > 2;
    const out = new Float64Array(count * n * m);
    for (let t = 0; t < count; t++) {
      const ao = t * n * d;
      const bo = bBatched ? t * m * d : 0;
      const oo = t * n * m;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let k = 0; k < d; k++) {
            const diff = A[ao + i * d + k]! - B[bo + j * d + k]!;
            s += diff * diff;
          }
          out[oo + i * m + j] = s;
        }
      }
    }
    const dtype = a.dtype === 'float64' || b.dtype === 'float64' ? 'float64' : 'float32';
    const data = dtype === 'float64' ? out : Float32Array.from(out);
    return fromTypedArray(data, [...batch, n, m], { dtype });
  },
  (g, _out, a, b) => {
    // ∂/∂a = 2 (a ⊙ rowsum(g) − g b), ∂/∂b = 2 (b ⊙ colsum(g) − gᵀ a)
    const ga = mul(sub(mul(a, expandDims(sum(g, -1), -1)), matmul(g, b)), 2);
    const gT = swapAxes(g, -1, -2);
    let gb = mul(sub(mul(b, expandDims(sum(g, -2), -1)), matmul(gT, a)), 2);
    if (b.ndim === 2 && gb.ndim > 2)
      gb = sum(
        gb,
        Array.from({ length: gb.ndim - 2 }, (_, i) => i),
      );
    return [ga.astype(a.dtype), gb.astype(b.dtype)];
  },
);
