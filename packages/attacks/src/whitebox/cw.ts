import { adam } from '@difflab/optim';
import {
  ValueError,
  atanh,
  clamp,
  fromTypedArray,
  maximum,
  sum,
  tanh,
  valueAndGrad,
  type Tensor,
} from '@difflab/tensor';
import { maxOther, pickLogit } from '../core/objective.js';
import { predict } from '../core/grad.js';
import { prepare, selectRows } from '../core/prepare.js';
import { clampBox, lpNorm } from '../core/project.js';
import type { BaseAttackOptions, Labels, Model } from '../core/types.js';
import { checkEps, checkInt, checkNonNegative, checkPositive } from '../core/validate.js';

/**
 * Options of {@link cw}.
 *
 * @example
 * ```ts
 * import type { CwOptions } from '@difflab/attacks';
 * const opts: CwOptions = { c: 1, kappa: 0, steps: 100, lr: 0.01, binarySearchSteps: 5, eps: 0.5 };
 * ```
 */
export interface CwOptions extends BaseAttackOptions {
  /** Initial trade-off constant c between distance and misclassification (default 1). */
  c?: number;
  /** Confidence margin kappa (default 0). */
  kappa?: number;
  /** Adam steps per constant (default 100). */
  steps?: number;
  /** Adam learning rate (default 0.01). */
  lr?: number;
  /** Binary-search rounds over c (default 5; 1 keeps c fixed, as torchattacks). */
  binarySearchSteps?: number;
  /** Target classes; untargeted when omitted. */
  targets?: Labels;
  /**
   * Optional L2 budget: adversarials farther than eps are discarded (the clean input is returned),
   * which makes CW usable in a fixed-eps robust-accuracy evaluation.
   */
  eps?: number;
}

/**
 * Carlini-Wagner L2 attack (Carlini & Wagner 2017): minimise ||x' - x||_2^2 + c * f(x') over
 * x' = lo + (hi - lo)(tanh(w) + 1)/2 with Adam (from @difflab/optim), f = max(z_y - max_{j!=y} z_j, -kappa)
 * (targeted: max(max_{j!=t} z_j - z_t, -kappa)), with a per-example binary search on c.
 * Returns, per example, the smallest adversarial found (the clean input where none was found).
 *
 * Equivalent to torchattacks' `CW` (with `binarySearchSteps: 1`) and to the original CW-L2 with
 * the binary search.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link CwOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, argmax, type Tensor } from '@difflab/tensor';
 * import { cw } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = cw(model, tensor([[0.45, 0.55]]), [1], { c: 10, steps: 50, lr: 0.05, binarySearchSteps: 3 });
 * argmax(model(adv), 1); // tensor([0]): just across the boundary x0 = x1
 * ```
 */
export function cw(model: Model, x: Tensor, y: Labels, opts: CwOptions = {}): Tensor {
  const op = 'cw';
  const c0 = checkPositive(op, 'c', opts.c ?? 1);
  const kappa = checkNonNegative(op, 'kappa', opts.kappa ?? 0);
  const steps = checkInt(op, 'steps', opts.steps ?? 100, 1);
  const lr = checkPositive(op, 'lr', opts.lr ?? 0.01);
  const rounds = checkInt(op, 'binarySearchSteps', opts.binarySearchSteps ?? 5, 1);
  const eps = opts.eps === undefined ? Infinity : checkEps(op, opts.eps);
  const p = prepare(op, model, x, y, opts);
  const { lo, hi, n } = p;
  const span = hi - lo;
  if (!Number.isFinite(span))
    throw new ValueError(`${op}: needs finite bounds for its tanh change of variables, got [${lo}, ${hi}]`);
  const toBox = (w: Tensor) =>
    tanh(w)
      .add(1)
      .mul(span / 2)
      .add(lo);
  const w0 = atanh(
    clamp(
      x
        .sub(lo)
        .mul(2 / span)
        .sub(1),
      -1 + 1e-6,
      1 - 1e-6,
    ),
  );
  const targets = p.targets;
  const ref = (targets ?? p.y).dataSync();

  const cs = new Float64Array(n).fill(c0);
  const lower = new Float64Array(n).fill(0);
  const upper = new Float64Array(n).fill(Infinity);
  const bestL2 = new Float64Array(n).fill(Infinity);
  let best = x;

  for (let r = 0; r < rounds; r++) {
    const cVec = tensorOf(cs, x.dtype);
    const cost = (w: Tensor) => {
      const adv = toBox(w);
      const l2 = sum(adv.sub(x).square().reshape([n, -1]), 1);
      const z = model(adv);
      const f = targets
        ? maximum(maxOther(z, targets).sub(pickLogit(z, targets)), -kappa)
        : maximum(pickLogit(z, p.y).sub(maxOther(z, p.y)), -kappa);
      return sum(l2.add(cVec.mul(f)));
    };
    const opt = adam({ lr });
    let w = w0;
    let state = opt.init(w);
    const found = new Uint8Array(n);
    for (let s = 0; s < steps; s++) {
      const [, g] = valueAndGrad(cost)(w) as [Tensor, Tensor];
      ({ params: w, state } = opt.update(g, state, w) as { params: Tensor; state: typeof state });
      const adv = clampBox(toBox(w), lo, hi);
      const z = model(adv);
      const pred = predict(z);
      const l2 = lpNorm(adv.sub(x), 'l2').dataSync();
      // Success needs the kappa margin too, as in the paper.
      const zd = z.dataSync();
      const c = z.shape[1]!;
      const improve = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const t = ref[i]!;
        let other = -Infinity;
        for (let j = 0; j < c; j++) if (j !== t) other = Math.max(other, zd[i * c + j]!);
        const margin = targets ? zd[i * c + t]! - other : other - zd[i * c + t]!;
        const ok = (targets ? pred[i] === t : pred[i] !== t) && margin >= kappa;
        if (ok) {
          found[i] = 1;
          if (l2[i]! < bestL2[i]!) {
            bestL2[i] = l2[i]!;
            improve[i] = 1;
          }
        }
      }
      if (improve.some((v) => v)) best = selectRows(improve, adv, best);
    }
    for (let i = 0; i < n; i++) {
      if (found[i]) {
        upper[i] = Math.min(upper[i]!, cs[i]!);
        cs[i] = (lower[i]! + upper[i]!) / 2;
      } else {
        lower[i] = Math.max(lower[i]!, cs[i]!);
        cs[i] = Number.isFinite(upper[i]!) ? (lower[i]! + upper[i]!) / 2 : cs[i]! * 10;
      }
    }
  }
  const keep = Array.from(bestL2, (d) => d <= eps);
  return selectRows(keep, best, x);
}

function tensorOf(v: Float64Array, dtype: Tensor['dtype']): Tensor {
  return fromTypedArray(dtype === 'float64' ? v : Float32Array.from(v), [v.length], { dtype });
}
