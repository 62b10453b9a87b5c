import { ShapeError, Tensor, ValueError, fmtShape } from '@difflab/tensor';

/** Throws unless `v` is a finite number; `what` names the op and the argument. */
export function finite(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ValueError(`${op}: ${name} must be a finite number, got ${String(v)}`);
  return v;
}

export function positive(op: string, name: string, v: unknown): number {
  const x = finite(op, name, v);
  if (x <= 0) throw new ValueError(`${op}: ${name} must be positive, got ${x}`);
  return x;
}

export function nonNegative(op: string, name: string, v: unknown): number {
  const x = finite(op, name, v);
  if (x < 0) throw new ValueError(`${op}: ${name} must be non-negative, got ${x}`);
  return x;
}

export function integer(op: string, name: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new ValueError(`${op}: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

export function finiteArray(op: string, name: string, v: ArrayLike<number>): void {
  for (let i = 0; i < v.length; i++)
    if (!Number.isFinite(v[i]!))
      throw new ValueError(`${op}: ${name} contains a non-finite value (${v[i]}) at index ${i}`);
}

/** Host copy of a tensor's values as float64 (tensors on other devices are read back). */
export function hostData(t: Tensor): Float64Array {
  return Float64Array.from(t.dataSync() as ArrayLike<number>);
}

/** Accepts a [n, dim] tensor or an array of points and returns row-major float64 data. */
export function pointRows(
  op: string,
  points: Tensor | readonly (readonly number[])[],
  dim: number,
): { data: Float64Array; n: number } {
  if (points instanceof Tensor) {
    if (points.ndim !== 2 || points.shape[1] !== dim)
      throw new ShapeError(`${op}: points must have shape [n, ${dim}], got ${fmtShape(points.shape)}`);
    const data = hostData(points);
    finiteArray(op, 'points', data);
    return { data, n: points.shape[0]! };
  }
  if (!Array.isArray(points)) throw new ValueError(`${op}: points must be a [n, ${dim}] tensor or an array of points`);
  const n = points.length;
  const data = new Float64Array(n * dim);
  points.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== dim)
      throw new ShapeError(`${op}: point ${i} must have ${dim} coordinates, got ${JSON.stringify(p)}`);
    for (let j = 0; j < dim; j++) data[i * dim + j] = finite(op, `points[${i}][${j}]`, p[j]);
  });
  return { data, n };
}
