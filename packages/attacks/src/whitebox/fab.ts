import { argsort, fromTypedArray, oneHot, random, type Tensor } from '@difflab/tensor';
import { logitVjp, predict, toKey } from '../core/grad.js';
import { prepare, selectRows } from '../core/prepare.js';
import { clampBox, lpNorm, randomInBall } from '../core/project.js';
import type { BaseAttackOptions, KeyLike, Labels, LpNorm, Model } from '../core/types.js';
import { checkEps, checkInt, checkNonNegative, checkNorm, checkRange } from '../core/validate.js';
import { projectHyperplaneBox } from './hyperplane.js';

/**
 * Options of {@link fab}.
 *
 * @example
 * ```ts
 * import type { FabOptions } from '@difflab/attacks';
 * const opts: FabOptions = { norm: 'l2', steps: 10, restarts: 2, eps: 0.5, key: 0 };
 * ```
 */
export interface FabOptions extends BaseAttackOptions {
  /** 'linf' (default), 'l2' or 'l1'. */
  norm?: LpNorm;
  /** Iterations per restart (default 10). */
  steps?: number;
  /** Restarts; the first starts at x, later ones at random points (default 1). */
  restarts?: number;
  /** Maximal weight of the step back towards x (default 0.1). */
  alphaMax?: number;
  /** Extrapolation beyond the projected point (default 1.05). */
  eta?: number;
  /** Shrink factor towards x after a success (default 0.9). */
  beta?: number;
  /** Optional budget: results farther than eps are discarded (the clean input is returned). */
  eps?: number;
  /**
   * FAB-T: linearise only the boundary to each of the `numTargets` most likely wrong classes in
   * turn (default: untargeted FAB, all classes at once).
   */
  numTargets?: number;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * Fast adaptive boundary attack (Croce & Hein 2020), minimum-norm: at each step the classifier is
 * linearised at the iterate, the closest linearised boundary is found, and both the iterate and the
 * clean point are projected onto it (inside the box, exactly, see `projectHyperplaneBox`); the next
 * iterate mixes the two projections (extrapolated by eta) with a weight biased towards x, and each
 * success is pulled back towards x by beta. Returns per example the smallest adversarial found.
 *
 * The algorithm of AutoAttack's `FABAttack` (FAB-T with `numTargets`).
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link FabOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x` (the clean input where none was found).
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { fab } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = fab(model, tensor([[0.2, 0.6]]), [1], { norm: 'linf' }); // ≈ [[0.4, 0.4]]: the nearest boundary point
 * ```
 */
export function fab(model: Model, x: Tensor, y: Labels, opts: FabOptions = {}): Tensor {
  const op = 'fab';
  const norm = checkNorm(op, opts.norm ?? 'linf', ['linf', 'l2', 'l1'] as const);
  const steps = checkInt(op, 'steps', opts.steps ?? 10, 1);
  const restarts = checkInt(op, 'restarts', opts.restarts ?? 1, 1);
  const alphaMax = checkRange(op, 'alphaMax', opts.alphaMax ?? 0.1, 0, 1);
  const eta = checkNonNegative(op, 'eta', opts.eta ?? 1.05);
  const beta = checkRange(op, 'beta', opts.beta ?? 0.9, 0, 1);
  const eps = opts.eps === undefined ? Infinity : checkEps(op, opts.eps);
  const p = prepare(op, model, x, y, opts);
  const key = toKey(op, opts.key);
  const { n, classes: c, lo, hi } = p;
  const d = x.size / n;
  const labels = p.y.dataSync();
  const x0 = Float64Array.from(x.dataSync());
  const dtype = x.dtype as 'float32' | 'float64';
  const pack = (a: Float64Array) => fromTypedArray(dtype === 'float64' ? a : Float32Array.from(a), x.shape, { dtype });

  const cleanPred = predict(p.clean);
  const bestNorm = new Float64Array(n).fill(Infinity);
  const best = Float64Array.from(x0);
  for (let i = 0; i < n; i++) if (cleanPred[i] !== labels[i]) bestNorm[i] = 0;

  const order = argsort(p.clean, 1, true).dataSync();
  const targetLists: (number[] | null)[] = opts.numTargets
    ? Array.from({ length: Math.min(checkInt(op, 'numTargets', opts.numTargets, 1), c - 1) }, (_, t) =>
        Array.from(
          { length: n },
          (_, i) => Array.from(order.subarray(i * c, (i + 1) * c)).filter((k) => k !== labels[i])[t]!,
        ),
      )
    : [null];

  const yOneHot = oneHot(p.y, c, dtype);
  let run = 0;
  for (const targets of targetLists) {
    for (let r = 0; r < restarts; r++, run++) {
      const active = Array.from({ length: n }, (_, i) => bestNorm[i]! > 0);
      if (!active.some(Boolean)) break;
      let cur = Float64Array.from(x0);
      if (r > 0) {
        // Random start inside half the current best radius (or eps), as in the reference code.
        const radius = Float64Array.from(bestNorm, (v) => Math.min(v, eps) / 2);
        const noise = randomInBall(random.foldIn(key, run), [n, d], 1, norm, 'float64').dataSync();
        for (let i = 0; i < n; i++) {
          const rad = Number.isFinite(radius[i]!) ? radius[i]! : 0.5 * (hi - lo);
          for (let j = 0; j < d; j++)
            cur[i * d + j] = Math.min(hi, Math.max(lo, x0[i * d + j]! + rad * noise[i * d + j]!));
        }
      }
      for (let s = 0; s < steps; s++) {
        const xt = pack(cur);
        // Gradients of z_k - z_y for the classes needed: every class (untargeted) or the target.
        const rows = (k: Int32Array) => oneHot(fromTypedArray(k, [n], { dtype: 'int32' }), c, dtype).sub(yOneHot);
        const cots = targets
          ? [rows(Int32Array.from(targets))]
          : Array.from({ length: c }, (_, k) => rows(new Int32Array(n).fill(k)));
        const { logits, grads } = logitVjp(model, xt, cots);
        const z = logits.dataSync();
        const g = grads.map((t) => t.dataSync());
        const next = Float64Array.from(cur);
        for (let i = 0; i < n; i++) {
          if (!active[i]) continue;
          const yi = labels[i]!;
          let kBest = -1;
          let dist = Infinity;
          for (let m = 0; m < g.length; m++) {
            const k = targets ? targets[i]! : m;
            if (k === yi) continue;
            const f = z[i * c + k]! - z[i * c + yi]!;
            let dual = 0;
            for (let j = 0; j < d; j++) {
              const w = g[m]![i * d + j]!;
              dual = norm === 'linf' ? dual + Math.abs(w) : norm === 'l2' ? dual + w * w : Math.max(dual, Math.abs(w));
            }
            if (norm === 'l2') dual = Math.sqrt(dual);
            const dd = Math.abs(f) / (dual + 1e-12);
            if (dd < dist) [dist, kBest] = [dd, m];
          }
          if (kBest < 0) continue;
          const k = targets ? targets[i]! : kBest;
          const w = Float64Array.from(g[kBest]!.subarray(i * d, (i + 1) * d));
          const pt = cur.subarray(i * d, (i + 1) * d);
          const po = x0.subarray(i * d, (i + 1) * d);
          // Linearisation at the iterate: f(z) ~ f + w.(z - pt) = 0  <=>  w.z = w.pt - f.
          let wpt = 0;
          for (let j = 0; j < d; j++) wpt += w[j]! * pt[j]!;
          const b = wpt - (z[i * c + k]! - z[i * c + yi]!);
          const d1 = projectHyperplaneBox(Float64Array.from(pt), w, b, lo, hi, norm);
          const d2 = projectHyperplaneBox(Float64Array.from(po), w, b, lo, hi, norm);
          const a1 = Math.max(vecNorm(d1, norm), 1e-8);
          const a2 = Math.max(vecNorm(d2, norm), 1e-8);
          const alpha = Math.min(Math.max(a1 / (a1 + a2), 0), alphaMax);
          for (let j = 0; j < d; j++) {
            const v = (pt[j]! + eta * d1[j]!) * (1 - alpha) + (po[j]! + eta * d2[j]!) * alpha;
            next[i * d + j] = Math.min(hi, Math.max(lo, v));
          }
        }
        const nt = pack(next);
        const pred = predict(model(nt));
        const nd = nt.dataSync();
        for (let i = 0; i < n; i++) {
          if (!active[i]) continue;
          if (pred[i] !== labels[i]) {
            let dn = 0;
            for (let j = 0; j < d; j++) {
              const v = Math.abs(nd[i * d + j]! - x0[i * d + j]!);
              dn = norm === 'linf' ? Math.max(dn, v) : norm === 'l2' ? dn + v * v : dn + v;
            }
            if (norm === 'l2') dn = Math.sqrt(dn);
            if (dn < bestNorm[i]!) {
              bestNorm[i] = dn;
              for (let j = 0; j < d; j++) best[i * d + j] = nd[i * d + j]!;
            }
            for (let j = 0; j < d; j++) next[i * d + j] = x0[i * d + j]! + (nd[i * d + j]! - x0[i * d + j]!) * beta;
          } else for (let j = 0; j < d; j++) next[i * d + j] = nd[i * d + j]!;
        }
        cur = next;
      }
    }
  }
  const out = clampBox(pack(best), lo, hi);
  if (!Number.isFinite(eps)) return out;
  const dist = lpNorm(out.sub(x), norm).dataSync();
  return selectRows(
    Array.from(dist, (v) => v <= eps),
    out,
    x,
  );
}

function vecNorm(v: Float64Array, q: LpNorm): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    s = q === 'linf' ? Math.max(s, a) : q === 'l2' ? s + a * a : s + a;
  }
  return q === 'l2' ? Math.sqrt(s) : s;
}
