import { ShapeError, ValueError, fmtShape, tidy, type Tensor } from '@difflab/tensor';
import { predict } from '../core/grad.js';
import { takeRows } from '../core/prepare.js';
import { lpNorm } from '../core/project.js';
import type { AttackFn, Labels, Model } from '../core/types.js';
import { checkInt, toLabels } from '../core/validate.js';

/**
 * What {@link RobustAccuracyOptions.onProgress} receives after each batch.
 *
 * @example
 * ```ts
 * import type { ProgressInfo } from '@difflab/attacks';
 * const onProgress = ({ attack, step, steps }: ProgressInfo) => console.log(`${attack}: ${Math.round((100 * step) / steps)}%`);
 * ```
 */
export interface ProgressInfo {
  /** Attack being run. */
  attack: string;
  /** Batches finished so far, over all attacks. */
  step: number;
  /** Total batches over all attacks. */
  steps: number;
  /** Examples processed by this attack so far. */
  done: number;
  /** Examples in x. */
  total: number;
}

/**
 * Options of {@link robustAccuracy} and {@link robustAccuracySync}.
 *
 * @example
 * ```ts
 * import type { RobustAccuracyOptions } from '@difflab/attacks';
 * const controller = new AbortController();
 * const opts: RobustAccuracyOptions = { batchSize: 128, signal: controller.signal, onProgress: (p) => console.log(p.attack, p.done, p.total) };
 * ```
 */
export interface RobustAccuracyOptions {
  /** Examples per attack call (default: all at once). */
  batchSize?: number;
  /** Called after every batch of every attack. */
  onProgress?: (info: ProgressInfo) => void;
  /** Checked before every batch; aborting rejects with the signal's reason (or an AbortError). */
  signal?: AbortSignal;
}

/**
 * One attack's entry in {@link RobustnessReport.attacks}.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { robustAccuracy, bindAttack, fgsm, type AttackReport } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const report = await robustAccuracy(model, tensor([[0.45, 0.55]]), [1], { fgsm: bindAttack(fgsm, { eps: 0.1 }) });
 * const r: AttackReport = report.attacks.fgsm!;
 * r.successRate; // 1
 * r.maxLinf; // 0.1
 * ```
 */
export interface AttackReport {
  /** Fraction of all examples classified correctly both clean and after this attack. */
  robustAccuracy: number;
  /** Count of the examples robust to this attack. */
  robust: number;
  /** Fraction of the clean-correct examples the attack broke. */
  successRate: number;
  /** Mean L-inf perturbation over the attacked (clean-correct) examples. */
  meanLinf: number;
  /** Largest L-inf perturbation. */
  maxLinf: number;
  /** Mean L2 perturbation. */
  meanL2: number;
  /** Largest L2 perturbation. */
  maxL2: number;
  /** Largest L0 size (number of changed coordinates). */
  maxL0: number;
  /** Wall-clock time of this attack. */
  seconds: number;
  /** Per example: robust to this attack. */
  perExample: Uint8Array;
}

/**
 * What {@link robustAccuracy} resolves to.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { robustAccuracySync, bindAttack, fgsm, type RobustnessReport } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const x = tensor([[0.45, 0.55], [0.1, 0.9], [0.7, 0.6]]);
 * const rep: RobustnessReport = robustAccuracySync(model, x, [1, 1, 1], bindAttack(fgsm, { eps: 0.1 }));
 * rep.cleanAccuracy; // 2/3 (the third point is misclassified)
 * rep.robustAccuracy; // 1/3
 * ```
 */
export interface RobustnessReport {
  /** Examples in x. */
  total: number;
  /** Fraction of the examples classified correctly without attack. */
  cleanAccuracy: number;
  /** Count of the examples classified correctly without attack. */
  clean: number;
  /** One report per attack, keyed by name (`attack` for a single attack function). */
  attacks: Record<string, AttackReport>;
  /** Per-example worst case over all attacks: robust only if robust to every attack. */
  robustAccuracy: number;
  /** Count of the examples robust to every attack. */
  robust: number;
  /** Per example: classified correctly clean, and robust to every attack. */
  perExample: {
    /** 1 where the example is classified correctly without attack. */
    clean: Uint8Array;
    /** 1 where it is also robust to every attack. */
    robust: Uint8Array;
  };
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
 *
 * A single attack function appears in the report as `attacks.attack`.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - inputs `[N, ...]`.
 * @param y - true labels `[N]`.
 * @param attack - one attack or attacks by name (see {@link bindAttack}).
 * @param opts - batching, progress callback and abort signal.
 * @returns See {@link RobustnessReport}.
 * @throws {ShapeError} when `y` does not match the batch.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { robustAccuracy, bindAttack, fgsm, pgd } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const x = tensor([[0.45, 0.55], [0.1, 0.9]]);
 * const report = await robustAccuracy(model, x, [1, 1], {
 *   fgsm: bindAttack(fgsm, { eps: 0.1 }),
 *   pgd: bindAttack(pgd, { eps: 0.1, steps: 10 }),
 * }, { batchSize: 1, onProgress: (p) => console.log(p.attack, `${p.step}/${p.steps}`) });
 * report.cleanAccuracy; // 1
 * report.robustAccuracy; // 0.5
 * ```
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

/**
 * Synchronous {@link robustAccuracy}; `signal` is only seen if it fires from `onProgress`.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - inputs `[N, ...]`.
 * @param y - true labels `[N]`.
 * @param attack - one attack or attacks by name.
 * @param opts - batching and progress callback.
 * @returns See {@link RobustnessReport}.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { robustAccuracySync, bindAttack, pgd } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const report = robustAccuracySync(model, tensor([[0.45, 0.55]]), [1], bindAttack(pgd, { eps: 0.1 }));
 * report.attacks.attack!.robustAccuracy; // 0
 * ```
 */
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
