import { DTypeError, ShapeError, ValueError, fmtShape, isFloat, type Tensor } from '@difflab/tensor';

/** Values are only inspected where the device can be read synchronously (the CPU). */
function hostData(x: Tensor): ArrayLike<number> | null {
  return x.device === 'cpu' ? x.dataSync() : null;
}

export function requireFloat(op: string, name: string, x: Tensor): void {
  if (!isFloat(x.dtype))
    throw new DTypeError(`${op}: ${name} must be float32 or float64, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
}

export function requireInt(op: string, name: string, x: Tensor): void {
  if (x.dtype !== 'int32')
    throw new DTypeError(`${op}: ${name} must hold int32 class indices, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function requireSameShape(op: string, names: [string, string], a: Tensor, b: Tensor): void {
  if (!sameShape(a.shape, b.shape))
    throw new ShapeError(
      `${op}: ${names[0]} of shape ${fmtShape(a.shape)} and ${names[1]} of shape ${fmtShape(b.shape)} must have the same shape`,
    );
}

export function requireRank(op: string, name: string, x: Tensor, ranks: readonly number[]): void {
  if (!ranks.includes(x.ndim))
    throw new ShapeError(`${op}: ${name} must have ${ranks.join(' or ')} dimension(s), got shape ${fmtShape(x.shape)}`);
}

/** Class indices must lie in [0, n) unless equal to `ignoreIndex`. */
export function checkLabelRange(op: string, labels: Tensor, n: number, ignoreIndex?: number): void {
  const d = hostData(labels);
  if (!d) return;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v === ignoreIndex) continue;
    if (v < 0 || v >= n)
      throw new ValueError(
        `${op}: target ${v} is out of range for ${n} classes (targets of shape ${fmtShape(labels.shape)})`,
      );
  }
}

export function checkNonNegative(op: string, name: string, x: Tensor): void {
  const d = hostData(x);
  if (!d) return;
  for (let i = 0; i < d.length; i++)
    if (!(d[i]! >= 0))
      throw new ValueError(`${op}: ${name} of shape ${fmtShape(x.shape)} must be non-negative, found ${d[i]}`);
}

/** Entries must be in {-1, 1} (PyTorch's ±1 targets for margin losses). */
export function checkSigns(op: string, name: string, x: Tensor): void {
  const d = hostData(x);
  if (!d) return;
  for (let i = 0; i < d.length; i++)
    if (d[i] !== 1 && d[i] !== -1)
      throw new ValueError(`${op}: ${name} of shape ${fmtShape(x.shape)} must contain only -1 and 1, found ${d[i]}`);
}

/** Entries must be in [lo, hi]. */
export function checkRange(op: string, name: string, x: Tensor, lo: number, hi: number): void {
  const d = hostData(x);
  if (!d) return;
  for (let i = 0; i < d.length; i++)
    if (!(d[i]! >= lo && d[i]! <= hi))
      throw new ValueError(`${op}: ${name} of shape ${fmtShape(x.shape)} must lie in [${lo}, ${hi}], found ${d[i]}`);
}

/**
 * Probability vectors along `axis` must be non-negative and sum to 1. The tolerance scales with the
 * dtype's precision and the number of classes.
 */
export function checkSimplex(op: string, name: string, p: Tensor, axis: number): void {
  const d = hostData(p);
  if (!d) return;
  const ax = axis < 0 ? axis + p.ndim : axis;
  const n = p.shape[ax]!;
  const inner = p.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const outer = p.shape.slice(0, ax).reduce((a, b) => a * b, 1);
  const tol = (p.dtype === 'float64' ? 1e-8 : 1e-4) * Math.max(1, n);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) {
        const v = d[(o * n + k) * inner + i]!;
        if (!(v >= 0))
          throw new ValueError(
            `${op}: ${name} of shape ${fmtShape(p.shape)} must be non-negative probabilities, found ${v}`,
          );
        s += v;
      }
      if (Math.abs(s - 1) > tol)
        throw new ValueError(
          `${op}: ${name} of shape ${fmtShape(p.shape)} must sum to 1 along axis ${ax}, found a sum of ${s}`,
        );
    }
}

export function checkPositiveNumber(op: string, name: string, v: number, allowZero = false): void {
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0))
    throw new ValueError(`${op}: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number, got ${v}`);
}

export function checkFiniteNumber(op: string, name: string, v: number): void {
  if (!Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be a finite number, got ${v}`);
}

export function checkPositive(op: string, name: string, x: Tensor): void {
  const d = hostData(x);
  if (!d) return;
  for (let i = 0; i < d.length; i++)
    if (!(d[i]! > 0))
      throw new ValueError(`${op}: ${name} of shape ${fmtShape(x.shape)} must be positive, found ${d[i]}`);
}
