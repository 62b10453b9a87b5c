import { clamp, div, fromTypedArray, norm, random, reshape, sign, where, type Tensor } from '@difflab/tensor';
import type { LpNorm } from './types.js';

/** Rows `[N, D]` view of a batch. */
export function rows(x: Tensor): Tensor {
  return reshape(x, [x.shape[0]!, -1]);
}

/** A per-example vector `[N]` shaped to broadcast against a batch `[N, ...]`. */
export function perExample(v: Tensor, like: Tensor): Tensor {
  return reshape(v, [like.shape[0]!, ...like.shape.slice(1).map(() => 1)]);
}

/**
 * Per-example L_p norms `[N]`.
 *
 * @param x - a batch `[N, ...]`; each example is flattened.
 * @param p - `'linf'`, `'l2'`, `'l1'`, or 0 for the count of non-zero coordinates.
 * @returns `[N]` norms.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { lpNorm } from '@difflab/attacks';
 * const d = tensor([[3, -4], [0, 1]]);
 * lpNorm(d, 'l2'); // tensor([5, 1])
 * lpNorm(d, 'linf'); // tensor([4, 1])
 * lpNorm(d, 0); // tensor([2, 1])
 * ```
 */
export function lpNorm(x: Tensor, p: LpNorm | 0): Tensor {
  const r = rows(x);
  if (p === 'linf') return norm(r, Infinity, 1);
  if (p === 'l2') return norm(r, 2, 1);
  if (p === 'l1') return norm(r, 1, 1);
  return norm(r, 0, 1);
}

export function clampBox(x: Tensor, lo: number, hi: number): Tensor {
  return clamp(x, Number.isFinite(lo) ? lo : null, Number.isFinite(hi) ? hi : null);
}

/**
 * Euclidean projection of every row of `v` (length d) onto the L1 ball of radius `eps` (Duchi et al.
 * 2008, by sorting), in float64 on the host.
 */
export function projectL1Rows(v: Float64Array, n: number, d: number, eps: number): Float64Array {
  const out = new Float64Array(v.length);
  const u = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    let l1 = 0;
    for (let i = 0; i < d; i++) l1 += Math.abs(v[o + i]!);
    if (l1 <= eps) {
      for (let i = 0; i < d; i++) out[o + i] = v[o + i]!;
      continue;
    }
    for (let i = 0; i < d; i++) u[i] = Math.abs(v[o + i]!);
    u.sort();
    u.reverse();
    let cs = 0;
    let theta = 0;
    for (let j = 0; j < d; j++) {
      cs += u[j]!;
      const t = (cs - eps) / (j + 1);
      if (u[j]! - t > 0) theta = t;
    }
    for (let i = 0; i < d; i++) {
      const a = Math.abs(v[o + i]!) - theta;
      out[o + i] = a > 0 ? Math.sign(v[o + i]!) * a : 0;
    }
  }
  return out;
}

/**
 * Projects perturbations `delta` onto the L_p ball of radius `eps`. L-inf clamps; L2 rescales by
 * min(1, eps / ||delta||), with eps / ||delta|| computed as a division so the iterates are
 * bit-for-bit torchattacks' PGDL2; L1 is the exact Euclidean projection.
 *
 * @param delta - perturbations `[N, ...]`.
 * @param eps - ball radius.
 * @param p - threat model.
 * @returns The projected perturbations, same shape as `delta`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { projectBall } from '@difflab/attacks';
 * projectBall(tensor([[3, 4]]), 1, 'l2'); // tensor([[0.6, 0.8]])
 * projectBall(tensor([[3, -0.5]]), 1, 'linf'); // tensor([[1, -0.5]])
 * ```
 */
export function projectBall(delta: Tensor, eps: number, p: LpNorm): Tensor {
  if (p === 'linf') return clamp(delta, -eps, eps);
  if (p === 'l2') {
    // where() rather than min(eps / n, 1): the same values, but no 0 / 0 when delta = 0 and eps = 0.
    const n = lpNorm(delta, 'l2');
    return delta.mul(perExample(where(n.greater(eps), div(eps, n), 1), delta));
  }
  const n = delta.shape[0]!;
  const d = delta.size / n;
  const proj = projectL1Rows(Float64Array.from(delta.dataSync()), n, d, eps);
  return fromTypedArray(delta.dtype === 'float64' ? proj : Float32Array.from(proj), delta.shape, {
    dtype: delta.dtype,
  });
}

/**
 * Keeps `adv` inside both the eps-ball around `x` and the box. Clamping to the box after the
 * ball projection never leaves the ball: it only moves coordinates towards x (x is in the box).
 */
export function projectAdv(adv: Tensor, x: Tensor, eps: number, p: LpNorm, lo: number, hi: number): Tensor {
  return clampBox(x.add(projectBall(adv.sub(x), eps, p)), lo, hi);
}

