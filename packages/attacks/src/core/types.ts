import type { Tensor } from '@difflab/tensor';

/**
 * A classifier: a pure function from a batch of inputs `[N, ...]` to logits `[N, C]`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import type { Model } from '@difflab/attacks';
 * const W = tensor([[1, -1], [-1, 1]]);
 * const model: Model = (x: Tensor) => matmul(x, W); // logits [N, 2]
 * ```
 */
export type Model = (x: Tensor) => Tensor;

/**
 * Box constraint on every input coordinate, `[lower, upper]` (default `[0, 1]`).
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { fgsm, type Bounds } from '@difflab/attacks';
 * const bounds: Bounds = [-1, 1]; // inputs normalised to [-1, 1]
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = fgsm(model, tensor([[0.9, -0.5]]), [0], { eps: 0.2, bounds }); // [[0.7, -0.3]]
 * ```
 */
export type Bounds = readonly [number, number];

/**
 * Class labels: an int32 tensor `[N]` or a plain array of integers.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import type { Labels } from '@difflab/attacks';
 * const a: Labels = [0, 2, 1];
 * const b: Labels = tensor([0, 2, 1], { dtype: 'int32' });
 * ```
 */
export type Labels = Tensor | readonly number[];

/**
 * Randomness: a `random.key(seed)` tensor or an integer seed.
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * import type { KeyLike } from '@difflab/attacks';
 * const seed: KeyLike = 42;
 * const key: KeyLike = random.key(42); // the same randomness as the seed 42
 * ```
 */
export type KeyLike = Tensor | number;

/**
 * Threat models of the L_p attacks.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { lpNorm, type LpNorm } from '@difflab/attacks';
 * const p: LpNorm = 'l2';
 * lpNorm(tensor([[3, 4]]), p); // tensor([5])
 * ```
 */
export type LpNorm = 'linf' | 'l2' | 'l1';

/**
 * Per-example objective the attack *increases*: `'ce'` cross-entropy, `'dlr'` the difference of
 * logits ratio (Croce & Hein 2020), `'margin'` max_{j != y} z_j - z_y (Carlini-Wagner's f6 without
 * the clamp), or a function `(logits, labels) => [N]`. Targeted attacks decrease it towards the
 * target (for `'dlr'` the targeted DLR variant is used).
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { pgd, marginLoss, type LossSpec } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const loss: LossSpec = (logits, labels) => marginLoss(logits, labels); // same as 'margin'
 * const adv = pgd(model, tensor([[0.2, 0.6]]), [1], { eps: 0.1, steps: 5, loss });
 * ```
 */
export type LossSpec = 'ce' | 'dlr' | 'margin' | ((logits: Tensor, labels: Tensor) => Tensor);

/**
 * An attack bound to its options: returns adversarial inputs with the shape and dtype of `x`.
 * `y` holds the true labels (int32 `[N]`).
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { bindAttack, pgd, type AttackFn } from '@difflab/attacks';
 * const attack: AttackFn = bindAttack(pgd, { eps: 0.1, steps: 10 });
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const adv = attack(model, tensor([[0.2, 0.6]]), tensor([1], { dtype: 'int32' }));
 * ```
 */
export type AttackFn = (model: Model, x: Tensor, y: Tensor) => Tensor;

/**
 * Options every attack accepts.
 *
 * @example
 * ```ts
 * import type { BaseAttackOptions } from '@difflab/attacks';
 * const opts: BaseAttackOptions = { bounds: [0, 255] }; // raw pixel scale
 * ```
 */
export interface BaseAttackOptions {
  /** Input box (default `[0, 1]`); inputs outside it are rejected, outputs always lie inside it. */
  bounds?: Bounds;
}

/**
 * Options of attacks that take a gradient of a loss.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { fgsm, type LossAttackOptions } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const common: LossAttackOptions = { loss: 'margin', targets: [0] }; // targeted towards class 0
 * const adv = fgsm(model, tensor([[0.2, 0.6]]), [1], { ...common, eps: 0.1 }); // [[0.3, 0.5]]
 * ```
 */
export interface LossAttackOptions extends BaseAttackOptions {
  /** Objective to increase (default `'ce'`). */
  loss?: LossSpec;
  /**
   * Target classes (int32 `[N]` or numbers): the attack then moves towards these labels instead of
   * away from `y`.
   */
  targets?: Labels;
}
