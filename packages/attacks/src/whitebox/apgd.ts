import { argsort, fromTypedArray, minimum, random, sign, type Tensor } from '@difflab/tensor';
import { objectiveGrad, successMask, toKey } from '../core/grad.js';
import { RowStore, prepare, selectRows, takeRows } from '../core/prepare.js';
import { clampBox, lpNorm, perExample, projectAdv } from '../core/project.js';
import type { KeyLike, Labels, LossAttackOptions, LossSpec, Model } from '../core/types.js';
import { checkEps, checkInt, checkNorm, checkRange } from '../core/validate.js';

/**
 * Options of {@link apgd}.
 *
 * @example
 * ```ts
 * import type { ApgdOptions } from '@difflab/attacks';
 * const opts: ApgdOptions = { eps: 8 / 255, norm: 'linf', steps: 100, loss: 'dlr', restarts: 1, key: 0 };
 * ```
 */
export interface ApgdOptions extends LossAttackOptions {
  /** Radius of the ball. */
  eps: number;
  /** 'linf' (default) or 'l2'. */
  norm?: 'linf' | 'l2';
  /** Iterations per restart (default 100). */
  steps?: number;
  /** Random restarts (default 1). */
  restarts?: number;
  /** Momentum weight of the update (default 0.75). */
  momentum?: number;
  /** Oscillation threshold rho of the step-size rule (default 0.75). */
  rho?: number;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/** L2 projection as written in APGD: x + d / (||d|| + 1e-12) * min(eps, ||d||). */
function projectL2(z: Tensor, x: Tensor, eps: number, lo: number, hi: number): Tensor {
  const d = z.sub(x);
  const nrm = lpNorm(d, 'l2');
  return clampBox(x.add(d.mul(perExample(minimum(nrm, eps).div(nrm.add(1e-12)), d))), lo, hi);
}

interface Run {
  /** Highest-loss iterate per example. */
  best: Tensor;
  bestLoss: Float64Array;
  /** Per example: an iterate that succeeded (else the start). */
  bestAdv: Tensor;
  success: Uint8Array;
}

function apgdRun(
  op: string,
  model: Model,
  x: Tensor,
  y: Tensor,
  targets: Tensor | undefined,
  loss: LossSpec,
  o: Required<Pick<ApgdOptions, 'eps' | 'norm' | 'steps' | 'momentum' | 'rho'>> & {
    lo: number;
    hi: number;
    key: Tensor;
  },
): Run {
  const { eps, norm, steps, lo, hi } = o;
  const n = x.shape[0]!;
  const dtype = x.dtype as 'float32' | 'float64';
  const project = (z: Tensor) =>
    norm === 'linf' ? projectAdv(z, x, eps, 'linf', lo, hi) : projectL2(z, x, eps, lo, hi);
  // Starting point on the sphere of radius eps (then clamped to the box), as in the reference code.
  let t: Tensor;
  if (norm === 'linf') {
    t = random.uniform(o.key, x.shape, { minval: -1, maxval: 1, dtype });
    t = t.div(perExample(lpNorm(t, 'linf').add(1e-12), t));
  } else {
    t = random.normal(o.key, x.shape, { dtype });
    t = t.div(perExample(lpNorm(t, 'l2').add(1e-12), t));
  }
  let xAdv = clampBox(x.add(t.mul(eps)), lo, hi);
  const nIter2 = Math.max(Math.floor(0.22 * steps), 1);
  const nIterMin = Math.max(Math.floor(0.06 * steps), 1);
  const sizeDecr = Math.max(Math.floor(0.03 * steps), 1);

  let { value, grad, logits } = objectiveGrad(op, model, xAdv, y, loss, targets);
  let lossCur = Float64Array.from(value.dataSync());
  const success = successMask(logits, y, targets);
  let bestAdv = selectRows(success, xAdv, x);
  let best = xAdv;
  let gradBest = grad;
  const bestLoss = Float64Array.from(lossCur);
  const history: Float64Array[] = [Float64Array.from(lossCur)];
  const stepSize = new Float64Array(n).fill(2 * eps);
  let lossBestLastCheck = Float64Array.from(bestLoss);
  let reducedLastCheck = new Uint8Array(n).fill(1);
  let k = nIter2;
  let counter = 0;
  let xOld = xAdv;

  for (let i = 0; i < steps; i++) {
    const step = perExample(
      fromTypedArray(dtype === 'float64' ? Float64Array.from(stepSize) : Float32Array.from(stepSize), [n], { dtype }),
      x,
    );
    const a = i > 0 ? o.momentum : 1;
    const prevDelta = xAdv.sub(xOld);
    xOld = xAdv;
    const dir = norm === 'linf' ? sign(grad) : grad.div(perExample(lpNorm(grad, 'l2').add(1e-12), grad));
    const z = project(xAdv.add(dir.mul(step)));
    xAdv = project(xAdv.add(z.sub(xAdv).mul(a)).add(prevDelta.mul(1 - a)));

    ({ value, grad, logits } = objectiveGrad(op, model, xAdv, y, loss, targets));
    lossCur = Float64Array.from(value.dataSync());
    history.push(Float64Array.from(lossCur));
    const ok = successMask(logits, y, targets);
    const newly = Uint8Array.from(ok, (v, j) => +(v && !success[j]));
    if (newly.some((v) => v)) bestAdv = selectRows(newly, xAdv, bestAdv);
    for (let j = 0; j < n; j++) success[j] = success[j]! | ok[j]!;
    const improved = Uint8Array.from(lossCur, (v, j) => +(v > bestLoss[j]!));
    if (improved.some((v) => v)) {
      best = selectRows(improved, xAdv, best);
      gradBest = selectRows(improved, grad, gradBest);
      for (let j = 0; j < n; j++) if (improved[j]) bestLoss[j] = lossCur[j]!;
    }

    if (++counter === k) {
      // Halve the step where the loss rarely increased during the last k steps (oscillation) or
      // where the previous check did not halve it and the best loss did not improve since.
      const halve = new Uint8Array(n);
      const last = history.length - 1;
      for (let j = 0; j < n; j++) {
        let increases = 0;
        for (let c = 0; c < k; c++) if (history[last - c]![j]! > history[last - c - 1]![j]!) increases++;
        const oscillating = increases <= k * o.rho;
        const stalled = !reducedLastCheck[j] && lossBestLastCheck[j]! >= bestLoss[j]!;
        halve[j] = +(oscillating || stalled);
      }
      reducedLastCheck = halve;
      lossBestLastCheck = Float64Array.from(bestLoss);
      if (halve.some((v) => v)) {
        for (let j = 0; j < n; j++) if (halve[j]) stepSize[j]! /= 2;
        xAdv = selectRows(halve, best, xAdv);
        grad = selectRows(halve, gradBest, grad);
      }
      k = Math.max(k - sizeDecr, nIterMin);
      counter = 0;
    }
  }
  return { best, bestLoss, bestAdv, success };
}

function resolve(op: string, opts: ApgdOptions) {
  return {
    eps: checkEps(op, opts?.eps),
    norm: checkNorm(op, opts.norm ?? 'linf', ['linf', 'l2'] as const),
    steps: checkInt(op, 'steps', opts.steps ?? 100, 1),
    restarts: checkInt(op, 'restarts', opts.restarts ?? 1, 1),
    momentum: checkRange(op, 'momentum', opts.momentum ?? 0.75, 0, 1),
    rho: checkRange(op, 'rho', opts.rho ?? 0.75, 0, 1),
    key: toKey(op, opts.key),
  };
}

/**
 * Runs restarts on the examples not broken yet; per example the first success is kept, else the
 * highest-loss iterate over all restarts.
 */
function restartLoop(
  op: string,
  model: Model,
  x: Tensor,
  y: Tensor,
  targets: Tensor | undefined,
  loss: LossSpec,
  r: ReturnType<typeof resolve>,
  lo: number,
  hi: number,
  keyOffset: number,
  store: RowStore,
  done: Uint8Array,
  bestLoss: Float64Array,
): void {
  for (let k = 0; k < r.restarts; k++) {
    const idx = Array.from(done.keys()).filter((i) => !done[i]);
    if (idx.length === 0) return;
    const sub = (t: Tensor) => takeRows(t, idx);
    const run = apgdRun(op, model, sub(x), sub(y), targets && sub(targets), loss, {
      ...r,
      lo,
      hi,
      key: random.foldIn(r.key, keyOffset + k),
    });
    const result = selectRows(run.success, run.bestAdv, run.best);
    const write: number[] = [];
    const rows: number[] = [];
    idx.forEach((i, j) => {
      if (run.success[j] || run.bestLoss[j]! > bestLoss[i]!) {
        write.push(i);
        rows.push(j);
        bestLoss[i] = run.bestLoss[j]!;
        done[i] = run.success[j]!;
      }
    });
    if (write.length) store.set(write, takeRows(result, rows));
  }
}

/**
 * Auto-PGD (Croce & Hein 2020): PGD with momentum and an automatic step-size schedule (halved at
 * checkpoints when the loss oscillates or stalls), returning per example the first successful
 * iterate or else the highest-loss one. `loss: 'ce'` gives APGD-CE, `'dlr'` APGD-DLR; with
 * `targets` the targeted losses are used (targeted CE, or targeted DLR).
 *
 * The same algorithm as AutoAttack's `APGDAttack` and torchattacks' `APGD`. No step size to tune.
 *
 * @param model - classifier `(x) => logits [N, C]` (C ≥ 3 for `'dlr'`).
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link ApgdOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, argmax, type Tensor } from '@difflab/tensor';
 * import { apgd } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = apgd(model, tensor([[0.45, 0.55]]), [1], { eps: 0.1, steps: 20 });
 * argmax(model(adv), 1); // tensor([0])
 * ```
 */
export function apgd(model: Model, x: Tensor, y: Labels, opts: ApgdOptions): Tensor {
  const op = 'apgd';
  const r = resolve(op, opts);
  const p = prepare(op, model, x, y, opts);
  const store = new RowStore(x);
  const done = successMask(p.clean, p.y, p.targets);
  restartLoop(
    op,
    model,
    x,
    p.y,
    p.targets,
    opts.loss ?? 'ce',
    r,
    p.lo,
    p.hi,
    0,
    store,
    done,
    new Float64Array(p.n).fill(-Infinity),
  );
  return store.tensor();
}

/**
 * Options of {@link apgdTargeted}: {@link ApgdOptions} without `targets`, plus how many targets to try.
 *
 * @example
 * ```ts
 * import type { ApgdTargetedOptions } from '@difflab/attacks';
 * const opts: ApgdTargetedOptions = { eps: 8 / 255, steps: 100, numTargets: 9 };
 * ```
 */
export interface ApgdTargetedOptions extends Omit<ApgdOptions, 'targets'> {
  /** How many target classes to try, the most likely wrong classes first (default 9, at most C - 1). */
  numTargets?: number;
}

/**
 * APGD-T (Croce & Hein 2020): untargeted in its goal (misclassification), but runs targeted APGD
 * with the targeted DLR loss (default) against each of the `numTargets` most likely wrong classes
 * in turn, on the examples not broken yet.
 *
 * AutoAttack's `APGD-T`.
 *
 * @param model - classifier `(x) => logits [N, C]` with C ≥ 4 for the targeted DLR loss.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link ApgdTargetedOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { apgdTargeted } from '@difflab/attacks';
 * const W = tensor([[1, 0, 0, -1], [0, 1, -1, 0]]); // 4 classes on 2 inputs
 * const model = (x: Tensor) => matmul(x, W);
 * const adv = apgdTargeted(model, tensor([[0.6, 0.5]]), [0], { eps: 0.1, steps: 10, numTargets: 2 });
 * ```
 */
export function apgdTargeted(model: Model, x: Tensor, y: Labels, opts: ApgdTargetedOptions): Tensor {
  const op = 'apgdTargeted';
  const r = resolve(op, opts);
  const p = prepare(op, model, x, y, opts);
  const numTargets = Math.min(checkInt(op, 'numTargets', opts.numTargets ?? 9, 1), p.classes - 1);
  const order = argsort(p.clean, 1, true).dataSync();
  const labels = p.y.dataSync();
  const store = new RowStore(x);
  const done = successMask(p.clean, p.y);
  const bestLoss = new Float64Array(p.n).fill(-Infinity);
  for (let t = 0; t < numTargets; t++) {
    // The (t + 1)-th most likely class other than the label.
    const tg = Int32Array.from({ length: p.n }, (_, i) => {
      const others = Array.from(order.subarray(i * p.classes, (i + 1) * p.classes)).filter((c) => c !== labels[i]);
      return others[t]!;
    });
    const targets = fromTypedArray(tg, [p.n], { dtype: 'int32' });
    // Losses of different targets are not comparable, so each target starts its own best-loss race.
    const targetDone = Uint8Array.from(done);
    restartLoop(
      op,
      model,
      x,
      p.y,
      targets,
      opts.loss ?? 'dlr',
      r,
      p.lo,
      p.hi,
      t * r.restarts,
      store,
      targetDone,
      bestLoss.fill(-Infinity),
    );
    // Reaching the target means misclassification; mark those examples done for later targets.
    for (let i = 0; i < p.n; i++) done[i] = done[i]! | targetDone[i]!;
  }
  return store.tensor();
}
