import { random, tidy, tree, type Tensor } from '@difflab/tensor';
import type { Optimizer } from '@difflab/optim';
import { toKey } from '../core/grad.js';
import { takeRows } from '../core/prepare.js';
import type { KeyLike, Labels } from '../core/types.js';
import { checkInt, toLabels } from '../core/validate.js';
import type { ParamLoss } from './common.js';

/**
 * What {@link TrainOptions.onStep} receives after every optimizer step.
 *
 * @example
 * ```ts
 * import type { StepInfo } from '@difflab/attacks';
 * const onStep = ({ epoch, step, loss }: StepInfo<unknown>) => console.log(`epoch ${epoch} step ${step}: ${loss.toFixed(3)}`);
 * ```
 */
export interface StepInfo<P> {
  /** Epoch index, from 0. */
  epoch: number;
  /** Index of this optimizer step over the whole run, from 0. */
  step: number;
  /** Loss of this step's batch, before the update. */
  loss: number;
  /** Parameters after the step. */
  params: P;
}

/**
 * Options of {@link adversarialTraining}.
 *
 * @example
 * ```ts
 * import { nn } from '@difflab/tensor';
 * import { adam } from '@difflab/optim';
 * import { pgdAtLoss, type TrainOptions } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2]);
 * const opts: TrainOptions<typeof net.params> = {
 *   loss: (p, xb, yb, key) => pgdAtLoss(net.apply, p, xb, yb, { eps: 0.05, key }),
 *   optimizer: adam({ lr: 1e-3 }),
 *   epochs: 5,
 *   batchSize: 32,
 * };
 * ```
 */
export interface TrainOptions<P, S = unknown> {
  /** Builds the loss of one batch at the current params (e.g. `(p, xb, yb, key) => tradesLoss(apply, p, xb, yb, {eps, key})`). */
  loss: (params: P, x: Tensor, y: Tensor, key: Tensor) => ParamLoss<P>;
  /** Any `@difflab/optim` optimizer. */
  optimizer: Optimizer<S>;
  /** Passes over the data. */
  epochs: number;
  /** Batch size (default 64). */
  batchSize?: number;
  /** Shuffling and per-batch randomness (default seed 0). */
  key?: KeyLike;
  /** Called after every optimizer step. */
  onStep?: (info: StepInfo<P>) => void;
  /** Called after every epoch. */
  onEpoch?: (info: { epoch: number; meanLoss: number; params: P }) => void;
  /** Checked before every step; aborting resolves early with `stopped: 'aborted'`. */
  signal?: AbortSignal;
}

/**
 * What {@link adversarialTraining} resolves to.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { sgd } from '@difflab/optim';
 * import { adversarialTraining, pgdAtLoss, type TrainResult } from '@difflab/attacks';
 * const net = nn.mlp([2, 4, 2], { key: 0 });
 * const res: TrainResult<typeof net.params> = await adversarialTraining(net.params, tensor([[0.2, 0.6]]), [1], {
 *   loss: (p, xb, yb, key) => pgdAtLoss(net.apply, p, xb, yb, { eps: 0.05, steps: 2, key }),
 *   optimizer: sgd({ lr: 0.1 }),
 *   epochs: 2,
 * });
 * res.losses.length; // 2
 * res.stopped; // 'epochs'
 * ```
 */
export interface TrainResult<P> {
  /** Parameters after the last step. */
  params: P;
  /** Mean batch loss per epoch. */
  losses: number[];
  /** Why the loop ended. */
  stopped: 'epochs' | 'aborted';
}

/**
 * Minibatch training loop for any of the loss builders (PGD-AT, TRADES, MART, AWP, KL-DRO, VAT,
 * local linearity, or clean CE): shuffles each epoch, builds the batch loss at the current params
 * and takes one optimizer step on it, freeing per-step tensors. Yields to the event loop after each
 * step so `signal` can stop it.
 *
 * @param params - initial parameters (a pytree; not disposed).
 * @param x - training inputs `[N, ...]`.
 * @param y - labels `[N]`.
 * @param opts - see {@link TrainOptions}.
 * @returns Final parameters, mean loss per epoch, and whether it ran all epochs or was aborted.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { adam } from '@difflab/optim';
 * import { adversarialTraining, tradesLoss } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2], { key: 0 });
 * const x = tensor([[0.2, 0.6], [0.7, 0.1], [0.3, 0.9], [0.8, 0.3]]);
 * const controller = new AbortController();
 * const { params, losses } = await adversarialTraining(net.params, x, [1, 0, 1, 0], {
 *   loss: (p, xb, yb, key) => tradesLoss(net.apply, p, xb, yb, { eps: 0.05, steps: 3, key }),
 *   optimizer: adam({ lr: 1e-2 }),
 *   epochs: 3,
 *   batchSize: 2,
 *   signal: controller.signal,
 *   onEpoch: ({ epoch, meanLoss }) => console.log(epoch, meanLoss),
 * });
 * ```
 */
export async function adversarialTraining<P, S = unknown>(
  params: P,
  x: Tensor,
  y: Labels,
  opts: TrainOptions<P, S>,
): Promise<TrainResult<P>> {
  const op = 'adversarialTraining';
  const epochs = checkInt(op, 'epochs', opts.epochs, 0);
  const bs = checkInt(op, 'batchSize', opts.batchSize ?? 64, 1);
  const n = x.shape[0]!;
  const labels = toLabels(op, y, n, x.shape);
  const key = toKey(op, opts.key);
  let state = opts.optimizer.init(params);
  const owned = new Set(tree.leaves(params));
  const losses: number[] = [];
  let step = 0;
  for (let e = 0; e < epochs; e++) {
    const order = tidy(() => Array.from(random.permutation(random.foldIn(key, 2 * e), n).dataSync()));
    let total = 0;
    let count = 0;
    for (let s = 0; s < n; s += bs) {
      if (opts.signal?.aborted) return { params, losses, stopped: 'aborted' };
      const idx = order.slice(s, s + bs);
      const prev = [params, state];
      const r = tidy(() => {
        const stepKey = random.foldIn(random.foldIn(key, 2 * e + 1), s);
        const xb = takeRows(x, idx);
        const yb = takeRows(labels, idx);
        return opts.optimizer.step(opts.loss(params, xb, yb, stepKey), params, state);
      });
      params = r.params as P;
      state = r.state;
      const loss = r.loss.item();
      r.loss.dispose();
      // Free the previous params / state unless the new ones share them or the caller owns them.
      const keep = new Set([...tree.leaves(params), ...tree.leaves(state)]);
      for (const t of tree.leaves(prev)) if (!keep.has(t) && !owned.has(t)) t.dispose();
      total += loss * idx.length;
      count += idx.length;
      opts.onStep?.({ epoch: e, step: step++, loss, params });
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    losses.push(total / count);
    opts.onEpoch?.({ epoch: e, meanLoss: total / count, params });
  }
  return { params, losses, stopped: 'epochs' };
}
