import { record } from '../autodiff/graph.js';
import { DeviceError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { contiguousStrides } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { mul } from './binary.js';
import { backendOf, fromStorage, viewOf } from './core.js';
import { matmul } from './matmul.js';
import { sum } from './reduce.js';
import { reshape, transpose } from './shape.js';

/**
 * Einstein summation, `torch.einsum` / `np.einsum` subscripts: `'ij,jk->ik'`, implicit output
 * (`'ij,jk'`: indices seen once, sorted), `'...'` for broadcast leading axes, and repeated indices
 * within an operand (`'ii->i'` diagonal, `'ii'` trace). Operands are contracted left to right, each
 * pair as one batched matmul, so no intermediate larger than a pairwise product is formed.
 *
 * Size-1 axes broadcast against the same index elsewhere. Differentiable in every operand.
 *
 * @param subscripts - Comma-separated input subscripts (letters, at most one `'...'` each),
 *   optionally `->` and the output subscripts.
 * @param operands - One tensor per input subscript, all on one device.
 * @returns The contracted tensor, axes in output-subscript order.
 * @throws {ValueError} for malformed subscripts or a wrong number of operands.
 * @throws {ShapeError} when subscripts do not match an operand's rank or an index has two sizes.
 * @throws {DeviceError} when the operands are on different devices.
 *
 * @example
 * ```ts
 * import { einsum, tensor, arange, ones } from '@difflab/tensor';
 * const a = tensor([[1, 2], [3, 4]]);
 * einsum('ij,jk->ik', a, a).toArray(); // => [[7, 10], [15, 22]]
 * einsum('ii', a).item(); // => 5
 * einsum('ii->i', a).toArray(); // => [1, 4]
 * einsum('ij->ji', a).toArray(); // => [[1, 3], [2, 4]]
 * einsum('...ij,...j->...i', ones([3, 2, 2]), tensor([1, 2])).shape; // => [3, 2]
 * einsum('i,j', arange(2), arange(3)).toArray(); // => [[0, 0, 0], [0, 1, 2]]
 * ```
 */
export function einsum(subscripts: string, ...operands: Tensor[]): Tensor {
  const spec = parse(subscripts, operands);
  checkSizes(subscripts, spec.inputs, operands);
  let terms = spec.inputs.map((sub, i) => takeDiagonals(operands[i]!, sub));
  // Indices used by exactly one operand and absent from the output can be summed right away.
  terms = terms.map((t, i) =>
    sumUnneeded(t, (c) => spec.output.includes(c) || terms.some((o, j) => j !== i && o.sub.includes(c))),
  );
  let acc = terms[0]!;
  for (let i = 1; i < terms.length; i++) {
    const later = terms.slice(i + 1);
    const needed = (c: string) => spec.output.includes(c) || later.some((o) => o.sub.includes(c));
    acc = contractPair(acc, terms[i]!, needed);
  }
  acc = sumUnneeded(acc, (c) => spec.output.includes(c));
  const perm = [...spec.output].map((c) => acc.sub.indexOf(c));
  return perm.every((p, i) => p === i) ? acc.t : transpose(acc.t, perm);
}

interface Term {
  t: Tensor;
  /** One character per axis of `t`, all distinct. */
  sub: string;
}

/** Stand-ins for the axes under '...': characters no user subscript can contain. */
const ELLIPSIS_BASE = 0x100;

function parse(subscripts: string, operands: readonly Tensor[]): { inputs: string[]; output: string } {
  const clean = subscripts.replace(/\s+/g, '');
  const [lhs, rhs, extra] = clean.split('->');
  if (extra !== undefined || lhs === undefined) throw new ValueError(`einsum: malformed subscripts '${subscripts}'`);
  const raw = lhs.split(',');
  if (raw.length !== operands.length)
    throw new ValueError(`einsum: '${subscripts}' names ${raw.length} operands but ${operands.length} were given`);
  const dev = operands[0]?.device;
  if (operands.some((o) => o.device !== dev))
    throw new DeviceError(
      `einsum: operands are on different devices (${operands.map((o) => `${o.device} ${fmtShape(o.shape)}`).join(', ')})`,
    );
  let ellDims = 0;
  raw.forEach((sub, i) => {
    const letters = sub.replace('...', '');
    if (/[^a-zA-Z]/.test(letters))
      throw new ValueError(`einsum: invalid subscripts '${sub}' in '${subscripts}' (letters and one '...' only)`);
    const nd = operands[i]!.ndim;
    if (sub.includes('...')) {
      if (nd < letters.length)
        throw new ShapeError(
          `einsum: subscripts '${sub}' need at least ${letters.length} axes, operand ${i} has shape ${fmtShape(operands[i]!.shape)}`,
        );
      ellDims = Math.max(ellDims, nd - letters.length);
    } else if (letters.length !== nd)
      throw new ShapeError(
        `einsum: subscripts '${sub}' do not match operand ${i} of shape ${fmtShape(operands[i]!.shape)}`,
      );
  });
  const ell = Array.from({ length: ellDims }, (_, k) => String.fromCharCode(ELLIPSIS_BASE + k)).join('');
  // Ellipsis axes align from the right, as in broadcasting.
  const inputs = raw.map((sub, i) =>
    sub.includes('...') ? sub.replace('...', ell.slice(ellDims - (operands[i]!.ndim - (sub.length - 3)))) : sub,
  );
  let output: string;
  if (rhs === undefined) {
    const counts = new Map<string, number>();
    for (const s of raw) for (const c of s.replace('...', '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    output =
      ell +
      [...counts.keys()]
        .filter((c) => counts.get(c) === 1)
        .sort()
        .join('');
  } else {
    if (/[^a-zA-Z.]/.test(rhs) || rhs.replace('...', '').includes('.'))
      throw new ValueError(`einsum: invalid output subscripts '${rhs}' in '${subscripts}'`);
    output = rhs.replace('...', ell);
    if (new Set(output).size !== output.length)
      throw new ValueError(`einsum: repeated output index in '${subscripts}'`);
    for (const c of output)
      if (!inputs.some((s) => s.includes(c)))
        throw new ValueError(`einsum: output index '${c}' does not appear in the inputs of '${subscripts}'`);
  }
  return { inputs, output };
}

/** Every index must have one size (size-1 axes broadcast), and repeated indices in one operand equal sizes. */
function checkSizes(subscripts: string, inputs: readonly string[], operands: readonly Tensor[]): void {
  const sizes = new Map<string, number>();
  inputs.forEach((sub, i) => {
    [...sub].forEach((c, ax) => {
      const d = operands[i]!.shape[ax]!;
      const prev = sizes.get(c);
      const repeatedHere = sub.indexOf(c) !== ax;
      if (prev !== undefined && prev !== d && (repeatedHere || (prev !== 1 && d !== 1)))
        throw new ShapeError(
          `einsum: index '${c}' has sizes ${prev} and ${d} in '${subscripts}' (shapes ${operands.map((o) => fmtShape(o.shape)).join(', ')})`,
        );
      sizes.set(c, prev === undefined || prev === 1 ? d : prev);
    });
  });
}

/** Replaces each repeated index of an operand by its diagonal, so every index appears once. */
function takeDiagonals(t: Tensor, sub: string): Term {
  let x = t;
  let s = sub;
  for (;;) {
    const c = [...s].find((ch, i) => s.indexOf(ch) !== i);
    if (c === undefined) return { t: x, sub: s };
    const a1 = s.indexOf(c);
    const a2 = s.indexOf(c, a1 + 1);
    x = diagonalPair(x, a1, a2);
    s = [...s].filter((_, i) => i !== a1 && i !== a2).join('') + c;
  }
}

/** Diagonal over axes a1 < a2 (equal sizes) as a strided view; the diagonal becomes the last axis. */
function diagonalPair(x: Tensor, a1: number, a2: number): Tensor {
  const keep = x.shape.map((_, i) => i).filter((i) => i !== a1 && i !== a2);
  const out = viewOf(
    x,
    [...keep.map((i) => x.shape[i]!), x.shape[a1]!],
    [...keep.map((i) => x.strides[i]!), x.strides[a1]! + x.strides[a2]!],
    x.offset,
  );
  return record(out, 'diagonal', [x], (g) => [diagonalEmbed(g, x.shape, a1, a2)]);
}

/** Transpose of {@link diagonalPair}: zeros of `shape` with `g` written along the (a1, a2) diagonal. */
function diagonalEmbed(g: Tensor, shape: readonly number[], a1: number, a2: number): Tensor {
  const cs = contiguousStrides(shape);
  const keep = shape.map((_, i) => i).filter((i) => i !== a1 && i !== a2);
  const b = backendOf(g);
  const zeros = fromStorage(b.fill(shape, 0, g.dtype), shape, g.dtype);
  const region = { offset: 0, strides: [...keep.map((i) => cs[i]!), cs[a1]! + cs[a2]!] };
  const out = fromStorage(b.assignRegion(zeros, g, region), shape, g.dtype);
  return record(out, 'diagonalEmbed', [g], (h) => [diagonalPair(h, a1, a2)]);
}

function sumUnneeded(term: Term, needed: (c: string) => boolean): Term {
  const drop = [...term.sub].flatMap((c, i) => (needed(c) ? [] : [i]));
  if (drop.length === 0) return term;
  return { t: sum(term.t, drop), sub: [...term.sub].filter((c) => needed(c)).join('') };
}

/** Permutes `term` to the index order `order` (a permutation of its own indices). */
function arrange(term: Term, order: string): Tensor {
  const perm = [...order].map((c) => term.sub.indexOf(c));
  return perm.every((p, i) => p === i) ? term.t : transpose(term.t, perm);
}

/**
 * Contracts two terms: batch indices (in both, still needed) map to matmul's broadcast batch axes,
 * contracted ones (in both, no longer needed) to its inner dimension.
 */
function contractPair(a0: Term, b0: Term, needed: (c: string) => boolean): Term {
  const a = sumUnneeded(a0, (c) => needed(c) || b0.sub.includes(c));
  const b = sumUnneeded(b0, (c) => needed(c) || a.sub.includes(c));
  const batch = [...a.sub].filter((c) => b.sub.includes(c) && needed(c)).join('');
  const contracted = [...a.sub].filter((c) => b.sub.includes(c) && !needed(c)).join('');
  const left = [...a.sub].filter((c) => !b.sub.includes(c)).join('');
  const right = [...b.sub].filter((c) => !a.sub.includes(c)).join('');
  let at = arrange(a, batch + left + contracted);
  let bt = arrange(b, batch + contracted + right);
  const dimA = (c: string) => at.shape[(batch + left + contracted).indexOf(c)]!;
  const dimB = (c: string) => bt.shape[(batch + contracted + right).indexOf(c)]!;
  // A contracted index of size 1 on one side broadcasts: sum the other side over it first.
  const bcast = [...contracted].filter((c) => dimA(c) !== dimB(c));
  if (bcast.length) {
    const aAxes = bcast.filter((c) => dimA(c) !== 1).map((c) => (batch + left + contracted).indexOf(c));
    const bAxes = bcast.filter((c) => dimB(c) !== 1).map((c) => (batch + contracted + right).indexOf(c));
    if (aAxes.length) at = sum(at, aAxes, true);
    if (bAxes.length) bt = sum(bt, bAxes, true);
  }
  const nb = batch.length;
  const lsz = at.shape.slice(nb, nb + left.length);
  const rsz = bt.shape.slice(bt.ndim - right.length);
  const out = batch + left + right;
  if (contracted.length === 0) {
    // Nothing to sum: an outer product over the left/right indices, broadcast over the batch ones.
    const ax = reshape(at, [...at.shape.slice(0, nb), ...lsz, ...rsz.map(() => 1)]);
    const bx = reshape(bt, [...bt.shape.slice(0, nb), ...lsz.map(() => 1), ...rsz]);
    return { t: mul(ax, bx), sub: out };
  }
  const prodOf = (xs: readonly number[]) => xs.reduce((p, q) => p * q, 1);
  const kA = prodOf(at.shape.slice(nb + left.length));
  const kB = prodOf(bt.shape.slice(nb, nb + contracted.length));
  const a3 = reshape(at, [...at.shape.slice(0, nb), prodOf(lsz), kA]);
  const b3 = reshape(bt, [...bt.shape.slice(0, nb), kB, prodOf(rsz)]);
  const r = matmul(a3, b3);
  return { t: reshape(r, [...r.shape.slice(0, nb), ...lsz, ...rsz]), sub: out };
}
