import { ValueError, type Tensor } from '@difflab/tensor';
import { marginLoss } from '../core/objective.js';
import { RowStore, prepare, takeRows } from '../core/prepare.js';
import { predict } from '../core/grad.js';
import type { AttackFn, Bounds, Labels, Model } from '../core/types.js';

/**
 * Options of {@link ensemble} and {@link worstCase}.
 *
 * @example
 * ```ts
 * import type { EnsembleOptions } from '@difflab/attacks';
 * const opts: EnsembleOptions = {
 *   cascade: true,
 *   onMember: ({ name, robust, total }) => console.log(`${name}: ${robust}/${total} still robust`),
 * };
 * ```
 */
export interface EnsembleOptions {
  /** Input box (default `[0, 1]`). */
  bounds?: Bounds;
  /**
   * Run each member only on the examples the previous members did not break (AutoAttack's
   * protocol; faster). Default false: every member sees every example, which makes the ensemble's
   * robust accuracy at most that of each member run alone, even for randomised members.
   */
  cascade?: boolean;
  /** Called after each member with its name and the number of examples still robust. */
  onMember?: (info: { name: string; index: number; robust: number; total: number }) => void;
}

/**
 * Per-example worst case over a list of attacks.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { worstCase, bindAttack, fgsm, pgd, type EnsembleResult } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const res: EnsembleResult = worstCase(model, tensor([[0.45, 0.55]]), [1], {
 *   fgsm: bindAttack(fgsm, { eps: 0.1 }),
 *   pgd: bindAttack(pgd, { eps: 0.1 }),
 * });
 * res.chosen; // ['fgsm']: the first member that succeeds is kept
 * ```
 */
export interface EnsembleResult {
  /** The kept adversarial inputs, shaped like `x`. */
  adv: Tensor;
  /** Member whose output was kept per example (null: no member got closer to the boundary than x). */
  chosen: (string | null)[];
  /** Examples that are misclassified at the returned point. */
  success: Uint8Array;
}

/**
 * Runs the attacks and keeps, per example, the first member output that is misclassified; where
 * none succeeds, the output with the largest CW margin (the closest to the boundary).
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param attacks - member attacks by name, run in insertion order.
 * @param opts - see {@link EnsembleOptions}.
 * @returns See {@link EnsembleResult}.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { worstCase, bindAttack, fgsm } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const x = tensor([[0.45, 0.55], [0.1, 0.9]]);
 * const res = worstCase(model, x, [1, 1], { small: bindAttack(fgsm, { eps: 0.01 }), big: bindAttack(fgsm, { eps: 0.1 }) });
 * res.success; // Uint8Array [1, 0]
 * res.chosen; // ['big', 'big']: the second point is only moved closer to the boundary
 * ```
 */
export function worstCase(
  model: Model,
  x: Tensor,
  y: Labels,
  attacks: Record<string, AttackFn>,
  opts: EnsembleOptions = {},
): EnsembleResult {
  const op = 'ensemble';
  const names = Object.keys(attacks ?? {});
  if (names.length === 0) throw new ValueError(`${op}: needs at least one attack`);
  for (const k of names)
    if (typeof attacks[k] !== 'function') throw new ValueError(`${op}: member '${k}' is not an attack function`);
  const p = prepare(op, model, x, y, opts);
  const labels = p.y.dataSync();
  const store = new RowStore(x);
  const chosen: (string | null)[] = new Array(p.n).fill(null);
  const success = Uint8Array.from(predict(p.clean), (v, i) => +(v !== labels[i]));
  const bestMargin = Float64Array.from(marginLoss(p.clean, p.y).dataSync());
  names.forEach((name, index) => {
    const idx = opts.cascade
      ? Array.from({ length: p.n }, (_, i) => i).filter((i) => !success[i])
      : Array.from({ length: p.n }, (_, i) => i);
    if (idx.length > 0) {
      const xs = idx.length === p.n ? x : takeRows(x, idx);
      const ys = idx.length === p.n ? p.y : takeRows(p.y, idx);
      const adv = attacks[name]!(model, xs, ys);
      const z = model(adv);
      const pred = predict(z);
      const margin = marginLoss(z, ys).dataSync();
      const write: number[] = [];
      const rows: number[] = [];
      idx.forEach((i, j) => {
        if (success[i]) return;
        const ok = pred[j] !== labels[i];
        if (ok || margin[j]! > bestMargin[i]!) {
          write.push(i);
          rows.push(j);
          bestMargin[i] = margin[j]!;
          chosen[i] = name;
          success[i] = +ok;
        }
      });
      if (write.length) store.set(write, takeRows(adv, rows));
    }
    opts.onMember?.({ name, index, robust: success.reduce((a, s) => a + (s ? 0 : 1), 0), total: p.n });
  });
  return { adv: store.tensor(), chosen, success };
}

/**
 * The ensemble as an attack function: `ensemble({ apgd: ..., square: ... })`.
 *
 * @param attacks - member attacks by name, run in insertion order.
 * @param opts - see {@link EnsembleOptions}.
 * @returns An {@link AttackFn} returning the per-example worst case.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { ensemble, bindAttack, pgd, square } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const attack = ensemble({ pgd: bindAttack(pgd, { eps: 0.1 }), square: bindAttack(square, { eps: 0.1, queries: 100 }) });
 * const adv = attack(model, tensor([[0.45, 0.55]]), tensor([1], { dtype: 'int32' }));
 * ```
 */
export function ensemble(attacks: Record<string, AttackFn>, opts: EnsembleOptions = {}): AttackFn {
  return (model, x, y) => worstCase(model, x, y, attacks, opts).adv;
}
