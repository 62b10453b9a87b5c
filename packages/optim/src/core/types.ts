import type { Tensor } from '@difflab/tensor';

/**
 * A learning-rate schedule: maps the 0-based count of completed updates to a learning rate
 * (optax's `Schedule`; PyTorch's `LRScheduler` as a pure function).
 *
 * @example
 * ```ts
 * import { sgd, type Schedule } from '@difflab/optim';
 * const halving: Schedule = (step) => 0.1 * 0.5 ** Math.floor(step / 100);
 * const opt = sgd({ lr: halving });
 * ```
 */
export type Schedule = (step: number) => number;

/**
 * A constant learning rate or a {@link Schedule}; every `lr` option accepts either.
 *
 * @example
 * ```ts
 * import { cosineSchedule, type LearningRate } from '@difflab/optim';
 * const constant: LearningRate = 1e-3;
 * const decaying: LearningRate = cosineSchedule({ lr: 1e-3, tMax: 1000 });
 * ```
 */
export type LearningRate = number | Schedule;

/**
 * A scalar loss of a parameter pytree, as passed to the closure form `step(lossFn, params, state)`.
 *
 * @example
 * ```ts
 * import { matmul, tensor, type Tensor } from '@difflab/tensor';
 * import type { LossFn } from '@difflab/optim';
 * const x = tensor([[1, 2]]);
 * const loss: LossFn<{ w: Tensor }> = (p) => matmul(x, p.w).square().mean();
 * ```
 */
export type LossFn<P = any> = (params: P) => Tensor;

/**
 * Which parameter leaves an option applies to: a predicate over the leaf's dotted path
 * (`'layers.0.w'`, object keys sorted as in `tree.flatten`) and the leaf itself, or a pytree
 * of booleans with the structure of the params.
 *
 * @example
 * ```ts
 * import { adamw, type Mask } from '@difflab/optim';
 * const decayWeightsOnly: Mask = (path: string) => path.endsWith('.w');
 * const byTree: Mask = { layer: { w: true, b: false } };
 * const opt = adamw({ lr: 1e-3, weightDecay: 0.01, weightDecayMask: decayWeightsOnly });
 * ```
 */
export type Mask = ((path: string, leaf: Tensor) => boolean) | unknown;

/**
 * What a transform may use besides the incoming updates.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import type { TransformContext } from '@difflab/optim';
 * const ctx: TransformContext = { loss: tensor(0.5) };
 * ```
 */
export interface TransformContext {
  /** The loss function, present in the closure form `step(lossFn, …)`. */
  lossFn?: LossFn;
  /** The loss at the current params (a number or scalar Tensor), when known. */
  loss?: number | Tensor;
}

/**
 * What a gradient transformation's `transform` returns: the outgoing updates and the new state.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import type { TransformResult } from '@difflab/optim';
 * const r: TransformResult<number> = { updates: { w: tensor([-0.1]) }, state: 1 };
 * ```
 */
export interface TransformResult<S> {
  /** Updates to add to the params (optax convention: an optimizer returns `-lr * direction`). */
  updates: any;
  /** The transformation's new state (the old one is left untouched). */
  state: S;
  /** The loss a transform evaluated itself (L-BFGS reports the loss at the start of its step). */
  loss?: Tensor;
}

/**
 * A gradient transformation (optax's `GradientTransformation`): `init` builds the state from the
 * params, `transform` maps incoming updates (gradients for the first transform of a chain) to
 * outgoing updates. State is immutable: every call returns a new state.
 *
 * @example
 * ```ts
 * import { mul, tree } from '@difflab/tensor';
 * import { chain, sgd, type GradientTransformation } from '@difflab/optim';
 * const halve: GradientTransformation<null> = {
 *   name: 'halve',
 *   init: () => null,
 *   transform: (u, state) => ({ updates: tree.map((x) => mul(x, 0.5), u), state }),
 * };
 * const opt = chain(halve, sgd({ lr: 0.1 }));
 * ```
 */
export interface GradientTransformation<S = any> {
  /** Name used in error messages (e.g. `'adam'`, `'chain(clipByGlobalNorm, adam)'`). */
  readonly name: string;
  /** Builds the initial state from the params pytree. */
  init(params: unknown): S;
  /** Maps incoming updates to outgoing updates and returns the new state. */
  transform(updates: unknown, state: S, params: unknown, ctx: TransformContext): TransformResult<S>;
  /** True when the transform evaluates the loss itself (SAM, L-BFGS, extragradient). */
  readonly needsClosure?: boolean;
}

/**
 * What `Optimizer.update` returns.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { sgd, type SGDState, type UpdateResult } from '@difflab/optim';
 * const opt = sgd({ lr: 0.1 });
 * const params = { w: tensor([1]) };
 * const r: UpdateResult<{ w: Tensor }, SGDState> = opt.update({ w: tensor([1]) }, opt.init(params), params);
 * r.updates.w.toArray(); // [-0.1]
 * ```
 */
export interface UpdateResult<P, S> {
  /** The new params, `params + updates`. */
  params: P;
  /** The optimizer's new state. */
  state: S;
  /** The updates that were added to the params. */
  updates: P;
}

/**
 * What `Optimizer.step` (the closure form) returns.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { sgd, type SGDState, type StepResult } from '@difflab/optim';
 * const opt = sgd({ lr: 0.1 });
 * const params = { w: tensor([1]) };
 * const r: StepResult<{ w: Tensor }, SGDState> = opt.step((p) => p.w.square().sum(), params, opt.init(params));
 * r.loss.item(); // 1
 * r.params.w.toArray(); // [0.8]
 * ```
 */
export interface StepResult<P, S> {
  /** The new params. */
  params: P;
  /** The optimizer's new state. */
  state: S;
  /** The loss at the params the step started from. */
  loss: Tensor;
}

/**
 * An optimizer: a gradient transformation whose updates are added to the params.
 *
 * `update(grads, state, params)` takes precomputed gradients; `step(lossFn, params, state)`
 * computes them (and whatever else the method needs) from the loss function. Methods that
 * re-evaluate the loss (`needsClosure`) only support `step`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adam, type Optimizer } from '@difflab/optim';
 * const opt: Optimizer = adam({ lr: 0.1 });
 * let params = { w: tensor([1, -2]) };
 * let state = opt.init(params);
 * for (let i = 0; i < 3; i++) ({ params, state } = opt.step((p) => p.w.square().sum(), params, state));
 * params.w.toArray(); // about [0.7, -1.7]
 * ```
 */
export interface Optimizer<S = any> extends GradientTransformation<S> {
  /** Applies one step from precomputed gradients; `extra.loss` feeds loss-aware transforms such as `reduceOnPlateau`. */
  update<P>(grads: P, state: S, params: P, extra?: { loss?: number | Tensor }): UpdateResult<P, S>;
  /** Applies one step of the closure form: evaluates the loss and gradients at `params` itself. */
  step<P>(lossFn: LossFn<P>, params: P, state: S): StepResult<P, S>;
}
