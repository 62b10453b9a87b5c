import { type Tensor } from '@difflab/tensor';
import { HostRng, toKey } from '../core/grad.js';
import { prepare } from '../core/prepare.js';
import type { BaseAttackOptions, KeyLike, Labels, Model } from '../core/types.js';
import { checkEps, checkInt, checkNorm, checkRange } from '../core/validate.js';
import { geometryOf, margins, packRows, type Geometry } from './common.js';

/**
 * Options of {@link square}.
 *
 * @example
 * ```ts
 * import type { SquareOptions } from '@difflab/attacks';
 * const opts: SquareOptions = { eps: 8 / 255, norm: 'linf', queries: 1000, pInit: 0.8, key: 0 };
 * ```
 */
export interface SquareOptions extends BaseAttackOptions {
  /** Radius of the ball. */
  eps: number;
  /** 'linf' (default) or 'l2'. */
  norm?: 'linf' | 'l2';
  /** Query budget per example (default 5000). */
  queries?: number;
  /** Initial fraction of pixels changed per query (default 0.8 for L-inf, 0.1 for L2). */
  pInit?: number;
  /** Target classes (int32 `[N]` or numbers); untargeted when omitted. */
  targets?: Labels;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * The paper's piecewise-constant schedule of the window fraction p, rescaled to 10k queries.
 *
 * Exported so that experiments can log or reuse the schedule the attack follows.
 *
 * @param pInit - fraction at the first query.
 * @param it - current query index.
 * @param queries - total query budget.
 * @returns The fraction of pixels a window covers at query `it`.
 *
 * @example
 * ```ts
 * import { squareSchedule } from '@difflab/attacks';
 * squareSchedule(0.8, 0, 1000); // 0.8
 * squareSchedule(0.8, 100, 1000); // 0.05 (halved four times by 10% of the budget)
 * ```
 */
export function squareSchedule(pInit: number, it: number, queries: number): number {
  const i = Math.floor((it / queries) * 10000);
  const cuts = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000];
  let k = 0;
  while (k < cuts.length && i > cuts[k]!) k++;
  return pInit / 2 ** k;
}

/** Window of about `area` pixels fitting in h x w: square when possible, a strip on 1-row inputs. */
function windowShape(g: Geometry, area: number, minSide: number): [number, number] {
  const side = Math.max(Math.round(Math.sqrt(area)), minSide);
  const sh = Math.min(side, g.h);
  const sw = Math.min(g.w, Math.max(minSide, Math.round((side * side) / sh)));
  return [sh, sw];
}

/**
 * A centred "pseudo-Gaussian" window pattern: concentric rectangles weighted 1/(k+1)^2, opposite
 * signs on the two halves (the L2 square attack's proposal), unit L2 norm.
 */
function pseudoGaussian(sh: number, sw: number, transpose: boolean): Float64Array {
  const half = (rows: number, cols: number) => {
    const m = new Float64Array(rows * cols);
    const cr = Math.floor(rows / 2);
    const cc = Math.floor(cols / 2);
    const rings = Math.max(cr, cc) + 1;
    for (let k = 0; k < rings; k++)
      for (let r = Math.max(cr - k, 0); r < Math.min(cr + k + 1, rows); r++)
        for (let c = Math.max(cc - k, 0); c < Math.min(cc + k + 1, cols); c++) m[r * cols + c]! += 1 / (k + 1) ** 2;
    return m;
  };
  const split = transpose && sh === sw;
  const out = new Float64Array(sh * sw);
  if (sh === 1) {
    const a = half(1, Math.max(1, Math.floor(sw / 2)));
    const b = half(1, sw - Math.floor(sw / 2));
    for (let c = 0; c < sw; c++) out[c] = c < Math.floor(sw / 2) ? a[c]! : -b[c - Math.floor(sw / 2)]!;
  } else {
    const top = Math.floor(sh / 2);
    const a = half(top, sw);
    const b = half(sh - top, sw);
    for (let r = 0; r < sh; r++)
      for (let c = 0; c < sw; c++) out[r * sw + c] = r < top ? a[r * sw + c]! : -b[(r - top) * sw + c]!;
  }
  let s = 0;
  for (const v of out) s += v * v;
  s = Math.sqrt(s) || 1;
  const res = new Float64Array(sh * sw);
  for (let r = 0; r < sh; r++) for (let c = 0; c < sw; c++) res[split ? c * sw + r : r * sw + c] = out[r * sw + c]! / s;
  return res;
}

