import { ShapeError, ValueError, fmtShape, tidy, type Tensor } from '@difflab/tensor';
import { predict } from '../core/grad.js';
import { takeRows } from '../core/prepare.js';
import { lpNorm } from '../core/project.js';
import type { AttackFn, Labels, Model } from '../core/types.js';
import { checkInt, toLabels } from '../core/validate.js';

export interface ProgressInfo {
  /** Attack being run. */
  attack: string;
  /** Batches finished so far (over all attacks) and in total. */
  step: number;
  steps: number;
  /** Examples processed by this attack so far. */
  done: number;
  total: number;
}

export interface RobustAccuracyOptions {
  /** Examples per attack call (default: all at once). */
  batchSize?: number;
  /** Called after every batch of every attack. */
  onProgress?: (info: ProgressInfo) => void;
  /** Checked before every batch; aborting rejects with the signal's reason (or an AbortError). */
  signal?: AbortSignal;
}

export interface AttackReport {
  /** Fraction of all examples classified correctly both clean and after this attack. */
  robustAccuracy: number;
  robust: number;
  /** Fraction of the clean-correct examples the attack broke. */
  successRate: number;
  /** Perturbation sizes over the attacked examples. */
  meanLinf: number;
  maxLinf: number;
  meanL2: number;
  maxL2: number;
  /** Largest L0 size (number of changed coordinates). */
  maxL0: number;
  seconds: number;
  /** Per example: robust to this attack. */
  perExample: Uint8Array;
}

export interface RobustnessReport {
  total: number;
  cleanAccuracy: number;
  clean: number;
  attacks: Record<string, AttackReport>;
  /** Per-example worst case over all attacks: robust only if robust to every attack. */
  robustAccuracy: number;
  robust: number;
  perExample: { clean: Uint8Array; robust: Uint8Array };
}

function* evaluate(
  model: Model,
  x: Tensor,
  y: Labels,
  attack: AttackFn | Record<string, AttackFn>,
  opts: RobustAccuracyOptions,
): Generator<void, RobustnessReport> {
  const op = 'robustAccuracy';
  if (typeof model !== 'function') throw new ValueError(`${op}: model must be a function (x: Tensor) => logits Tensor`);
  if (x.ndim < 2) throw new ShapeError(`${op}: x must be a batch [N, ...], got ${fmtShape(x.shape)}`);
  const n = x.shape[0]!;
  const labels = toLabels(op, y, n, x.shape);
  const attacks: Record<string, AttackFn> = typeof attack === 'function' ? { attack } : { ...attack };
  const names = Object.keys(attacks);
  if (names.length === 0) throw new ValueError(`${op}: needs at least one attack`);
  for (const k of names)
    if (typeof attacks[k] !== 'function')
      throw new ValueError(`${op}: attack '${k}' is not a function (model, x, y) => Tensor`);
  const batch = checkInt(op, 'batchSize', opts.batchSize ?? n, 1);
  const yd = labels.dataSync();
  const check = () => {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new DOMException('robustAccuracy was aborted', 'AbortError');
  };

  const batches: number[][] = [];
  for (let s = 0; s < n; s += batch) batches.push(Array.from({ length: Math.min(batch, n - s) }, (_, k) => s + k));
  const clean = new Uint8Array(n);
  for (const idx of batches) {
    check();
    const pred = tidy(() => predict(model(takeRows(x, idx))));
    idx.forEach((i, k) => (clean[i] = +(pred[k] === yd[i])));
  }
  const cleanCount = clean.reduce((a, b) => a + b, 0);
  const reports: Record<string, AttackReport> = {};
  const worst = Uint8Array.from(clean);
  let step = 0;
  const steps = names.length * batches.length;
  for (const name of names) {
    const robust = new Uint8Array(n);
    const linf: number[] = [];
    const l2: number[] = [];
    let maxL0 = 0;
    let done = 0;
    const t0 = performance.now();
    for (const idx of batches) {
      check();
      const keep = idx.filter((i) => clean[i]);
      if (keep.length) {
        tidy(() => {
          const xs = takeRows(x, keep);
          const ys = takeRows(labels, keep);
          const adv = attacks[name]!(model, xs, ys);
          if (adv.shape.join() !== xs.shape.join())
            throw new ShapeError(
              `${op}: attack '${name}' returned ${fmtShape(adv.shape)} for inputs ${fmtShape(xs.shape)}`,
            );
          const pred = predict(model(adv));
          const delta = adv.sub(xs);
          const a = lpNorm(delta, 'linf').dataSync();
          const b = lpNorm(delta, 'l2').dataSync();
          const c = lpNorm(delta, 0).dataSync();
          keep.forEach((i, k) => {
            robust[i] = +(pred[k] === yd[i]);
            linf.push(a[k]!);
            l2.push(b[k]!);
            maxL0 = Math.max(maxL0, c[k]!);
          });
        });
      }
      done += idx.length;
      opts.onProgress?.({ attack: name, step: ++step, steps, done, total: n });
      yield;
    }
    const count = robust.reduce((a, b) => a + b, 0);
    for (let i = 0; i < n; i++) worst[i] = worst[i]! & robust[i]!;
    const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
    reports[name] = {
      robustAccuracy: count / n,
      robust: count,
      successRate: cleanCount ? (cleanCount - count) / cleanCount : 0,
      meanLinf: mean(linf),
      maxLinf: linf.length ? Math.max(...linf) : 0,
      meanL2: mean(l2),
      maxL2: l2.length ? Math.max(...l2) : 0,
      maxL0,
      seconds: (performance.now() - t0) / 1000,
      perExample: robust,
    };
  }
  const robustCount = worst.reduce((a, b) => a + b, 0);
  return {
    total: n,
    cleanAccuracy: cleanCount / n,
    clean: cleanCount,
    attacks: reports,
    robustAccuracy: robustCount / n,
    robust: robustCount,
    perExample: { clean, robust: worst },
  };
}

/**
 * Clean and robust accuracy of `model` on (x, y) under one attack or a named set of attacks.
 * Attacks run batch by batch on the clean-correct examples only (misclassified examples count as
 * non-robust). The report has one entry per attack (robust accuracy, success rate, perturbation
 * sizes, time) and the per-example worst case over all attacks. Yields to the event loop between
 * batches, so `signal` can abort it and UIs stay responsive.
 */
export async function robustAccuracy(
  model: Model,
  x: Tensor,
  y: Labels,
  attack: AttackFn | Record<string, AttackFn>,
  opts: RobustAccuracyOptions = {},
): Promise<RobustnessReport> {
  const it = evaluate(model, x, y, attack, opts);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}

/** Synchronous {@link robustAccuracy}; `signal` is only seen if it fires from `onProgress`. */
export function robustAccuracySync(
  model: Model,
  x: Tensor,
  y: Labels,
  attack: AttackFn | Record<string, AttackFn>,
  opts: RobustAccuracyOptions = {},
): RobustnessReport {
  const it = evaluate(model, x, y, attack, opts);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}
