import { mul, type Tensor } from '@difflab/tensor';
import { resolveMask } from '../core/mask.js';
import type { Mask } from '../core/types.js';

/**
 * The game's vector field from the gradient of a single objective f: players listed in `ascent`
 * maximise f (their component is -∂f), the others minimise it. Without `ascent` this is ∇f.
 */
export function signedField(op: string, grads: Tensor[], params: unknown, ascent: Mask | undefined): Tensor[] {
  if (ascent === undefined) return grads;
  const up = resolveMask(op, ascent, params);
  return grads.map((g, i) => (up[i] ? mul(g, -1) : g));
}
