import { ValueError, add, mul, type Tensor } from '@difflab/tensor';
import { resolveMask } from '../core/mask.js';
import { matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { Mask } from '../core/types.js';

/** The per-call view every leafwise optimizer starts from. */
export interface LeafCall {
  params: Tensor[];
  grads: Tensor[];
  /** Rebuilds a pytree with the params' structure from leaves. */
  build: (leaves: Tensor[]) => unknown;
}

export function leafCall(op: string, grads: unknown, params: unknown): LeafCall {
  const p = paramLeaves(op, params);
  const g = matchLeaves(op, 'grads', params, grads);
  return { params: p.leaves, grads: g, build: (leaves) => rebuild(p.treedef, leaves) };
}

/** Validates that per-leaf state arrays have one entry per param leaf. */
export function checkStateArrays(op: string, state: Record<string, unknown>, keys: string[], n: number): void {
  if (typeof state !== 'object' || state === null || typeof state.count !== 'number')
    throw new ValueError(`${op}: state does not come from ${op}.init (missing step count)`);
  for (const k of keys) {
    const a = state[k];
    if (!Array.isArray(a) || a.length !== n)
      throw new ValueError(`${op}: state.${k} has ${Array.isArray(a) ? a.length : 'no'} entries but the params have ${n} leaves; was the state initialised for different params?`);
  }
}

/** Which leaves get weight decay (all by default). */
export function decayFlags(op: string, weightDecay: number, mask: Mask | undefined, params: unknown): boolean[] {
  const flags = resolveMask(op, mask, params);
  return weightDecay === 0 ? flags.map(() => false) : flags;
}

/** L2-coupled weight decay as PyTorch applies it: g + wd * p. */
export function coupledDecay(g: Tensor, p: Tensor, wd: number, on: boolean): Tensor {
  return on && wd !== 0 ? add(g, mul(p, wd)) : g;
}
