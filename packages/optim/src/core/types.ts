import type { Tensor } from '@difflab/tensor';

/** A learning-rate schedule: maps the 0-based count of completed updates to a learning rate. */
export type Schedule = (step: number) => number;

/** A constant learning rate or a {@link Schedule}. */
export type LearningRate = number | Schedule;

/** A scalar loss of a parameter pytree. */
export type LossFn<P = any> = (params: P) => Tensor;

/**
 * Which parameter leaves an option applies to: a predicate over the leaf's dotted path
 * (`'layers.0.w'`, object keys sorted as in `tree.flatten`) and the leaf itself, or a pytree
 * of booleans with the structure of the params.
 */
export type Mask = ((path: string, leaf: Tensor) => boolean) | unknown;

/** What a transform may use besides the incoming updates. */
export interface TransformContext {
  /** The loss function, present in the closure form `step(lossFn, …)`. */
  lossFn?: LossFn;
  /** The loss at the current params (a number or scalar Tensor), when known. */
  loss?: number | Tensor;
}

export interface TransformResult<S> {
  /** Updates to add to the params (optax convention: an optimizer returns `-lr * direction`). */
  updates: any;
  state: S;
  /** The loss a transform evaluated itself (L-BFGS reports the loss at the start of its step). */
  loss?: Tensor;
}

/**
 * A gradient transformation (optax's `GradientTransformation`): `init` builds the state from the
 * params, `transform` maps incoming updates (gradients for the first transform of a chain) to
 * outgoing updates. State is immutable: every call returns a new state.
 */
export interface GradientTransformation<S = any> {
  readonly name: string;
  init(params: unknown): S;
  transform(updates: unknown, state: S, params: unknown, ctx: TransformContext): TransformResult<S>;
  /** True when the transform evaluates the loss itself (SAM, L-BFGS, extragradient). */
  readonly needsClosure?: boolean;
}

export interface UpdateResult<P, S> {
  params: P;
  state: S;
  /** The updates that were added to the params. */
  updates: P;
}

export interface StepResult<P, S> {
  params: P;
  state: S;
  /** The loss at the params the step started from. */
  loss: Tensor;
}

/**
 * An optimizer: a gradient transformation whose updates are added to the params.
 * `update(grads, state, params)` takes precomputed gradients; `step(lossFn, params, state)`
 * computes them (and whatever else the method needs) from the loss function.
 */
export interface Optimizer<S = any> extends GradientTransformation<S> {
  update<P>(grads: P, state: S, params: P, extra?: { loss?: number | Tensor }): UpdateResult<P, S>;
  step<P>(lossFn: LossFn<P>, params: P, state: S): StepResult<P, S>;
}
