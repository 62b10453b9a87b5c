import { Tensor, ValueError } from '@difflab/tensor';
import { flat, leafPaths } from './tree-utils.js';
import type { Mask } from './types.js';

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

/**
 * Resolves a {@link Mask} to one boolean per param leaf (tree.flatten order). `undefined` selects
 * every leaf. A boolean pytree must mirror the params, with `true`/`false` where the params have Tensors.
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
 * A mask selecting leaves whose dotted path matches `pattern`, e.g. `pathMask(/norm|bn/i)` for
 * SAM-ON (perturb only normalization-layer parameters) or `pathMask(/\.w$/)` for weight decay on weights only.
 */
export function pathMask(pattern: RegExp | string): (path: string) => boolean {
  const re = typeof pattern === 'string' ? new RegExp(pattern) : pattern;
  return (path: string) => {
    re.lastIndex = 0;
    return re.test(path);
  };
}

/** A mask selecting leaves with at least `minDim` dimensions (weights, not biases or norm scales). */
export function ndimMask(minDim = 2): (path: string, leaf: Tensor) => boolean {
  return (_path, leaf) => leaf.ndim >= minDim;
}
