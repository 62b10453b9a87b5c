import { Tensor, ValueError } from '@difflab/tensor';
import { flat, leafPaths } from './tree-utils.js';
import type { Mask } from './types.js';

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

/**
 * Resolves a {@link Mask} to one boolean per param leaf, in `tree.flatten` order.
 *
 * `undefined` selects every leaf; a predicate is called with each leaf's dotted path and the leaf;
 * a boolean pytree must mirror the params, with `true`/`false` where the params have Tensors.
 *
 * @param op - Name of the calling op, used in error messages.
 * @param mask - The mask, or `undefined` for all leaves.
 * @param params - The params pytree the mask refers to.
 * @returns One flag per leaf.
 * @throws {ValueError} when a boolean pytree does not mirror the params.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ndimMask, resolveMask } from '@difflab/optim';
 * const params = { b: tensor([0, 0]), w: tensor([[1, 2]]) };
 * resolveMask('demo', ndimMask(2), params); // [false, true]
 * resolveMask('demo', { b: true, w: false }, params); // [true, false]
 * ```
 */
export function resolveMask(op: string, mask: Mask | undefined, params: unknown): boolean[] {
  const { leaves } = flat(params);
  if (mask === undefined || mask === null) return leaves.map(() => true);
  if (typeof mask === 'function') {
    const paths = leafPaths(params);
    return leaves.map((l, i) => Boolean((mask as (p: string, l: Tensor) => boolean)(paths[i]!, l)));
  }
  const out: boolean[] = [];
  const walk = (p: unknown, m: unknown, path: string): void => {
    if (p instanceof Tensor) {
      if (typeof m !== 'boolean') throw new ValueError(`${op}: mask entry '${path || '<root>'}' must be a boolean, got ${typeof m}`);
      out.push(m);
    } else if (Array.isArray(p)) {
      if (!Array.isArray(m) || m.length !== p.length) throw new ValueError(`${op}: mask does not match the params at '${path || '<root>'}'`);
      p.forEach((c, i) => walk(c, m[i], path ? `${path}.${i}` : String(i)));
    } else if (isPlainObject(p)) {
      if (!isPlainObject(m)) throw new ValueError(`${op}: mask does not match the params at '${path || '<root>'}'`);
      for (const k of Object.keys(p).sort()) {
        if (!(k in m)) throw new ValueError(`${op}: mask has no entry for param '${path ? `${path}.${k}` : k}'`);
        walk(p[k], m[k], path ? `${path}.${k}` : k);
      }
    }
  };
  walk(params, mask, '');
  return out;
}

/**
 * A mask selecting leaves whose dotted path matches a pattern.
 *
 * Typical uses: `pathMask(/norm|bn/i)` for SAM-ON (perturb only normalization-layer parameters) or
 * `pathMask(/\.w$/)` for weight decay on weights only. Paths use object keys and array indices
 * joined by dots (`'layers.0.w'`).
 *
 * @param pattern - A RegExp, or a string compiled with `new RegExp`.
 * @returns A predicate `(path) => boolean` usable wherever a {@link Mask} is accepted.
 *
 * @example
 * ```ts
 * import { pathMask } from '@difflab/optim';
 * const onlyWeights = pathMask(/\.w$/);
 * onlyWeights('layers.0.w'); // true
 * onlyWeights('layers.0.b'); // false
 * ```
 */
export function pathMask(pattern: RegExp | string): (path: string) => boolean {
  const re = typeof pattern === 'string' ? new RegExp(pattern) : pattern;
  return (path: string) => {
    re.lastIndex = 0;
    return re.test(path);
  };
}

/**
 * A mask selecting leaves with at least `minDim` dimensions: weight matrices and kernels, not
 * biases or normalization scales (the usual "no weight decay on 1-D params" rule).
 *
 * @param minDim - Minimum number of dimensions. Default 2.
 * @returns A predicate `(path, leaf) => boolean` usable wherever a {@link Mask} is accepted.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adamw, ndimMask } from '@difflab/optim';
 * const opt = adamw({ lr: 1e-3, weightDecay: 0.01, weightDecayMask: ndimMask() });
 * ndimMask()('b', tensor([1, 2])); // false
 * ```
 */
export function ndimMask(minDim = 2): (path: string, leaf: Tensor) => boolean {
  return (_path, leaf) => leaf.ndim >= minDim;
}
