import { random, tidy, tree, type Tensor } from '@difflab/tensor';
import type { Optimizer } from '@difflab/optim';
import { toKey } from '../core/grad.js';
import { takeRows } from '../core/prepare.js';
import type { KeyLike, Labels } from '../core/types.js';
import { checkInt, toLabels } from '../core/validate.js';
import type { ParamLoss } from './common.js';

export interface StepInfo<P> {
  epoch: number;
  /** Optimizer steps taken so far. */
  step: number;
  loss: number;
  params: P;
}

export interface TrainOptions<P, S = unknown> {
  /** Builds the loss of one batch at the current params (e.g. `(p, xb, yb, key) => tradesLoss(apply, p, xb, yb, {eps, key})`). */
  loss: (params: P, x: Tensor, y: Tensor, key: Tensor) => ParamLoss<P>;
  /** Any `@difflab/optim` optimizer. */
  optimizer: Optimizer<S>;
  epochs: number;
  /** Batch size (default 64). */
  batchSize?: number;
  /** Shuffling and per-batch randomness (default seed 0). */
  key?: KeyLike;
  onStep?: (info: StepInfo<P>) => void;
  /** Called after every epoch. */
  onEpoch?: (info: { epoch: number; meanLoss: number; params: P }) => void;
  signal?: AbortSignal;
}

export interface TrainResult<P> {
  params: P;
  /** Mean batch loss per epoch. */
  losses: number[];
  stopped: 'epochs' | 'aborted';
}

/**
 * Minibatch training loop for any of the loss builders (PGD-AT, TRADES, MART, AWP, KL-DRO, VAT,
 * local linearity, or clean CE): shuffles each epoch, builds the batch loss at the current params
 * and takes one optimizer step on it, freeing per-step tensors. Yields to the event loop after each
 * step so `signal` can stop it.
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
