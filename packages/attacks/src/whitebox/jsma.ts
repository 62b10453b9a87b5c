import { argsort, fromTypedArray, oneHot, type Tensor } from '@difflab/tensor';
import { logitVjp, predict } from '../core/grad.js';
import { prepare } from '../core/prepare.js';
import type { BaseAttackOptions, Labels, Model } from '../core/types.js';
import { checkPositive, checkRange } from '../core/validate.js';

/**
 * Options of {@link jsma}.
 *
 * @example
 * ```ts
 * import type { JsmaOptions } from '@difflab/attacks';
 * const opts: JsmaOptions = { theta: 1, gamma: 0.1, targets: [3] };
 * ```
 */
export interface JsmaOptions extends BaseAttackOptions {
  /** Change applied to each chosen feature (default +1: features are increased; negative decreases). */
  theta?: number;
  /** Largest fraction of the features that may change (default 0.1): the L0 budget. */
  gamma?: number;
  /**
   * Target classes. Default: the most likely wrong class of each clean input (JSMA itself is
   * targeted).
   */
  targets?: Labels;
}

/**
 * Jacobian-based saliency map attack (Papernot et al. 2016), the pairwise variant: each iteration
 * picks the pair of features (p, q) maximising (a_p + a_q) |b_p + b_q| among pairs with
 * a_p + a_q > 0 and b_p + b_q < 0 (a = grad of the target logit, b = grad of the other logits' sum;
 * signs flipped for theta < 0), moves both by theta (clipped to the bounds) and removes them from the
 * search domain. Stops at the target or when the L0 budget floor(gamma d) is spent; a sparse attack.
 *
 * Equivalent to torchattacks' / CleverHans' `JSMA`.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link JsmaOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`, at most floor(gamma·d) features changed.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { jsma } from '@difflab/attacks';
 * const W = tensor([[1, -1], [-1, 1], [1, -1], [-1, 1]]);
 * const model = (x: Tensor) => matmul(x, W); // 4 features, 2 classes
 * const adv = jsma(model, tensor([[0.2, 0.6, 0.2, 0.6]]), [1], { theta: 1, gamma: 0.5 });
 * // ≈ [[1, 0.6, 1, 0.6]]: features 0 and 2 pushed to the upper bound
 * ```
 */
export function jsma(model: Model, x: Tensor, y: Labels, opts: JsmaOptions = {}): Tensor {
  const op = 'jsma';
  const theta = opts.theta ?? 1;
  checkPositive(op, '|theta|', Math.abs(theta));
  const gamma = checkRange(op, 'gamma', opts.gamma ?? 0.1, 0, 1);
  const p = prepare(op, model, x, y, opts);
  const { n, classes: c, lo, hi } = p;
  const d = x.size / n;
  const labels = p.y.dataSync();
  let tg: Int32Array;
  if (p.targets) tg = Int32Array.from(p.targets.dataSync());
  else {
    const order = argsort(p.clean, 1, true).dataSync();
    tg = Int32Array.from({ length: n }, (_, i) =>
      Array.from(order.subarray(i * c, (i + 1) * c)).find((k) => k !== labels[i])!,
    );
  }
  const budget = Math.floor(gamma * d);
  const dtype = x.dtype as 'float32' | 'float64';
  const cur = Float64Array.from(x.dataSync());
  const pack = () =>
    fromTypedArray(dtype === 'float64' ? Float64Array.from(cur) : Float32Array.from(cur), x.shape, { dtype });
  const dir = Math.sign(theta);
  // Features that can still move in the direction of theta.
  const domain = Array.from({ length: n }, (_, i) =>
    Uint8Array.from({ length: d }, (_, j) => +(dir > 0 ? cur[i * d + j]! < hi : cur[i * d + j]! > lo)),
  );
  const changed = new Int32Array(n);
  const active = new Uint8Array(n).fill(1);
  const targetT = fromTypedArray(tg, [n], { dtype: 'int32' });
  const onT = oneHot(targetT, c, dtype);
  const all = onT.mul(0).add(1);

  for (;;) {
    const xt = pack();
    const { logits, grads } = logitVjp(model, xt, [onT, all]);
    const pred = predict(logits);
    const ga = grads[0]!.dataSync();
    const gAll = grads[1]!.dataSync();
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      if (pred[i] === tg[i] || changed[i]! + 2 > budget) {
        active[i] = 0;
        continue;
      }
      const dom = domain[i]!;
      let bestScore = 0;
      let bp = -1;
      let bq = -1;
      for (let a = 0; a < d; a++) {
        if (!dom[a]) continue;
        const aa = dir * ga[i * d + a]!;
        const ba = dir * (gAll[i * d + a]! - ga[i * d + a]!);
        for (let b = a + 1; b < d; b++) {
          if (!dom[b]) continue;
          const alpha = aa + dir * ga[i * d + b]!;
          const beta = ba + dir * (gAll[i * d + b]! - ga[i * d + b]!);
          if (alpha > 0 && beta < 0 && alpha * -beta > bestScore) [bestScore, bp, bq] = [alpha * -beta, a, b];
        }
      }
      if (bp < 0) {
        active[i] = 0;
        continue;
      }
      for (const j of [bp, bq]) {
        cur[i * d + j] = Math.min(hi, Math.max(lo, cur[i * d + j]! + theta));
        dom[j] = 0;
      }
      changed[i]! += 2;
      any = true;
    }
    if (!any) break;
  }
  return pack();
}
