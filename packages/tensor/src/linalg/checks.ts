import { isFloat, promoteTypes, type DType } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { expandDims, squeeze } from '../ops/shape.js';
import { Tensor } from '../tensor.js';

/** Rejects non-tensors and non-float dtypes with the op's name and the offending shape. */
export function floatTensor(op: string, x: unknown, what = 'input'): Tensor {
  if (!(x instanceof Tensor))
    throw new ValueError(`${op}: ${what} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (!isFloat(x.dtype))
    throw new DTypeError(`${op}: ${what} must be float32 or float64, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
  return x;
}

export interface MatrixDims {
  batch: number[];
  m: number;
  n: number;
  count: number;
}

/** Splits `[..., m, n]` into batch and matrix dims; requires at least 2-D (and square when asked). */
export function matrixDims(op: string, x: Tensor, square: boolean, what = 'input'): MatrixDims {
  if (x.ndim < 2)
    throw new ShapeError(`${op}: ${what} must be a (batch of) matrices [..., m, n], got shape ${fmtShape(x.shape)}`);
  const m = x.shape[x.ndim - 2]!;
  const n = x.shape[x.ndim - 1]!;
  if (square && m !== n)
    throw new ShapeError(
      `${op}: ${what} must be a (batch of) square matrices [..., n, n], got shape ${fmtShape(x.shape)}`,
    );
  const batch = x.shape.slice(0, -2);
  return { batch, m, n, count: batch.reduce((a, b) => a * b, 1) };
}

export function promoteFloat(a: Tensor, b: Tensor): DType {
  return promoteTypes(a.dtype, b.dtype);
}

/** ` (batch index [i, j])` for messages about one matrix of a batch; empty for a single matrix. */
export function batchNote(batch: readonly number[], flat: number): string {
  if (batch.length === 0) return '';
  const idx = new Array<number>(batch.length);
  let r = flat;
  for (let i = batch.length - 1; i >= 0; i--) {
    idx[i] = r % batch[i]!;
    r = Math.floor(r / batch[i]!);
  }
  return ` (batch index ${fmtShape(idx)})`;
}

/** Machine epsilon of a float dtype. */
export function epsOf(dtype: DType): number {
  return dtype === 'float64' ? 2.220446049250313e-16 : 1.1920928955078125e-7;
}

/**
 * True when `b` is a (batch of) vector(s) for the left-hand `a` ([..., n, n] or [..., m, n]):
 * 1-D, or one dim fewer than `a` with matching batch dims (PyTorch's rule for linalg.solve).
 */
export function isVectorRhs(a: Tensor, b: Tensor): boolean {
  if (b.ndim === 1) return true;
  if (b.ndim !== a.ndim - 1) return false;
  return b.shape.every((d, i) => d === a.shape[i]);
}

/** The error both solvers throw when the right-hand side's length does not match the matrix. */
export function rhsError(op: string, a: Tensor, b: Tensor): ShapeError {
  return new ShapeError(
    `${op}: right-hand side of shape ${fmtShape(b.shape)} does not match the matrix of shape ${fmtShape(a.shape)}`,
  );
}

/**
 * Solves a vector right-hand side `[..., n]` as a one-column (left) or one-row (right) matrix and
 * drops that dim again, so `solve` and `triangularSolve` accept vectors the same way.
 */
export function solveVectorRhs(
  op: string,
  a: Tensor,
  b: Tensor,
  left: boolean,
  solveMatrix: (b: Tensor) => Tensor,
): Tensor {
  if (b.shape[b.ndim - 1] !== a.shape[a.ndim - 1]) throw rhsError(op, a, b);
  const axis = left ? -1 : -2;
  return squeeze(solveMatrix(expandDims(b, axis)), axis);
}
