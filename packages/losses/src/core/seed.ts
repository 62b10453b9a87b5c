import { ValueError, random, type Tensor } from '@difflab/tensor';

/**
 * The `random.key` behind a loss's `seed` option. Fractional seeds are truncated so any finite
 * number a caller derives (a step count, a time) names a stream; non-finite ones are a mistake.
 */
export function seedKey(op: string, seed: number): Tensor {
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new ValueError(`${op}: seed must be a finite integer, got ${String(seed)}`);
  return random.key(Math.trunc(seed));
}