/**
 * Uniform noise in [-r, r): drawn on [-1, 1) and scaled, so radii too small for the dtype (even
 * denormals) are fine.
 */
export function uniformSymmetric(
  key: Tensor,
  shape: readonly number[],
  r: number,
  dtype: 'float32' | 'float64',
): Tensor {
  return random.uniform(key, shape, { minval: -1, maxval: 1, dtype }).mul(r);
}

/**
 * A uniform sample from the L_p ball of radius `eps` for every example (shape `shape`).
 *
 * @param key - a `random.key(seed)` tensor.
 * @param shape - `[N, ...]` batch shape; each example gets its own sample.
 * @param eps - ball radius.
 * @param p - threat model.
 * @param dtype - output dtype.
 * @returns Perturbations of shape `shape`.
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * import { randomInBall, lpNorm } from '@difflab/attacks';
 * const d = randomInBall(random.key(0), [4, 3], 0.5, 'l2', 'float32');
 * lpNorm(d, 'l2'); // every entry <= 0.5
 * ```
 */
export function randomInBall(
  key: Tensor,
  shape: readonly number[],
  eps: number,
  p: LpNorm,
  dtype: 'float32' | 'float64',
): Tensor {
  const n = shape[0]!;
  const d = shape.slice(1).reduce((a, b) => a * b, 1);
  if (p === 'linf') {
    return uniformSymmetric(key, shape, eps, dtype);
  }
  const [k1, k2] = random.splitN(key, 2);
  const out = new Float64Array(n * d);
  if (p === 'l2') {
    // Gaussian direction, radius eps * u^(1/d): uniform in the ball.
    const z = random.normal(k1!, [n, d], { dtype: 'float64' }).dataSync();
    const u = random.uniform(k2!, [n], { dtype: 'float64' }).dataSync();
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += z[r * d + i]! ** 2;
      const scale = (eps * Math.pow(u[r]!, 1 / d)) / Math.max(Math.sqrt(s), 1e-300);
      for (let i = 0; i < d; i++) out[r * d + i] = z[r * d + i]! * scale;
    }
  } else {
    // d + 1 exponentials normalised by their sum are uniform on the simplex; dropping the last
    // coordinate and attaching random signs gives a uniform point of the cross-polytope.
    const e = random.uniform(k1!, [n, d + 1], { dtype: 'float64' }).dataSync();
    const s = random.uniform(k2!, [n, d], { dtype: 'float64' }).dataSync();
    for (let r = 0; r < n; r++) {
      let tot = 0;
      const ex = new Float64Array(d + 1);
      for (let i = 0; i <= d; i++) tot += ex[i] = -Math.log1p(-e[r * (d + 1) + i]!);
      for (let i = 0; i < d; i++) out[r * d + i] = (eps * ex[i]! * (s[r * d + i]! < 0.5 ? -1 : 1)) / tot;
    }
  }
  const t = fromTypedArray(dtype === 'float64' ? out : Float32Array.from(out), [n, d], { dtype });
  return reshape(t, shape);
}

/**
 * The steepest-ascent step direction of unit L_p size for gradient `g`: sign(g) for L-inf,
 * g / (||g||_2 + 1e-10) for L2, and for L1 the sparse direction that spreads a unit L1 step over the
 * coordinates with the largest |g| (the top `sparsity` fraction, at least one; Tramer & Boneh 2019).
 *
 * @param g - gradients `[N, ...]`.
 * @param p - threat model.
 * @param sparsity - L1 only: fraction of coordinates per example that share the step (default 0.05).
 * @returns Directions with the shape of `g`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { steepestDirection } from '@difflab/attacks';
 * const g = tensor([[3, -4]]);
 * steepestDirection(g, 'linf'); // tensor([[1, -1]])
 * steepestDirection(g, 'l2'); // tensor([[0.6, -0.8]])
 * steepestDirection(g, 'l1'); // tensor([[0, -1]])
 * ```
 */
export function steepestDirection(g: Tensor, p: LpNorm, sparsity = 0.05): Tensor {
  if (p === 'linf') return sign(g);
  if (p === 'l2') return g.div(perExample(lpNorm(g, 'l2').add(1e-10), g));
  const n = g.shape[0]!;
  const d = g.size / n;
  const k = Math.max(1, Math.min(d, Math.round(sparsity * d)));
  const gd = g.dataSync();
  const out = new Float64Array(gd.length);
  const idx = new Int32Array(d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) idx[i] = i;
    const sorted = Array.from(idx).sort((a, b) => Math.abs(gd[o + b]!) - Math.abs(gd[o + a]!));
    for (let j = 0; j < k; j++) {
      const i = sorted[j]!;
      out[o + i] = Math.sign(gd[o + i]!) / k;
    }
  }
  return fromTypedArray(g.dtype === 'float64' ? out : Float32Array.from(out), g.shape, { dtype: g.dtype });
}
