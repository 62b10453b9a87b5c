import { type Tensor } from '@difflab/tensor';
import { HostRng, predict, toKey } from '../core/grad.js';
import { prepare, selectRows } from '../core/prepare.js';
import { lpNorm } from '../core/project.js';
import type { BaseAttackOptions, KeyLike, Labels, Model } from '../core/types.js';
import { checkEps, checkInt, checkNorm, checkPositive } from '../core/validate.js';
import { packRows } from './common.js';

/**
 * Options of {@link hopSkipJump}.
 *
 * @example
 * ```ts
 * import type { HopSkipJumpOptions } from '@difflab/attacks';
 * const opts: HopSkipJumpOptions = { norm: 'l2', iterations: 20, initEvals: 100, maxEvals: 1000, key: 0 };
 * ```
 */
export interface HopSkipJumpOptions extends BaseAttackOptions {
  /** 'l2' (default) or 'linf'. */
  norm?: 'l2' | 'linf';
  /** Gradient-estimation / step rounds (default 20). */
  iterations?: number;
  /** Queries of the first gradient estimate; round t uses initEvals * sqrt(t) (default 100). */
  initEvals?: number;
  /** Cap on queries per estimate (default 1000). */
  maxEvals?: number;
  /** Boundary tolerance scale gamma (default 1). */
  gamma?: number;
  /** Random uniform draws tried to find a starting adversarial (default 100). */
  initTrials?: number;
  /** Optional budget: results farther than eps are discarded (the clean input is returned). */
  eps?: number;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * HopSkipJump (Chen et al. 2020), a decision-based attack that only sees the predicted label: from
 * an adversarial starting point (random noise), alternate (1) binary search to the decision
 * boundary, (2) a Monte-Carlo estimate of the boundary's normal from the signs of label changes at
 * random probes, and (3) a geometric step-size search along it. Minimum-norm and untargeted.
 *
 * The algorithm of Foolbox's / ART's `HopSkipJump`; the threat model is labels only.
 *
 * @param model - classifier `(x) => logits [N, C]`; only its argmax is used.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link HopSkipJumpOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x` (the clean input where none was found).
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { hopSkipJump } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = hopSkipJump(model, tensor([[0.2, 0.6]]), [1], { iterations: 10, initEvals: 20 });
 * // close to the boundary point [[0.4, 0.4]]
 * ```
 */
export function hopSkipJump(model: Model, x: Tensor, y: Labels, opts: HopSkipJumpOptions = {}): Tensor {
  const op = 'hopSkipJump';
  const norm = checkNorm(op, opts.norm ?? 'l2', ['l2', 'linf'] as const);
  const iterations = checkInt(op, 'iterations', opts.iterations ?? 20, 0);
  const initEvals = checkInt(op, 'initEvals', opts.initEvals ?? 100, 1);
  const maxEvals = checkInt(op, 'maxEvals', opts.maxEvals ?? 1000, 1);
  const gamma = checkPositive(op, 'gamma', opts.gamma ?? 1);
  const initTrials = checkInt(op, 'initTrials', opts.initTrials ?? 100, 1);
  const eps = opts.eps === undefined ? Infinity : checkEps(op, opts.eps);
  const p = prepare(op, model, x, y, opts);
  const { n, lo, hi } = p;
  const d = x.size / n;
  const rng = new HostRng(toKey(op, opts.key));
  const labels = p.y.dataSync();
  const x0 = Float64Array.from(x.dataSync());
  const theta = norm === 'l2' ? gamma / (d * Math.sqrt(d)) : gamma / (d * d);

  /** Labels-only oracle on a batch of host rows: which are adversarial for their example. */
  const isAdv = (rows: Float64Array, ex: number[]) => {
    const pred = predict(model(packRows(rows, x, ex.length)));
    return ex.map((i, k) => pred[k] !== labels[i]);
  };
  const row = (a: Float64Array, i: number) => a.subarray(i * d, (i + 1) * d);
  const dist = (a: Float64Array, i: number) => {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = Math.abs(a[i * d + j]! - x0[i * d + j]!);
      s = norm === 'l2' ? s + v * v : Math.max(s, v);
    }
    return norm === 'l2' ? Math.sqrt(s) : s;
  };
  /** Point between x and the adversarial a at parameter t (L2: blend; L-inf: clip to a box of radius t). */
  const between = (a: Float64Array, i: number, t: number, out: Float64Array, k: number) => {
    for (let j = 0; j < d; j++) {
      const o = x0[i * d + j]!;
      const v = a[i * d + j]!;
      out[k * d + j] = norm === 'l2' ? (1 - t) * o + t * v : Math.min(o + t, Math.max(o - t, v));
    }
  };

  const cur = Float64Array.from(x0);
  const found = new Uint8Array(n);
  const cleanAdv = isAdv(
    x0,
    Array.from({ length: n }, (_, i) => i),
  );
  // Examples with an adversarial starting point, refined by the boundary search below.
  const active: number[] = [];
  for (let i = 0; i < n; i++) if (cleanAdv[i]) found[i] = 2;
  // Starting points: the first adversarial among uniform random inputs.
  const pending = Array.from({ length: n }, (_, i) => i).filter((i) => !found[i]);
  if (pending.length) {
    const u = rng.uniform(pending.length * initTrials * d);
    const cand = Float64Array.from(u, (v) => lo + v * (hi - lo));
    const ex = pending.flatMap((i) => new Array<number>(initTrials).fill(i));
    const adv = isAdv(cand, ex);
    pending.forEach((i, k) => {
      for (let t = 0; t < initTrials; t++)
        if (adv[k * initTrials + t]) {
          cur.set(cand.subarray((k * initTrials + t) * d, (k * initTrials + t + 1) * d), i * d);
          found[i] = 1;
          active.push(i);
          break;
        }
    });
  }

