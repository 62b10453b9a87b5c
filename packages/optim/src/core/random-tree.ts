import { fromTypedArray, type Tensor } from '@difflab/tensor';
import { flat, rebuild } from './tree-utils.js';
import type { Rng } from './prng.js';

/**
 * A pytree shaped like `like` (same structure, shapes, dtypes and devices) with i.i.d. entries
 * drawn from `rng`: standard normal or Rademacher (±1).
 *
 * @param like - Template pytree.
 * @param rng - Source of randomness.
 * @param kind - `'normal'` (default) or `'rademacher'`.
 * @returns The random pytree.
 *
 * @example
 * ```ts
 * import { zeros } from '@difflab/tensor';
 * import { createRng, randomLike } from '@difflab/optim';
 * const v = randomLike({ w: zeros([2, 3]) }, createRng(0), 'rademacher');
 * v.w.shape; // [2, 3], entries ±1
 * ```
 */
export function randomLike<P>(like: P, rng: Rng, kind: 'normal' | 'rademacher' = 'normal'): P {
  const f = flat(like);
  const leaves = f.leaves.map((l: Tensor) => {
    const a = new Float64Array(l.size);
    for (let i = 0; i < a.length; i++) a[i] = kind === 'normal' ? rng.normal() : rng.rademacher();
    return fromTypedArray(a, l.shape, { dtype: l.dtype, device: l.device });
  });
  return rebuild<P>(f.treedef, leaves);
}
