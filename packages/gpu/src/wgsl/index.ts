import { collapse } from '../layout.js';
import type { MetaWriter } from './prelude.js';

/**
 * Emits WGSL that computes the storage offset (`let <name>: i32`) of element `idx` (a u32 row-major
 * index over `shape`) of a strided view, storing the view's collapsed sizes, strides and offset in the
 * kernel's meta. The code depends only on the collapsed rank and on whether the view is a broadcast
 * scalar or contiguous, so pipelines are shared across shapes.
 */
export function viewOffset(
  meta: MetaWriter,
  view: { shape: readonly number[]; strides: readonly number[]; offset: number },
  idx: string,
  name: string,
): string {
  const c = collapse(view.shape, view.strides);
  const o = meta.i(view.offset);
  const r = c.shape.length;
  if (r === 0 || c.strides.every((s) => s === 0)) return `let ${name} = mi(${o}u);`;
  if (r === 1 && c.strides[0] === 1) return `let ${name} = mi(${o}u) + i32(${idx});`;
  const lines = [`var ${name} = mi(${o}u);`, `var ${name}_r = ${idx};`];
  for (let d = r - 1; d >= 1; d--) {
    const ks = meta.u(c.shape[d]!);
    const kt = meta.i(c.strides[d]!);
    lines.push(`${name} += i32(${name}_r % mu(${ks}u)) * mi(${kt}u); ${name}_r = ${name}_r / mu(${ks}u);`);
  }
  const kt = meta.i(c.strides[0]!);
  lines.push(`${name} += i32(${name}_r) * mi(${kt}u);`);
  return lines.join('\n  ');
}

/**
 * Offsets of a view split around `axis`, for kernels that walk one axis themselves: `ob` covers the
 * leading dims (index variable `o`, carrying the view's offset) and `ib` the trailing dims (index
 * variable `j`); the element at position `k` along the axis is `ob + ib + k * stride[axis]`.
 */
export function aroundAxisOffsets(
  meta: MetaWriter,
  view: { shape: readonly number[]; strides: readonly number[]; offset: number },
  axis: number,
): { ob: string; ib: string } {
  const lead = { shape: view.shape.slice(0, axis), strides: view.strides.slice(0, axis), offset: view.offset };
  const trail = { shape: view.shape.slice(axis + 1), strides: view.strides.slice(axis + 1), offset: 0 };
  return { ob: viewOffset(meta, lead, 'o', 'ob'), ib: viewOffset(meta, trail, 'j', 'ib') };
}
