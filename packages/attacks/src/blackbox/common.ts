import { ShapeError, fmtShape, fromTypedArray, type Tensor } from '@difflab/tensor';

/** Image geometry an attack on [N, C, H, W] (or flat [N, D], seen as [N, 1, 1, D]) works with. */
export interface Geometry {
  n: number;
  c: number;
  h: number;
  w: number;
  /** Features per example. */
  d: number;
}

export function geometryOf(op: string, x: Tensor): Geometry {
  const n = x.shape[0]!;
  if (x.ndim === 4) return { n, c: x.shape[1]!, h: x.shape[2]!, w: x.shape[3]!, d: x.size / n };
  if (x.ndim === 2) return { n, c: 1, h: 1, w: x.shape[1]!, d: x.shape[1]! };
  if (x.ndim === 3) return { n, c: 1, h: x.shape[1]!, w: x.shape[2]!, d: x.size / n };
  throw new ShapeError(`${op}: expects images [N, C, H, W], [N, H, W] or flat inputs [N, D], got ${fmtShape(x.shape)}`);
}

/** Packs host rows (float64) as a tensor shaped like `like` with `rows` examples. */
export function packRows(data: Float64Array, like: Tensor, rows: number): Tensor {
  const shape = [rows, ...like.shape.slice(1)];
  return fromTypedArray(like.dtype === 'float64' ? data : Float32Array.from(data), shape, { dtype: like.dtype });
}

/**
 * Host-side margins from logits: z_y - max_{j != y} z_j (untargeted), or max_{j != t} z_j - z_t
 * (targeted). A negative margin means success; zero is a tie, which the attacks keep working on.
 */
export function margins(logits: Tensor, ref: ArrayLike<number>, targeted: boolean): Float64Array {
  const z = logits.dataSync();
  const c = logits.shape[1]!;
  const n = logits.shape[0]!;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = ref[i]!;
    let other = -Infinity;
    for (let j = 0; j < c; j++) if (j !== t) other = Math.max(other, z[i * c + j]!);
    out[i] = targeted ? other - z[i * c + t]! : z[i * c + t]! - other;
  }
  return out;
}
