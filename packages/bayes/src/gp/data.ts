import { ShapeError, ValueError, fmtShape, fromTypedArray, isTensor, type Tensor } from '@difflab/tensor';

/**
 * Inputs as a tensor `[n, d]` or nested number arrays.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fitGP, type InputLike } from '@difflab/bayes';
 * const a: InputLike = [[0, 1], [2, 3]];
 * const b: InputLike = tensor([[0, 1], [2, 3]], { dtype: 'float64' });
 * const gp = fitGP(a, [1, 2]);
 * ```
 */
export type InputLike = Tensor | readonly (readonly number[])[];
/**
 * Targets as a tensor `[n]` or a number array.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import type { TargetLike } from '@difflab/bayes';
 * const a: TargetLike = [1.5, 2.5];
 * const b: TargetLike = tensor([1.5, 2.5], { dtype: 'float64' });
 * ```
 */
export type TargetLike = Tensor | readonly number[];

/**
 * Inputs as a row-major float64 matrix: how a fitted {@link GaussianProcess} stores `X`.
 *
 * @example
 * ```ts
 * import { fitGP, type Matrix } from '@difflab/bayes';
 * const X: Matrix = fitGP([[0, 1], [2, 3]], [1, 2]).X;
 * X.data[X.cols * 1 + 0]; // 2: row 1, column 0
 * ```
 */
export interface Matrix {
  /** Entries, row after row. */
  data: Float64Array;
  /** Number of rows n. */
  rows: number;
  /** Number of columns d. */
  cols: number;
}

/** Reads `[n, d]` inputs into a row-major float64 array; rejects ragged rows and non-finite values. */
export function toMatrix(op: string, X: InputLike, cols?: number): Matrix {
  let data: Float64Array;
  let rows: number;
  let c: number;
  if (isTensor(X)) {
    const t = X as Tensor;
    if (t.ndim !== 2) throw new ShapeError(`${op}: inputs must be [n, d], got shape ${fmtShape(t.shape)}`);
    rows = t.shape[0]!;
    c = t.shape[1]!;
    data = Float64Array.from(t.dataSync());
  } else {
    const arr = X as readonly (readonly number[])[];
    if (!Array.isArray(arr)) throw new ValueError(`${op}: inputs must be a Tensor or an array of rows`);
    rows = arr.length;
    c = rows > 0 ? (arr[0] as readonly number[]).length : (cols ?? 0);
    data = new Float64Array(rows * c);
    arr.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== c)
        throw new ShapeError(`${op}: row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries, expected ${c}`);
      for (let j = 0; j < c; j++) data[i * c + j] = row[j]!;
    });
  }
  if (cols !== undefined && c !== cols) throw new ShapeError(`${op}: inputs have ${c} columns, expected ${cols}`);
  for (let i = 0; i < data.length; i++)
    if (!Number.isFinite(data[i]!))
      throw new ValueError(`${op}: inputs contain a non-finite value (${data[i]}) at row ${Math.floor(i / c)}`);
  return { data, rows, cols: c };
}

export function toVector(op: string, y: TargetLike, n: number): Float64Array {
  let v: Float64Array;
  if (isTensor(y)) {
    const t = y as Tensor;
    if (!(t.ndim === 1 || (t.ndim === 2 && t.shape[1] === 1)))
      throw new ShapeError(`${op}: targets must be [n], got shape ${fmtShape(t.shape)}`);
    v = Float64Array.from(t.dataSync());
  } else v = Float64Array.from(y as readonly number[]);
  if (v.length !== n) throw new ShapeError(`${op}: ${n} inputs but ${v.length} targets`);
  for (let i = 0; i < v.length; i++)
    if (!Number.isFinite(v[i]!))
      throw new ValueError(`${op}: targets contain a non-finite value (${v[i]}) at index ${i}`);
  return v;
}

export function matrixTensor(m: Matrix): Tensor {
  return fromTypedArray(m.data, [m.rows, m.cols], { dtype: 'float64' });
}

/**
 * Affine input map `(x − offset) / scale` per column.
 *
 * @example
 * ```ts
 * import { fitGP, type InputTransform } from '@difflab/bayes';
 * const gp = fitGP([[0], [5], [10]], [1, 2, 1], { normalizeInputs: true });
 * const t: InputTransform | null = gp.inputTransform; // { offset: [0], scale: [10] }
 * ```
 */
export interface InputTransform {
  /** Subtracted per column. */
  offset: Float64Array;
  /** Divided by per column. */
  scale: Float64Array;
}

/**
 * Affine output map `(y − mean) / std`.
 *
 * @example
 * ```ts
 * import { fitGP, type OutputTransform } from '@difflab/bayes';
 * const gp = fitGP([[0], [1]], [10, 20]);
 * const t: OutputTransform | null = gp.outputTransform; // { mean: 15, std: 5 }
 * ```
 */
export interface OutputTransform {
  /** Subtracted from y. */
  mean: number;
  /** Divided by (population std of y). */
  std: number;
}

export function fitInputTransform(
  op: string,
  X: Matrix,
  bounds?: { lower: readonly number[]; upper: readonly number[] },
): InputTransform {
  const d = X.cols;
  const offset = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let lo: number;
    let hi: number;
    if (bounds) {
      lo = bounds.lower[j]!;
      hi = bounds.upper[j]!;
      if (!(hi > lo))
        throw new ValueError(`${op}: normalization bounds need lower < upper, got [${lo}, ${hi}] for column ${j}`);
    } else {
      lo = Infinity;
      hi = -Infinity;
      for (let i = 0; i < X.rows; i++) {
        lo = Math.min(lo, X.data[i * d + j]!);
        hi = Math.max(hi, X.data[i * d + j]!);
      }
      if (!(hi > lo)) hi = lo + 1; // constant column: shift only
    }
    offset[j] = lo;
    scale[j] = hi - lo;
  }
  return { offset, scale };
}

/** Standardization with the population standard deviation (ddof 0, as scikit-learn's normalize_y). */
export function fitOutputTransform(y: Float64Array): OutputTransform {
  const n = y.length;
  let mean = 0;
  for (const v of y) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of y) ss += (v - mean) * (v - mean);
  const std = Math.sqrt(ss / n);
  return { mean, std: std > 0 ? std : 1 };
}

export function applyInput(X: Matrix, t: InputTransform | null): Matrix {
  if (!t) return X;
  const out = new Float64Array(X.data.length);
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < X.cols; j++) out[i * X.cols + j] = (X.data[i * X.cols + j]! - t.offset[j]!) / t.scale[j]!;
  return { data: out, rows: X.rows, cols: X.cols };
}
