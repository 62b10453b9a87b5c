import { ValueError, fromTypedArray, gather, reshape, where, type Tensor } from '@difflab/tensor';
import { checkBounds, checkInputs, checkLogits, toLabels } from './validate.js';
import type { Labels, Model } from './types.js';

export interface Prepared {
  n: number;
  /** Number of classes. */
  classes: number;
  lo: number;
  hi: number;
  y: Tensor;
  targets?: Tensor;
  /** Logits at the clean inputs. */
  clean: Tensor;
}

/**
 * The validation every attack starts with: a callable model, a float batch inside the bounds,
 * labels (and targets) `[N]` that index the model's classes. Returns the clean logits too.
 */
export function prepare(
  op: string,
  model: unknown,
  x: Tensor,
  y: Labels,
  opts: { bounds?: readonly [number, number]; targets?: Labels } = {},
): Prepared {
  if (typeof model !== 'function') throw new ValueError(`${op}: model must be a function (x: Tensor) => logits Tensor`);
  const [lo, hi] = checkBounds(op, opts.bounds);
  const n = checkInputs(op, x, [lo, hi]);
  const labels = toLabels(op, y, n, x.shape);
  const targets = opts.targets === undefined ? undefined : toLabels(op, opts.targets, n, x.shape, 'targets');
  const clean = (model as Model)(x);
  const classes = checkLogits(op, clean, n, targets ? [labels, targets] : [labels]);
  return { n, classes, lo, hi, y: labels, targets, clean };
}

/** A bool mask `[N, 1, ...]` from host flags, broadcastable against `like`. */
export function rowMask(flags: ArrayLike<number | boolean>, like: Tensor): Tensor {
  const m = fromTypedArray(Uint8Array.from(Array.from(flags, (f) => (f ? 1 : 0))), [flags.length], { dtype: 'bool' });
  return reshape(m, [flags.length, ...like.shape.slice(1).map(() => 1)]);
}

/** Row-wise choice: rows of `a` where `flags[i]`, else rows of `b`. */
export function selectRows(flags: ArrayLike<number | boolean>, a: Tensor, b: Tensor): Tensor {
  return where(rowMask(flags, a), a, b);
}

/** Rows `idx` of a batch (a copy). */
export function takeRows(x: Tensor, idx: readonly number[]): Tensor {
  return gather(x, fromTypedArray(Int32Array.from(idx), [idx.length], { dtype: 'int32' }), 0);
}

/**
 * A host copy of a batch whose rows can be overwritten by results computed on sub-batches, e.g.
 * when an attack only runs on the examples that are still robust.
 */
export class RowStore {
  private readonly data: Float64Array;
  private readonly d: number;
  constructor(private readonly like: Tensor) {
    this.data = Float64Array.from(like.dataSync());
    this.d = like.size / like.shape[0]!;
  }

  /** Writes rows of `src` (a batch of `idx.length` examples) to positions `idx`. */
  set(idx: readonly number[], src: Tensor): void {
    const s = src.dataSync();
    idx.forEach((row, k) => this.data.set(s.subarray(k * this.d, (k + 1) * this.d), row * this.d));
  }

  tensor(): Tensor {
    const dt = this.like.dtype;
    return fromTypedArray(
      dt === 'float64' ? Float64Array.from(this.data) : Float32Array.from(this.data),
      this.like.shape,
      { dtype: dt },
    );
  }
}
