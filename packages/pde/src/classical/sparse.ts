import { ShapeError, ValueError } from '@difflab/tensor';
import { finiteArray, integer } from '../internal/checks.js';

/**
 * A square sparse matrix in compressed sparse row form (float64).
 *
 * @example
 * ```ts
 * import { CsrMatrix } from '@difflab/pde';
 * // [2 −1; −1 2]
 * const A = CsrMatrix.fromTriplets(2, [0, 0, 1, 1], [0, 1, 0, 1], [2, -1, -1, 2]);
 * A.matvec(Float64Array.of(1, 1)); // [1, 1]
 * ```
 */
export class CsrMatrix {
  constructor(
    /** Rows (= columns). */
    readonly n: number,
    /** Row i holds entries rowPtr[i] … rowPtr[i+1] − 1 (length n + 1). */
    readonly rowPtr: Int32Array,
    /** Column of each stored entry. */
    readonly colIdx: Int32Array,
    /** Value of each stored entry. */
    readonly values: Float64Array,
  ) {
    integer('CsrMatrix', 'n', n, 1);
    if (rowPtr.length !== n + 1 || colIdx.length !== values.length || rowPtr[n] !== values.length)
      throw new ShapeError(
        `CsrMatrix: inconsistent arrays (rowPtr ${rowPtr.length}, colIdx ${colIdx.length}, values ${values.length}) for n = ${n}`,
      );
  }

  /** Builds from (row, col, value) triplets; duplicates are summed, columns sorted per row. */
  static fromTriplets(n: number, rows: ArrayLike<number>, cols: ArrayLike<number>, vals: ArrayLike<number>): CsrMatrix {
    integer('CsrMatrix.fromTriplets', 'n', n, 1);
    if (rows.length !== cols.length || rows.length !== vals.length)
      throw new ShapeError(
        `CsrMatrix.fromTriplets: rows, cols and values have lengths ${rows.length}, ${cols.length}, ${vals.length}`,
      );
    finiteArray('CsrMatrix.fromTriplets', 'values', vals);
    const perRow: Map<number, number>[] = Array.from({ length: n }, () => new Map());
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
      const c = cols[k]!;
      if (!Number.isInteger(r) || !Number.isInteger(c) || r < 0 || c < 0 || r >= n || c >= n)
        throw new ValueError(`CsrMatrix.fromTriplets: entry ${k} at (${r}, ${c}) is outside a ${n}x${n} matrix`);
      perRow[r]!.set(c, (perRow[r]!.get(c) ?? 0) + vals[k]!);
    }
    const rowPtr = new Int32Array(n + 1);
    const colIdx: number[] = [];
    const values: number[] = [];
    perRow.forEach((m, r) => {
      for (const c of [...m.keys()].sort((a, b) => a - b)) {
        colIdx.push(c);
        values.push(m.get(c)!);
      }
      rowPtr[r + 1] = colIdx.length;
    });
    return new CsrMatrix(n, rowPtr, Int32Array.from(colIdx), Float64Array.from(values));
  }

  /** Stored entries. */
  get nnz(): number {
    return this.values.length;
  }

  /** y = A x. */
  matvec(x: Float64Array, y = new Float64Array(this.n)): Float64Array {
    if (x.length !== this.n)
      throw new ShapeError(`CsrMatrix.matvec: vector has length ${x.length}, matrix is ${this.n}x${this.n}`);
    for (let i = 0; i < this.n; i++) {
      let s = 0;
      for (let k = this.rowPtr[i]!; k < this.rowPtr[i + 1]!; k++) s += this.values[k]! * x[this.colIdx[k]!]!;
      y[i] = s;
    }
    return y;
  }

  /** The diagonal entries (0 where none is stored). */
  diagonal(): Float64Array {
    const d = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++)
      for (let k = this.rowPtr[i]!; k < this.rowPtr[i + 1]!; k++) if (this.colIdx[k] === i) d[i] = this.values[k]!;
    return d;
  }

  /** Dense row-major copy (for small matrices and tests). */
  toDense(): Float64Array {
    const out = new Float64Array(this.n * this.n);
    for (let i = 0; i < this.n; i++)
      for (let k = this.rowPtr[i]!; k < this.rowPtr[i + 1]!; k++) out[i * this.n + this.colIdx[k]!] = this.values[k]!;
    return out;
  }
}
