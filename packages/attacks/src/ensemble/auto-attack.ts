import { ValueError, random, type Tensor } from '@difflab/tensor';
import { toKey } from '../core/grad.js';
import type { AttackFn, Bounds, KeyLike, Labels, Model } from '../core/types.js';
import { checkEps, checkInt, checkNorm } from '../core/validate.js';
import { square } from '../blackbox/square.js';
import { apgd, apgdTargeted } from '../whitebox/apgd.js';
import { fab } from '../whitebox/fab.js';
import { worstCase, type EnsembleOptions, type EnsembleResult } from './ensemble.js';

/**
 * Names of the members {@link autoAttack} can run, in AutoAttack's naming.
 *
 * @example
 * ```ts
 * import type { AutoAttackMember } from '@difflab/attacks';
 * const rand: AutoAttackMember[] = ['apgd-ce', 'apgd-dlr']; // AutoAttack's "rand" version suite
 * ```
 */
export type AutoAttackMember = 'apgd-ce' | 'apgd-dlr' | 'apgd-t' | 'fab' | 'fab-t' | 'square';

/**
 * Options of {@link autoAttack}, {@link autoAttackDetailed} and {@link autoAttackMembers}.
 *
 * @example
 * ```ts
 * import type { AutoAttackOptions } from '@difflab/attacks';
 * const opts: AutoAttackOptions = { eps: 8 / 255, norm: 'linf', attacks: ['apgd-ce', 'apgd-t'], steps: 100, cascade: true };
 * ```
 */
export interface AutoAttackOptions extends Pick<EnsembleOptions, 'cascade' | 'onMember'> {
  /** Radius of the ball. */
  eps: number;
  /** 'linf' (default) or 'l2'. */
  norm?: 'linf' | 'l2';
  /** Input box (default `[0, 1]`). */
  bounds?: Bounds;
  /** Members, in order (default the standard suite: APGD-CE, APGD-T, FAB-T, Square). */
  attacks?: AutoAttackMember[];
  /** APGD and FAB iterations (default 100). */
  steps?: number;
  /** Target classes of APGD-T and FAB-T (default 9). */
  numTargets?: number;
  /** Square's query budget (default 5000). */
  squareQueries?: number;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * The member attacks of {@link autoAttack} with their options, by name.
 *
 * Useful to run the members separately, e.g. in {@link robustAccuracy} for a per-attack report.
 *
 * @param opts - see {@link AutoAttackOptions}.
 * @returns Attack functions keyed by member name, in run order.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { autoAttackMembers, robustAccuracy } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, 0, 0, -1], [0, 1, -1, 0]])); // 4 classes
 * const members = autoAttackMembers({ eps: 0.1, attacks: ['apgd-ce', 'square'], steps: 10, squareQueries: 50 });
 * const report = await robustAccuracy(model, tensor([[0.6, 0.5]]), [0], members);
 * Object.keys(report.attacks); // ['apgd-ce', 'square']
 * ```
 */
export function autoAttackMembers(opts: AutoAttackOptions): Record<string, AttackFn> {
  const op = 'autoAttack';
  const eps = checkEps(op, opts?.eps);
  const norm = checkNorm(op, opts.norm ?? 'linf', ['linf', 'l2'] as const);
  const steps = checkInt(op, 'steps', opts.steps ?? 100, 1);
  const numTargets = checkInt(op, 'numTargets', opts.numTargets ?? 9, 1);
  const queries = checkInt(op, 'squareQueries', opts.squareQueries ?? 5000, 0);
  const key = toKey(op, opts.key);
  const bounds = opts.bounds;
  const k = (i: number) => random.foldIn(key, i);
  const all: Record<AutoAttackMember, AttackFn> = {
    'apgd-ce': (m, x, y) => apgd(m, x, y, { eps, norm, steps, bounds, loss: 'ce', key: k(0) }),
    'apgd-dlr': (m, x, y) => apgd(m, x, y, { eps, norm, steps, bounds, loss: 'dlr', key: k(1) }),
    'apgd-t': (m, x, y) => apgdTargeted(m, x, y, { eps, norm, steps, bounds, numTargets, key: k(2) }),
    fab: (m, x, y) => fab(m, x, y, { eps, norm, steps, bounds, key: k(3) }),
    'fab-t': (m, x, y) => fab(m, x, y, { eps, norm, steps, bounds, numTargets, key: k(4) }),
    square: (m, x, y) => square(m, x, y, { eps, norm, bounds, queries, key: k(5) }),
  };
  const names = opts.attacks ?? ['apgd-ce', 'apgd-t', 'fab-t', 'square'];
  const out: Record<string, AttackFn> = {};
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(all, name))
      throw new ValueError(`${op}: unknown member '${String(name)}' (expected ${Object.keys(all).join(', ')})`);
    out[name] = all[name];
  }
  return out;
}

/**
 * AutoAttack-style evaluation (Croce & Hein 2020): the parameter-free ensemble APGD-CE, APGD-T
 * (targeted DLR), FAB-T and Square, combined per example (the first member that succeeds wins).
 * By default every member attacks every example, so the ensemble's robust accuracy is at most each
 * member's; `cascade: true` attacks only the examples still robust (AutoAttack's faster protocol).
 * Returns the details; {@link autoAttack} returns only the adversarial inputs.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link AutoAttackOptions}.
 * @returns The adversarial inputs, the member kept per example and the per-example success flags.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { autoAttackDetailed } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, 0, 0, -1], [0, 1, -1, 0]]));
 * const res = autoAttackDetailed(model, tensor([[0.55, 0.5]]), [0], { eps: 0.1, attacks: ['apgd-ce', 'apgd-t'], steps: 10 });
 * res.success; // Uint8Array [1]
 * res.chosen; // ['apgd-ce']
 * ```
 */
export function autoAttackDetailed(model: Model, x: Tensor, y: Labels, opts: AutoAttackOptions): EnsembleResult {
  return worstCase(model, x, y, autoAttackMembers(opts), {
    bounds: opts.bounds,
    cascade: opts.cascade,
    onMember: opts.onMember,
  });
}

/**
 * AutoAttack-style evaluation (APGD-CE, APGD-T, FAB-T, Square by default); returns only the
 * adversarial inputs of {@link autoAttackDetailed}.
 *
 * The standard, parameter-free robustness evaluation: report robust accuracy under it rather than
 * under a single PGD run.
 *
 * @param model - classifier `(x) => logits [N, C]` (C ≥ 4 for the targeted members).
 * @param x - clean inputs `[N, ...]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link AutoAttackOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, argmax, type Tensor } from '@difflab/tensor';
 * import { autoAttack } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, 0, 0, -1], [0, 1, -1, 0]]));
 * const adv = autoAttack(model, tensor([[0.55, 0.5]]), [0], { eps: 0.1, steps: 10, squareQueries: 100 });
 * argmax(model(adv), 1); // tensor([1]): class 1 overtakes class 0
 * ```
 */
export function autoAttack(model: Model, x: Tensor, y: Labels, opts: AutoAttackOptions): Tensor {
  return autoAttackDetailed(model, x, y, opts).adv;
}