  /** Binary search between x and cur (adversarial) to the boundary, keeping the adversarial side. */
  const toBoundary = (ids: number[], tol: (i: number) => number) => {
    const hiT = ids.map((i) => (norm === 'l2' ? 1 : dist(cur, i)));
    const loT = ids.map(() => 0);
    for (let it = 0; it < 60; it++) {
      const open = ids.map((i, k) => hiT[k]! - loT[k]! > tol(i));
      if (!open.some(Boolean)) break;
      const q = new Float64Array(ids.length * d);
      ids.forEach((i, k) => between(cur, i, (hiT[k]! + loT[k]!) / 2, q, k));
      const adv = isAdv(q, ids);
      ids.forEach((_, k) => {
        if (!open[k]) return;
        const mid = (hiT[k]! + loT[k]!) / 2;
        if (adv[k]) hiT[k] = mid;
        else loT[k] = mid;
      });
    }
    const out = new Float64Array(ids.length * d);
    ids.forEach((i, k) => between(cur, i, hiT[k]!, out, k));
    ids.forEach((i, k) => cur.set(out.subarray(k * d, (k + 1) * d), i * d));
  };
  const tolerance = (i: number) => (norm === 'l2' ? theta : theta * Math.max(dist(cur, i), 1e-12));
  if (active.length) toBoundary(active, tolerance);

  for (let t = 1; t <= iterations && active.length; t++) {
    const evals = Math.min(Math.floor(initEvals * Math.sqrt(t)), maxEvals);
    const deltas = active.map((i) =>
      t === 1 ? 0.1 * (hi - lo) : (norm === 'l2' ? Math.sqrt(d) : d) * theta * dist(cur, i),
    );
    // Gradient direction at the boundary point from the signs of `evals` random probes.
    const probes = new Float64Array(active.length * evals * d);
    const dirs =
      norm === 'l2' ? rng.normal(probes.length) : Float64Array.from(rng.uniform(probes.length), (v) => 2 * v - 1);
    active.forEach((i, k) => {
      for (let e = 0; e < evals; e++) {
        const o = (k * evals + e) * d;
        let s = 0;
        for (let j = 0; j < d; j++) s += dirs[o + j]! ** 2;
        s = Math.sqrt(s) || 1;
        for (let j = 0; j < d; j++) {
          const v = Math.min(hi, Math.max(lo, cur[i * d + j]! + (deltas[k]! * dirs[o + j]!) / s));
          probes[o + j] = v;
          dirs[o + j] = (v - cur[i * d + j]!) / deltas[k]!;
        }
      }
    });
    const decisions = isAdv(
      probes,
      active.flatMap((i) => new Array<number>(evals).fill(i)),
    );
    const update = new Float64Array(active.length * d);
    active.forEach((i, k) => {
      let m = 0;
      for (let e = 0; e < evals; e++) m += decisions[k * evals + e] ? 1 : -1;
      m /= evals;
      for (let e = 0; e < evals; e++) {
        const f = (decisions[k * evals + e] ? 1 : -1) - (Math.abs(m) === 1 ? 0 : m);
        const sgn = Math.abs(m) === 1 ? m : 1;
        for (let j = 0; j < d; j++) update[k * d + j]! += (sgn * f * dirs[(k * evals + e) * d + j]!) / evals;
      }
      let s = 0;
      for (let j = 0; j < d; j++) s = norm === 'l2' ? s + update[k * d + j]! ** 2 : s;
      s = Math.sqrt(s) || 1;
      for (let j = 0; j < d; j++)
        update[k * d + j] = norm === 'l2' ? update[k * d + j]! / s : Math.sign(update[k * d + j]!);
    });
    // Geometric step search: halve the step until the moved point is adversarial again.
    const step = active.map((i) => dist(cur, i) / Math.sqrt(t));
    const open = active.map(() => true);
    const moved = new Float64Array(active.length * d);
    for (let it = 0; it < 30 && open.some(Boolean); it++) {
      active.forEach((i, k) => {
        for (let j = 0; j < d; j++)
          moved[k * d + j] = Math.min(hi, Math.max(lo, cur[i * d + j]! + step[k]! * update[k * d + j]!));
      });
      const adv = isAdv(moved, active);
      active.forEach((i, k) => {
        if (!open[k]) return;
        if (adv[k]) {
          cur.set(moved.subarray(k * d, (k + 1) * d), i * d);
          open[k] = false;
        } else step[k]! /= 2;
      });
    }
    toBoundary(active, tolerance);
  }
  const out = Float64Array.from(x0);
  for (let i = 0; i < n; i++) if (found[i] === 1) out.set(row(cur, i), i * d);
  const advT = packRows(out, x, n);
  if (!Number.isFinite(eps)) return advT;
  const dd = lpNorm(advT.sub(x), norm).dataSync();
  return selectRows(
    Array.from(dd, (v) => v <= eps),
    advT,
    x,
  );
}
