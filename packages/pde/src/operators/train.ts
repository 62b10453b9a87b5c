import { adam, type LearningRate } from '@difflab/optim';
import {
  ShapeError,
  Tensor,
  fmtShape,
  gather,
  mean,
  reshape,
  sqrt,
  square,
  sub,
  sum,
  tidy,
  valueAndGrad,
  div,
} from '@difflab/tensor';
import { createRng } from '@difflab/optim';
import { integer } from '../internal/checks.js';

/**
 * Mean over the batch of ‖pred − target‖₂ / ‖target‖₂ per sample (the FNO paper's training loss
 * and test metric); inputs [B, ...].
 *
 * @example
 * ```ts
 * import { relativeL2Loss } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * relativeL2Loss(tensor([[3, 4]]), tensor([[3, 0]])).item(); // 4/3
 * ```
 */
export function relativeL2Loss(pred: Tensor, target: Tensor): Tensor {
  if (pred.shape.join() !== target.shape.join())
    throw new ShapeError(
      `relativeL2Loss: prediction ${fmtShape(pred.shape)} and target ${fmtShape(target.shape)} differ`,
    );
  const b = pred.shape[0]!;
  const d = reshape(sub(pred, target), [b, -1]);
  const t = reshape(target, [b, -1]);
  return mean(div(sqrt(sum(square(d), 1)), sqrt(sum(square(t), 1))));
}

/**
 * Options of {@link fitOperator}.
 *
 * @example
 * ```ts
 * import { type FitOperatorOptions } from '@difflab/pde';
 * const opts: FitOperatorOptions<unknown> = {
 *   epochs: 50,
 *   batchSize: 20,
 *   lr: (step) => 1e-3 * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, 500)) / 500)), // cosine decay
 *   onEpoch: ({ epoch, loss }) => console.log(epoch, loss),
 * };
 * ```
 */
export interface FitOperatorOptions<P> {
  /** Passes over the training set. */
  epochs: number;
  /** Minibatch size (default 20). */
  batchSize?: number;
  /** Learning rate or schedule over steps (default 1e-3). */
  lr?: LearningRate;
  /** Seed of the shuffling (default 0). */
  seed?: number;
  /** Default: relative L2. */
  loss?: (pred: Tensor, target: Tensor) => Tensor;
  /** Called after every epoch with the mean training loss; return false to stop. */
  onEpoch?: (info: { epoch: number; loss: number; params: P }) => void | boolean;
  /** Stops training between steps when aborted. */
  signal?: AbortSignal;
}

/**
 * Supervised training of an operator `apply(params, inputs[batch]) ≈ targets[batch]` with Adam
 * over shuffled minibatches (inputs and targets share their leading sample axis).
 *
 * @example
 * ```ts
 * import { fitOperator, fno1d, relativeL2Loss } from '@difflab/pde';
 * import { zeros } from '@difflab/tensor';
 * const model = fno1d({ inChannels: 1 });
 * const [X, Y] = [zeros([40, 32, 1]), zeros([40, 32, 1])];
 * const { params, losses } = await fitOperator(model.apply, model.params, X, Y, { epochs: 3, batchSize: 10, seed: 1 });
 * relativeL2Loss(model.apply(params, X), Y);
 * ```
 */
export async function fitOperator<P>(
  apply: (params: P, x: Tensor) => Tensor,
  params: P,
  inputs: Tensor,
  targets: Tensor,
  opts: FitOperatorOptions<P>,
): Promise<{
  /** The trained parameters. */
  params: P;
  /** Mean training loss of every epoch. */
  losses: number[];
}> {
  const op = 'fitOperator';
  const n = inputs.shape[0]!;
  if (targets.shape[0] !== n) throw new ShapeError(`${op}: ${n} inputs but ${targets.shape[0]} targets`);
  const epochs = integer(op, 'epochs', opts.epochs, 0);
  const bs = Math.min(n, integer(op, 'batchSize', opts.batchSize ?? 20, 1));
  const opt = adam({ lr: opts.lr ?? 1e-3 });
  let state = opt.init(params);
  const lossFn = opts.loss ?? relativeL2Loss;
  const rng = createRng(opts.seed ?? 0, 0xf0);
  const losses: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    let total = 0;
    let batches = 0;
    for (let s = 0; s + bs <= n; s += bs) {
      const idx = perm.slice(s, s + bs);
      const r = tidy(() => {
        const xb = gather(inputs, idx, 0);
        const yb = gather(targets, idx, 0);
        const [l, g] = valueAndGrad((p: P) => lossFn(apply(p, xb), yb))(params) as [Tensor, P];
        const u = opt.update(g, state, params);
        return { params: u.params, state: u.state, loss: l.item() };
      });
      params = r.params;
      state = r.state;
      total += r.loss;
      batches++;
    }
    losses.push(total / batches);
    if (opts.onEpoch && opts.onEpoch({ epoch: e + 1, loss: total / batches, params }) === false) break;
    // setImmediate is Node-only (and untyped in the build); browsers yield with setTimeout.
    await new Promise<void>((res) =>
      ((globalThis as { setImmediate?: (cb: () => void) => unknown }).setImmediate ?? setTimeout)(res),
    );
    if (opts.signal?.aborted) break;
  }
  return { params, losses };
}
