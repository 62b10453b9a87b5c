import type { Tensor } from '@difflab/tensor';

/** A classifier: a pure function from a batch of inputs `[N, ...]` to logits `[N, C]`. */
export type Model = (x: Tensor) => Tensor;

/** Box constraint on every input coordinate, `[lower, upper]` (default `[0, 1]`). */
export type Bounds = readonly [number, number];

/** Class labels: an int32 tensor `[N]` or a plain array of integers. */
export type Labels = Tensor | readonly number[];

/** Randomness: a `random.key(seed)` tensor or an integer seed. */
export type KeyLike = Tensor | number;

/** Threat models of the L_p attacks. */
export type LpNorm = 'linf' | 'l2' | 'l1';

/**
 * Per-example objective the attack *increases*: `'ce'` cross-entropy, `'dlr'` the difference of
 * logits ratio (Croce & Hein 2020), `'margin'` max_{j != y} z_j - z_y (Carlini-Wagner's f6 without
 * the clamp), or a function `(logits, labels) => [N]`. Targeted attacks decrease it towards the
 * target (for `'dlr'` the targeted DLR variant is used).
 */
export type LossSpec = 'ce' | 'dlr' | 'margin' | ((logits: Tensor, labels: Tensor) => Tensor);

/**
 * An attack bound to its options: returns adversarial inputs with the shape and dtype of `x`.
 * `y` holds the true labels (int32 `[N]`).
 */
export type AttackFn = (model: Model, x: Tensor, y: Tensor) => Tensor;

/** Options every attack accepts. */
export interface BaseAttackOptions {
  /** Input box (default `[0, 1]`); inputs outside it are rejected, outputs always lie inside it. */
  bounds?: Bounds;
}

/** Options of attacks that take a gradient of a loss. */
export interface LossAttackOptions extends BaseAttackOptions {
  /** Objective to increase (default `'ce'`). */
  loss?: LossSpec;
  /**
   * Target classes (int32 `[N]` or numbers): the attack then moves towards these labels instead of
   * away from `y`.
   */
  targets?: Labels;
}
