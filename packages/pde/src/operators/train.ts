import { adam, type LearningRate } from '@difflab/optim';
import { ShapeError, Tensor, fmtShape, gather, mean, reshape, sqrt, square, sub, sum, tidy, valueAndGrad, div } from '@difflab/tensor';
import { createRng } from '@difflab/optim';
import { integer } from '../internal/checks.js';

/**
 * Mean over the batch of ‖pred − target‖₂ / ‖target‖₂ per sample (the FNO paper's training loss
 * and test metric); inputs [B, ...].
 */
export function relativeL2Loss(pred: Tensor, target: Tensor): Tensor {
  if (pred.shape.join() !== target.shape.join()) throw new ShapeError(`relativeL2Loss: prediction ${fmtShape(pred.shape)} and target ${fmtShape(target.shape)} differ`);
  const b = pred.shape[0]!;
  const d = reshape(sub(pred, target), [b, -1]);
  const t = reshape(target, [b, -1]);
  return mean(div(sqrt(sum(square(d), 1)), sqrt(sum(square(t), 1))));
}

export interface FitOperatorOptions<P> {
  epochs: number;
  batchSize?: number;
  /** Learning rate or schedule over steps (default 1e-3). */
  lr?: LearningRate;
  seed?: number;
  /** Default: relative L2. */
  loss?: (pred: Tensor, target: Tensor) => Tensor;
  onEpoch?: (info: { epoch: number; loss: number; params: P }) => void | boolean;
  signal?: AbortSignal;
}

/**
 * Supervised training of an operator `apply(params, inputs[batch]) ≈ targets[batch]` with Adam
 * over shuffled minibatches (inputs and targets share their leading sample axis).
 */
export async function fitOperator<P>(apply: (params: P, x: Tensor) => Tensor, params: P, inputs: Tensor, targets: Tensor, opts: FitOperatorOptions<P>): Promise<{ params: P; losses: number[] }> {
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
    await new Promise<void>((res) => ((globalThis as { setImmediate?: (cb: () => void) => unknown }).setImmediate ?? setTimeout)(res));
    if (opts.signal?.aborted) break;
  }
  return { params, losses };
}
