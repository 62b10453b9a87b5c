import { fromTypedArray, type Tensor } from '@difflab/tensor';
import { flat, rebuild } from './tree-utils.js';
import type { Rng } from './prng.js';

/** A pytree shaped like `like` with i.i.d. entries from `rng` (normal or ±1). */
export function randomLike<P>(like: P, rng: Rng, kind: 'normal' | 'rademacher' = 'normal'): P {
  const f = flat(like);
  const leaves = f.leaves.map((l: Tensor) => {
    const a = new Float64Array(l.size);
    for (let i = 0; i < a.length; i++) a[i] = kind === 'normal' ? rng.normal() : rng.rademacher();
    return fromTypedArray(a, l.shape, { dtype: l.dtype, device: l.device });
  });
  return rebuild<P>(f.treedef, leaves);
}