/**
 * Square attack (Andriushchenko et al. 2020), score-based and gradient-free: random search that, at
 * each query, changes one random square window per example (L-inf: set to +-eps per channel on top
 * of the current point; L2: move mass between two windows with a pseudo-Gaussian pattern, keeping
 * ||delta||_2 = eps) and keeps the proposal if the margin loss decreases. Windows shrink on the
 * paper's schedule. Inputs are images [N, C, H, W]; flat inputs [N, D] use 1-row strips.
 *
 * Equivalent to torchattacks' / AutoAttack's `Square`; needs only logits, no gradients.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, C, H, W]` or `[N, D]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link SquareOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, argmax, type Tensor } from '@difflab/tensor';
 * import { square } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = square(model, tensor([[0.45, 0.55]]), [1], { eps: 0.1, queries: 50 });
 * argmax(model(adv), 1); // tensor([0])
 * ```
 */
export function square(model: Model, x: Tensor, y: Labels, opts: SquareOptions): Tensor {
  const op = 'square';
  const eps = checkEps(op, opts?.eps);
  const norm = checkNorm(op, opts.norm ?? 'linf', ['linf', 'l2'] as const);
  const queries = checkInt(op, 'queries', opts.queries ?? 5000, 0);
  const pInit = checkRange(op, 'pInit', opts.pInit ?? (norm === 'linf' ? 0.8 : 0.1), 0, 1);
  const g = geometryOf(op, x);
  const p = prepare(op, model, x, y, opts);
  const { lo, hi, n } = p;
  const { c, h, w, d } = g;
  const rng = new HostRng(toKey(op, opts.key));
  const ref = (p.targets ?? p.y).dataSync();
  const targeted = !!p.targets;
  const x0 = Float64Array.from(x.dataSync());
  const clip = (i: number, v: number) => Math.min(Math.min(hi, x0[i]! + eps), Math.max(Math.max(lo, x0[i]! - eps), v));
  const best = new Float64Array(n * d);
  // Start: vertical stripes of +-eps (L-inf) or a grid of pseudo-Gaussian blocks (L2).
  if (norm === 'linf') {
    const signs = rng.uniform(n * c * w);
    for (let i = 0; i < n; i++)
      for (let ch = 0; ch < c; ch++)
        for (let r = 0; r < h; r++)
          for (let col = 0; col < w; col++) {
            const k = i * d + ch * h * w + r * w + col;
            best[k] = clip(k, x0[k]! + (signs[(i * c + ch) * w + col]! < 0.5 ? -eps : eps));
          }
  } else {
    const delta = new Float64Array(n * d);
    const bs = Math.max(1, Math.floor(h / 5));
    const bw = h === 1 ? Math.max(1, Math.floor(w / 5)) : bs;
    const pattern = pseudoGaussian(bs, bw, false);
    const signs = rng.uniform(n * c * Math.ceil(h / bs) * Math.ceil(w / bw));
    let sIdx = 0;
    for (let i = 0; i < n; i++)
      for (let ch = 0; ch < c; ch++)
        for (let r0 = 0; r0 + bs <= h; r0 += bs)
          for (let c0 = 0; c0 + bw <= w; c0 += bw) {
            const sg = signs[sIdx++]! < 0.5 ? -1 : 1;
            for (let r = 0; r < bs; r++)
              for (let q = 0; q < bw; q++)
                delta[i * d + ch * h * w + (r0 + r) * w + c0 + q]! += sg * pattern[r * bw + q]!;
          }
    setL2(best, x0, delta, n, d, eps, lo, hi);
  }
  const marg = margins(model(packRows(best, x, n)), ref, targeted);
  const clean = margins(p.clean, ref, targeted);
  // Examples already adversarial stay as they are.
  for (let i = 0; i < n; i++)
    if (clean[i]! < 0 && marg[i]! > clean[i]!) {
      best.set(x0.subarray(i * d, (i + 1) * d), i * d);
      marg[i] = clean[i]!;
    }

  for (let it = 0; it < queries; it++) {
    const idx = Array.from({ length: n }, (_, i) => i).filter((i) => marg[i]! >= 0);
    if (idx.length === 0) break;
    const pFrac = squareSchedule(pInit, it, queries);
    const [sh, sw] = windowShape(g, (pFrac * d) / c, norm === 'l2' ? Math.min(3, h === 1 ? w : Math.min(h, w)) : 1);
    const cand = new Float64Array(idx.length * d);
    const u = rng.uniform(idx.length * (5 + c));
    idx.forEach((i, k) => {
      const base = i * d;
      const out = k * d;
      cand.set(best.subarray(base, base + d), out);
      const rnd = u.subarray(k * (5 + c), (k + 1) * (5 + c));
      const vh = Math.floor(rnd[0]! * (h - sh + 1));
      const vw = Math.floor(rnd[1]! * (w - sw + 1));
      if (norm === 'linf') {
        for (let ch = 0; ch < c; ch++) {
          const sg = rnd[5 + ch]! < 0.5 ? -1 : 1;
          for (let r = vh; r < vh + sh; r++)
            for (let q = vw; q < vw + sw; q++) {
              const j = ch * h * w + r * w + q;
              cand[out + j] = clip(base + j, cand[out + j]! + 2 * eps * sg);
            }
        }
      } else {
        const vh2 = Math.floor(rnd[2]! * (h - sh + 1));
        const vw2 = Math.floor(rnd[3]! * (w - sw + 1));
        const pattern = pseudoGaussian(sh, sw, rnd[4]! > 0.5);
        const delta = new Float64Array(d);
        for (let j = 0; j < d; j++) delta[j] = best[base + j]! - x0[base + j]!;
        let total = 0;
        for (let j = 0; j < d; j++) total += delta[j]! ** 2;
        const inW = (r: number, q: number, a: number, b: number) => r >= a && r < a + sh && q >= b && q < b + sw;
        for (let ch = 0; ch < c; ch++) {
          let w1 = 0;
          let both = 0;
          for (let r = 0; r < h; r++)
            for (let q = 0; q < w; q++) {
              const v = delta[ch * h * w + r * w + q]!;
              if (inW(r, q, vh, vw)) w1 += v * v;
              if (inW(r, q, vh, vw) || inW(r, q, vh2, vw2)) both += v * v;
            }
          // New window content: pattern plus the normalised old content, rescaled so that the mass
          // of both windows plus the unused budget (eps^2 - ||delta||^2) / C moves into it.
          const sg = rnd[5 + ch]! < 0.5 ? -1 : 1;
          const nw = new Float64Array(sh * sw);
          let nn = 0;
          for (let r = 0; r < sh; r++)
            for (let q = 0; q < sw; q++) {
              const old = delta[ch * h * w + (vh + r) * w + vw + q]! / (Math.sqrt(w1) + 1e-12);
              nw[r * sw + q] = sg * pattern[r * sw + q]! + old;
              nn += nw[r * sw + q]! ** 2;
            }
          const scale = Math.sqrt(Math.max(eps * eps - total, 0) / c + both) / (Math.sqrt(nn) + 1e-12);
          for (let r = vh2; r < vh2 + sh; r++) for (let q = vw2; q < vw2 + sw; q++) delta[ch * h * w + r * w + q] = 0;
          for (let r = 0; r < sh; r++)
            for (let q = 0; q < sw; q++) delta[ch * h * w + (vh + r) * w + vw + q] = nw[r * sw + q]! * scale;
        }
        const row = new Float64Array(d);
        setL2(row, x0.subarray(base, base + d), delta, 1, d, eps, lo, hi);
        cand.set(row, out);
      }
    });
    const m = margins(
      model(packRows(cand, x, idx.length)),
      idx.map((i) => ref[i]!),
      targeted,
    );
    idx.forEach((i, k) => {
      if (m[k]! < marg[i]!) {
        marg[i] = m[k]!;
        best.set(cand.subarray(k * d, (k + 1) * d), i * d);
      }
    });
  }
  return packRows(best, x, n);
}

/** x + eps * delta / ||delta||_2 clamped to the box, per row (the L2 proposals keep full budget). */
function setL2(
  out: Float64Array,
  x0: Float64Array,
  delta: Float64Array,
  n: number,
  d: number,
  eps: number,
  lo: number,
  hi: number,
): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += delta[i * d + j]! ** 2;
    const f = s > 0 ? eps / Math.sqrt(s) : 0;
    for (let j = 0; j < d; j++) out[i * d + j] = Math.min(hi, Math.max(lo, x0[i * d + j]! + delta[i * d + j]! * f));
  }
}
