import { ValueError, mean, sum, where, type Tensor } from '@difflab/tensor';

/**
 * How per-element losses are combined: PyTorch's `reduction` argument. `'mean'` averages,
 * `'sum'` adds, `'none'` returns the per-element losses with the batch shape.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { mse, type Reduction } from '@difflab/losses';
 * const r: Reduction = 'none';
 * mse(tensor([1, 2]), tensor([0, 0]), { reduction: r }).toArray(); // [1, 4]
 * ```
 */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * Options every loss accepts: the {@link Reduction} (default `'mean'`).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { l1, type ReductionOptions } from '@difflab/losses';
 * const o: ReductionOptions = { reduction: 'sum' };
 * l1(tensor([1, -2]), tensor([0, 0]), o).item(); // 3
 * ```
 */
export interface ReductionOptions {
  /** `'mean'` (default) averages, `'sum'` adds, `'none'` returns the per-element losses. */
  reduction?: Reduction;
}

export function checkReduction(
  op: string,
  reduction: string,
  allowed: readonly string[] = ['mean', 'sum', 'none'],
): void {
  if (!allowed.includes(reduction))
    throw new ValueError(
      `${op}: reduction must be one of ${allowed.map((r) => `'${r}'`).join(', ')}, got '${reduction}'`,
    );
}

/** Applies `reduction` to per-element losses (an empty 'mean' is NaN, as in PyTorch). */
export function reduce(op: string, loss: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkReduction(op, reduction);
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return sum(loss);
  if (loss.size === 0) return sum(loss).div(0);
  return mean(loss);
}

/**
 * num / den where a zero denominator gives NaN (PyTorch's all-ignored 'mean') while the gradient
 * stays zero instead of 0 * inf = NaN.
 */
export function divideOrNaN(num: Tensor, den: Tensor): Tensor {
  const zero = den.equal(0);
  return where(zero, NaN, num.div(where(zero, 1, den)));
}
