import { DTypeError, ShapeError, ValueError, fmtShape, isTensor, tensor, type Tensor } from '@difflab/tensor';
import type { Bounds, Labels, LpNorm } from './types.js';

export function checkEps(op: string, eps: unknown, name = 'eps'): number {
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0)
    throw new ValueError(`${op}: ${name} must be a finite number >= 0, got ${String(eps)}`);
  return eps;
}

export function checkPositive(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
    throw new ValueError(`${op}: ${name} must be a finite number > 0, got ${String(v)}`);
  return v;
}

export function checkNonNegative(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new ValueError(`${op}: ${name} must be a finite number >= 0, got ${String(v)}`);
  return v;
}

export function checkInt(op: string, name: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new ValueError(`${op}: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

export function checkRange(op: string, name: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !(v >= lo && v <= hi))
    throw new ValueError(`${op}: ${name} must lie in [${lo}, ${hi}], got ${String(v)}`);
  return v;
}

export function checkNorm<N extends LpNorm>(op: string, norm: unknown, allowed: readonly N[]): N {
  if (!allowed.includes(norm as N))
    throw new ValueError(
      `${op}: norm must be one of ${allowed.map((n) => `'${n}'`).join(', ')}, got ${JSON.stringify(norm)}`,
    );
  return norm as N;
}

export function checkBounds(op: string, bounds: unknown): Bounds {
  const b = bounds ?? [0, 1];
  if (!Array.isArray(b) || b.length !== 2 || typeof b[0] !== 'number' || typeof b[1] !== 'number' || !(b[0] < b[1]))
    throw new ValueError(`${op}: bounds must be [lower, upper] with lower < upper, got ${JSON.stringify(bounds)}`);
  return [b[0], b[1]];
}

/**
 * Checks that `x` is a float batch `[N, ...]` inside `bounds` and returns N. The range check reads
 * the values back, which is what lets every attack promise outputs inside the same box.
 */
export function checkInputs(op: string, x: unknown, bounds: Bounds): number {
  if (!isTensor(x)) throw new ValueError(`${op}: x must be a Tensor, got ${typeof x}`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64')
    throw new DTypeError(`${op}: x must be float32 or float64, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
  if (x.ndim < 2 || x.shape[0] === 0)
    throw new ShapeError(
      `${op}: x must be a non-empty batch [N, ...] with at least 2 dimensions, got ${fmtShape(x.shape)}`,
    );
  const [lo, hi] = bounds;
  const d = x.dataSync();
  let mn = Infinity;
  let mx = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (Number.isNaN(v)) throw new ValueError(`${op}: x of shape ${fmtShape(x.shape)} contains NaN`);
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  if (mn < lo || mx > hi)
    throw new ValueError(
      `${op}: x of shape ${fmtShape(x.shape)} has values in [${mn}, ${mx}], outside bounds [${lo}, ${hi}]`,
    );
  return x.shape[0]!;
}

/** Labels as an int32 tensor `[n]`; `name` is the option name used in messages. */
export function toLabels(op: string, y: Labels | unknown, n: number, xShape: readonly number[], name = 'y'): Tensor {
  let t: Tensor;
  if (isTensor(y)) t = y;
  else if (Array.isArray(y)) {
    if (!y.every((v) => Number.isInteger(v))) throw new ValueError(`${op}: ${name} must hold integer class indices`);
    t = tensor(y as number[], { dtype: 'int32' });
  } else throw new ValueError(`${op}: ${name} must be an int32 Tensor or an array of integers, got ${typeof y}`);
  if (t.dtype !== 'int32')
    throw new DTypeError(`${op}: ${name} must be int32 class indices, got ${t.dtype} of shape ${fmtShape(t.shape)}`);
  if (t.ndim !== 1 || t.shape[0] !== n)
    throw new ShapeError(
      `${op}: ${name} must have shape [${n}] to match x ${fmtShape(xShape)}, got ${fmtShape(t.shape)}`,
    );
  return t;
}

/** Checks model output `[N, C]` and that labels index its classes; returns C. */
export function checkLogits(op: string, logits: unknown, n: number, labels: Tensor[] = []): number {
  if (!isTensor(logits)) throw new ValueError(`${op}: the model must return a Tensor of logits, got ${typeof logits}`);
  if (logits.ndim !== 2 || logits.shape[0] !== n)
    throw new ShapeError(`${op}: the model must return logits [N, C] = [${n}, C], got ${fmtShape(logits.shape)}`);
  const c = logits.shape[1]!;
  for (const l of labels) {
    const d = l.dataSync();
    for (let i = 0; i < d.length; i++)
      if (d[i]! < 0 || d[i]! >= c)
        throw new ValueError(
          `${op}: label ${d[i]} at index ${i} is outside [0, ${c}) for logits ${fmtShape(logits.shape)}`,
        );
  }
  return c;
}
