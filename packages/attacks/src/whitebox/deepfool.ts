import { fromTypedArray, type Tensor } from '@difflab/tensor';
import { classGradients, predict } from '../core/grad.js';
import { prepare, selectRows } from '../core/prepare.js';
import { clampBox, lpNorm } from '../core/project.js';
import type { BaseAttackOptions, Labels, Model } from '../core/types.js';
import { checkEps, checkInt, checkNonNegative, checkNorm } from '../core/validate.js';

/**
 * Options of {@link deepfool}.
 *
 * @example
 * ```ts
 * import type { DeepFoolOptions } from '@difflab/attacks';
 * const opts: DeepFoolOptions = { steps: 50, overshoot: 0.02, norm: 'l2' };
 * ```
 */
export interface DeepFoolOptions extends BaseAttackOptions {
  /** Iterations (default 50). */
  steps?: number;
  /** Overshoot factor applied to the accumulated perturbation (default 0.02). */
  overshoot?: number;
  /** 'l2' (default) or 'linf' (the L-inf variant of the paper). */
  norm?: 'l2' | 'linf';
  /** Optional budget in `norm`: adversarials beyond it are discarded (the clean input is returned). */
  eps?: number;
}

/**
 * DeepFool (Moosavi-Dezfooli et al. 2016): repeatedly linearise the classifier and jump to the
 * nearest linearised decision boundary: with f_k = z_k - z_y and w_k = grad f_k, the closest class k
 * minimises |f_k| / ||w_k||_q (q the dual norm) and the step is (|f_k| + 1e-4) w_k / ||w_k||_2^2 (L2)
 * or (|f_k| + 1e-4) sign(w_k) / ||w_k||_1 (L-inf). The accumulated perturbation is scaled by
 * (1 + overshoot). Minimum-norm and untargeted; examples stop as soon as they are misclassified.
 *
 * Equivalent to torchattacks' `DeepFool` (L2).
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link DeepFoolOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { deepfool } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = deepfool(model, tensor([[0.2, 0.6]]), [1]); // ≈ [[0.404, 0.396]]: the boundary plus 2% overshoot
 * ```
 */
export function deepfool(model: Model, x: Tensor, y: Labels, opts: DeepFoolOptions = {}): Tensor {
  const op = 'deepfool';
  const steps = checkInt(op, 'steps', opts.steps ?? 50, 1);
  const overshoot = checkNonNegative(op, 'overshoot', opts.overshoot ?? 0.02);
  const norm = checkNorm(op, opts.norm ?? 'l2', ['l2', 'linf'] as const);
  const eps = opts.eps === undefined ? Infinity : checkEps(op, opts.eps);
  const p = prepare(op, model, x, y, opts);
  const { n, classes: c, lo, hi } = p;
  const d = x.size / n;
  const labels = p.y.dataSync();
  const rTot = new Float64Array(n * d);
  let adv = x;
  let active = Array.from(predict(p.clean), (v, i) => v === labels[i]);
  for (let it = 0; it < steps && active.some(Boolean); it++) {
    const { logits, grads } = classGradients(model, adv);
    const z = logits.dataSync();
    const g = grads.map((t) => t.dataSync());
    const pred = predict(logits);
    active = active.map((a, i) => a && pred[i] === labels[i]);
    if (!active.some(Boolean)) break;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      const yi = labels[i]!;
      let bestDist = Infinity;
      let bestK = -1;
      let bestNorm = 0;
      for (let k = 0; k < c; k++) {
        if (k === yi) continue;
        const f = z[i * c + k]! - z[i * c + yi]!;
        let wn = 0;
        for (let j = 0; j < d; j++) {
          const w = g[k]![i * d + j]! - g[yi]![i * d + j]!;
          wn = norm === 'l2' ? wn + w * w : wn + Math.abs(w);
        }
        const dual = norm === 'l2' ? Math.sqrt(wn) : wn;
        const dist = Math.abs(f) / (dual + 1e-8);
        if (dist < bestDist) [bestDist, bestK, bestNorm] = [dist, k, dual];
      }
      const f = Math.abs(z[i * c + bestK]! - z[i * c + yi]!);
      for (let j = 0; j < d; j++) {
        const w = g[bestK]![i * d + j]! - g[yi]![i * d + j]!;
        rTot[i * d + j]! +=
          norm === 'l2'
            ? ((f + 1e-4) / (bestNorm * bestNorm + 1e-8)) * w
            : ((f + 1e-4) / (bestNorm + 1e-8)) * Math.sign(w);
      }
    }
    const r = fromTypedArray(
      x.dtype === 'float64'
        ? rTot.map((v) => v * (1 + overshoot))
        : Float32Array.from(rTot, (v) => v * (1 + overshoot)),
      x.shape,
      {
        dtype: x.dtype,
      },
    );
    adv = selectRows(active, clampBox(x.add(r), lo, hi), adv);
  }
  if (!Number.isFinite(eps)) return adv;
  const dist = lpNorm(adv.sub(x), norm).dataSync();
  return selectRows(
    Array.from(dist, (v) => v <= eps),
    adv,
    x,
  );
}
