import { record } from '../autodiff/graph.js';
import { promoteTypes } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastView, mul, sumToShape } from './binary.js';
import { asTensors, backendOf, fromStorage } from './core.js';
import { sum } from './reduce.js';
import { expandDims, reshape, squeeze, swapAxes, transpose } from './shape.js';

/**
 * Matrix product with NumPy semantics: 1-D operands are promoted (and the added axis removed),
 * leading batch axes broadcast.
 */
export function matmul(aIn: Tensor, bIn: Tensor): Tensor {
  const [a0, b0] = asTensors('matmul', aIn, bIn) as [Tensor, Tensor];
  if (a0.ndim === 0 || b0.ndim === 0)
    throw new ShapeError(`matmul: operands must be at least 1-D, got ${fmtShape(a0.shape)} and ${fmtShape(b0.shape)}`);
  if (a0.dtype === 'bool' || b0.dtype === 'bool') throw new DTypeError(`matmul: bool operands are not supported (${fmtShape(a0.shape)}, ${fmtShape(b0.shape)})`);
  const a = a0.ndim === 1 ? expandDims(a0, 0) : a0;
  const b = b0.ndim === 1 ? expandDims(b0, 1) : b0;
  const out = matmulNd(a, b);
  let res = out;
  if (a0.ndim === 1) res = squeeze(res, -2);
  if (b0.ndim === 1) res = squeeze(res, -1);
  return res;
}

function matmulNd(a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.ndim - 2]!;
  const k = a.shape[a.ndim - 1]!;
  const k2 = b.shape[b.ndim - 2]!;
  const n = b.shape[b.ndim - 1]!;
  if (k !== k2) throw new ShapeError(`matmul: inner dimensions differ: ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}`);
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const B = batch.reduce((x, y) => x * y, 1);
  const dt = promoteTypes(a.dtype, b.dtype);
  const av = a.dtype === dt ? a : a.astype(dt);
  const bv = b.dtype === dt ? b : b.astype(dt);
  const a3 = reshape(broadcastView(av, [...batch, m, k]), [B, m, k]);
  const b3 = reshape(broadcastView(bv, [...batch, k, n]), [B, k, n]);
  const out = fromStorage(backendOf(a).matmul(a3, b3, dt), [...batch, m, n], dt);
  return record(out, 'matmul', [a, b], (g, needs) => [
    needs[0] ? sumToShape(matmulNd(g, swapAxes(b, -1, -2)), a.shape) : null,
    needs[1] ? sumToShape(matmulNd(swapAxes(a, -1, -2), g), b.shape) : null,
  ]);
}

/** Outer product of two 1-D tensors. */
export function outer(a: Tensor, b: Tensor): Tensor {
  return mul(reshape(a, [-1, 1]), reshape(b, [1, -1]));
}

/** Dot product of 1-D tensors; matmul otherwise. */
export function dot(a: Tensor, b: Tensor): Tensor {
  return matmul(a, b);
}

/**
 * Einstein summation over explicit subscripts (`'ij,jk->ik'`, `'bij,bjk->bik'`, `'ii->i'` is not
 * supported: repeated indices within one operand are rejected). Two-operand contractions run as
 * a batched matmul; the general case multiplies broadcast operands and sums.
 */
export function einsum(subscripts: string, ...operands: Tensor[]): Tensor {
  const [lhs, rhsRaw] = subscripts.replace(/\s+/g, '').split('->');
  const inputs = lhs!.split(',');
  if (inputs.length !== operands.length)
    throw new ValueError(`einsum: '${subscripts}' names ${inputs.length} operands but ${operands.length} were given`);
  const dims = new Map<string, number>();
  inputs.forEach((sub, i) => {
    const t = operands[i]!;
    if (sub.length !== t.ndim) throw new ShapeError(`einsum: subscripts '${sub}' do not match operand ${i} of shape ${fmtShape(t.shape)}`);
    if (new Set(sub).size !== sub.length) throw new ValueError(`einsum: repeated index within operand '${sub}' is not supported`);
    [...sub].forEach((c, j) => {
      if (!/[a-zA-Z]/.test(c)) throw new ValueError(`einsum: invalid index '${c}' in '${subscripts}'`);
      const d = t.shape[j]!;
      const prev = dims.get(c);
      if (prev !== undefined && prev !== d && prev !== 1 && d !== 1)
        throw new ShapeError(`einsum: index '${c}' has sizes ${prev} and ${d} in '${subscripts}' (shapes ${operands.map((o) => fmtShape(o.shape)).join(', ')})`);
      dims.set(c, prev === undefined || prev === 1 ? d : prev);
    });
  });
  const counts = new Map<string, number>();
  for (const s of inputs) for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  const rhs = rhsRaw ?? [...counts.keys()].filter((c) => counts.get(c) === 1).sort().join('');
  for (const c of rhs) if (!dims.has(c)) throw new ValueError(`einsum: output index '${c}' does not appear in the inputs of '${subscripts}'`);
  const all = [...rhs, ...[...dims.keys()].filter((c) => !rhs.includes(c))];
  // Align every operand to the `all` index order, multiply with broadcasting, sum the contracted axes.
  let prod: Tensor | null = null;
  inputs.forEach((sub, i) => {
    const present = all.filter((c) => sub.includes(c));
    const perm = present.map((c) => sub.indexOf(c));
    const t = transpose(operands[i]!, perm);
    const shape = all.map((c) => (sub.includes(c) ? t.shape[present.indexOf(c)]! : 1));
    const aligned = reshape(t, shape);
    prod = prod === null ? aligned : mul(prod, aligned);
  });
  const contracted = all.map((_, i) => i).filter((i) => i >= rhs.length);
  const summed = contracted.length ? sum(prod!, contracted) : prod!;
  return summed;
}
