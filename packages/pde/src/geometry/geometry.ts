import { ShapeError, Tensor, ValueError, fromTypedArray } from '@difflab/tensor';
import { integer, nonNegative, pointRows } from '../internal/checks.js';
import { unitStream, type SamplingMethod } from '../sampling/unit.js';

/**
 * Points as an [n, dim] tensor or as rows of numbers.
 *
 * @example
 * ```ts
 * import { disk, type PointsLike } from '@difflab/pde';
 * const pts: PointsLike = [[0, 0], [2, 0]];
 * disk([0, 0], 1).contains(pts); // [true, false]
 * ```
 */
export type PointsLike = Tensor | readonly (readonly number[])[];
/**
 * Floating-point dtype of sampled points and solver outputs.
 *
 * @example
 * ```ts
 * import { interval, type FloatDType } from '@difflab/pde';
 * const dtype: FloatDType = 'float64';
 * const x = interval(0, 1).sample(32, { dtype });
 * ```
 */
export type FloatDType = 'float32' | 'float64';

/**
 * How `Geometry.sample` and `Geometry.sampleBoundary` draw points.
 *
 * @example
 * ```ts
 * import { rectangle, type SampleOptions } from '@difflab/pde';
 * const opts: SampleOptions = { method: 'sobol', skip: 1, dtype: 'float64' };
 * const x = rectangle([0, 0], [1, 2]).sample(256, opts); // [256, 2]
 * ```
 */
export interface SampleOptions {
  /** How to draw (default 'pseudo'); see {@link SamplingMethod}. */
  method?: SamplingMethod;
  /** Seed of the 'pseudo' and 'lhs' draws (default 0). */
  seed?: number;
  /** Points of a low-discrepancy sequence to skip first (default 0; Sobol's first point is the origin). */
  skip?: number;
  /** dtype of the returned tensor (default 'float32'). */
  dtype?: FloatDType;
}

/**
 * Tolerance of the point-membership tests.
 *
 * @example
 * ```ts
 * import { interval, type ToleranceOptions } from '@difflab/pde';
 * const opts: ToleranceOptions = { tol: 1e-3 };
 * interval(0, 1).onBoundary([[1.0005]], opts); // [true]
 * ```
 */
export interface ToleranceOptions {
  /** Absolute tolerance for "on the boundary" (default 1e-6 times the bounding-box diameter). */
  tol?: number;
}

/**
 * A closed domain in R^dim. Subclasses describe themselves through a few host-level hooks (point
 * tests on row-major Float64Array data and maps from the unit cube onto the domain and its boundary);
 * the public methods take and return [n, dim] tensors.
 *
 * @example
 * ```ts
 * import { disk, type Geometry } from '@difflab/pde';
 * const g: Geometry = disk([0, 0], 1);
 * const inside = g.sample(100, { method: 'halton' }); // [100, 2]
 * const edge = g.sampleBoundary(20);
 * const n = g.boundaryNormal(edge); // outward unit normals, [20, 2]
 * ```
 */
export abstract class Geometry {
  /** Kind of domain ('interval', 'disk', …), used in error messages. */
  abstract readonly name: string;
  /** Dimension of the points. */
  abstract readonly dim: number;
  /** Lower and upper corners of the bounding box. */
  abstract readonly bboxMin: readonly number[];
  /** Upper corner of the bounding box. */
  abstract readonly bboxMax: readonly number[];
  /** Length / area / volume. */
  abstract readonly measure: number;
  /** Dimension of the unit cube mapped onto the interior (`_fromUnit`). */
  abstract readonly unitDim: number;
  /** Dimension of the unit cube mapped onto the boundary (`_boundaryFromUnit`). */
  abstract readonly boundaryUnitDim: number;

  /** @internal Whether p = x[o .. o+dim) is inside or within `tol` of the domain. */
  abstract _inside(x: ArrayLike<number>, o: number, tol: number): boolean;
  /** @internal Distance from p to the boundary (p inside or near it). */
  abstract _boundaryDistance(x: ArrayLike<number>, o: number): number;
  /** @internal Outward unit normal at the boundary point nearest to p, written to out[oo ..]. */
  abstract _normal(x: ArrayLike<number>, o: number, out: Float64Array, oo: number, tol: number): void;
  /** @internal Maps a unit-cube point to the domain; false rejects it (rejection sampling). */
  abstract _fromUnit(u: ArrayLike<number>, uo: number, out: Float64Array, oo: number): boolean;
  /** @internal Maps a unit-cube point onto the boundary. */
  abstract _boundaryFromUnit(u: ArrayLike<number>, uo: number, out: Float64Array, oo: number): void;

  /** Default tolerance: 1e-6 of the bounding-box diameter. */
  get defaultTol(): number {
    let d2 = 0;
    for (let i = 0; i < this.dim; i++) d2 += (this.bboxMax[i]! - this.bboxMin[i]!) ** 2;
    return 1e-6 * Math.sqrt(d2);
  }

  /** Whether each point lies in the closed domain (within `tol`). */
  contains(points: PointsLike, opts: ToleranceOptions = {}): boolean[] {
    const { data, n } = pointRows(`${this.name}.contains`, points, this.dim);
    const tol = this.tol(opts);
    return Array.from({ length: n }, (_, i) => this._inside(data, i * this.dim, tol));
  }

  /** Whether each point lies on the boundary (inside and within `tol` of it). */
  onBoundary(points: PointsLike, opts: ToleranceOptions = {}): boolean[] {
    const { data, n } = pointRows(`${this.name}.onBoundary`, points, this.dim);
    const tol = this.tol(opts);
    return Array.from(
      { length: n },
      (_, i) => this._inside(data, i * this.dim, tol) && this._boundaryDistance(data, i * this.dim) <= tol,
    );
  }

  /**
   * Outward unit normals [n, dim] at boundary points (at a corner, the normalised mean of the
   * adjacent faces' normals). Points off the boundary throw.
   */
  boundaryNormal(points: PointsLike, opts: ToleranceOptions & { dtype?: FloatDType } = {}): Tensor {
    const op = `${this.name}.boundaryNormal`;
    const { data, n } = pointRows(op, points, this.dim);
    const tol = this.tol(opts);
    const out = new Float64Array(n * this.dim);
    for (let i = 0; i < n; i++) {
      const o = i * this.dim;
      if (!this._inside(data, o, tol) || this._boundaryDistance(data, o) > tol)
        throw new ValueError(`${op}: point ${i} (${fmtPoint(data, o, this.dim)}) is not on the boundary (tol ${tol})`);
      this._normal(data, o, out, o, tol);
    }
    return toTensor(out, n, this.dim, opts.dtype ?? dtypeOf(points));
  }

  /** `n` points in the domain drawn by `method` (rejection from the unit-cube map where needed). */
  sample(n: number, opts: SampleOptions = {}): Tensor {
    return toTensor(this.sampleHost(n, opts), n, this.dim, opts.dtype ?? 'float32');
  }

  /** `n` points on the boundary, spread by boundary measure. */
  sampleBoundary(n: number, opts: SampleOptions = {}): Tensor {
    return toTensor(this.sampleBoundaryHost(n, opts), n, this.dim, opts.dtype ?? 'float32');
  }

  /** @internal Row-major host version of {@link sample}. */
  sampleHost(n: number, opts: SampleOptions = {}): Float64Array {
    const op = `${this.name}.sample`;
    integer(op, 'n', n);
    const stream = unitStream(op, opts.method ?? 'pseudo', this.unitDim, opts.seed ?? 0, opts.skip ?? 0);
    const out = new Float64Array(n * this.dim);
    let filled = 0;
    let tries = 0;
    while (filled < n) {
      // Ask for enough candidates that one round usually suffices at the expected acceptance rate.
      const want = Math.max(16, Math.ceil((n - filled) * this.acceptanceInverse() * 1.1));
      const u = stream.next(want);
      for (let i = 0; i < want && filled < n; i++)
        if (this._fromUnit(u, i * this.unitDim, out, filled * this.dim)) filled++;
      if (++tries > 1000)
        throw new ValueError(
          `${op}: rejection sampling accepted only ${filled} of ${n} points; is the domain degenerate?`,
        );
    }
    return out;
  }

  /** @internal Row-major host version of {@link sampleBoundary}. */
  sampleBoundaryHost(n: number, opts: SampleOptions = {}): Float64Array {
    const op = `${this.name}.sampleBoundary`;
    integer(op, 'n', n);
    const stream = unitStream(op, opts.method ?? 'pseudo', this.boundaryUnitDim, opts.seed ?? 0, opts.skip ?? 0);
    const u = stream.next(n);
    const out = new Float64Array(n * this.dim);
    for (let i = 0; i < n; i++) this._boundaryFromUnit(u, i * this.boundaryUnitDim, out, i * this.dim);
    return out;
  }

  /**
   * A regular lattice over the bounding box with spacing chosen so that about `n` of its points fall
   * in the domain; only those (boundary included) are returned.
   */
  grid(n: number, opts: { dtype?: FloatDType } = {}): Tensor {
    const op = `${this.name}.grid`;
    integer(op, 'n', n, 1);
    const h = Math.pow(this.measure / n, 1 / this.dim);
    const counts = this.bboxMin.map((lo, i) => Math.max(2, Math.round((this.bboxMax[i]! - lo) / h) + 1));
    const rows: number[] = [];
    const total = counts.reduce((a, b) => a * b, 1);
    const p = new Float64Array(this.dim);
    const tol = this.defaultTol;
    for (let k = 0; k < total; k++) {
      let r = k;
      for (let d = this.dim - 1; d >= 0; d--) {
        const c = counts[d]!;
        p[d] = this.bboxMin[d]! + ((r % c) / (c - 1)) * (this.bboxMax[d]! - this.bboxMin[d]!);
        r = Math.floor(r / c);
      }
      if (this._inside(p, 0, tol)) rows.push(...p);
    }
    return toTensor(Float64Array.from(rows), rows.length / this.dim, this.dim, opts.dtype ?? 'float32');
  }

  /**
   * Throws a ValueError naming `op` and the first point that lies outside the domain (by more than
   * `tol`); used to validate collocation and observation points.
   */
  assertContains(op: string, points: PointsLike, opts: ToleranceOptions = {}): void {
    const { data, n } = pointRows(op, points, this.dim);
    const tol = this.tol(opts);
    for (let i = 0; i < n; i++)
      if (!this._inside(data, i * this.dim, tol))
        throw new ValueError(
          `${op}: point ${i} (${fmtPoint(data, i * this.dim, this.dim)}) lies outside the ${this.name} domain`,
        );
  }

  /** Expected number of unit-cube draws per accepted interior point (1 for maps onto the domain). */
  protected acceptanceInverse(): number {
    return 1;
  }

  /** The tolerance to use: `opts.tol` or {@link Geometry.defaultTol}. */
  protected tol(opts: ToleranceOptions): number {
    return opts.tol === undefined ? this.defaultTol : nonNegative(this.name, 'tol', opts.tol);
  }
}

export function fmtPoint(x: ArrayLike<number>, o: number, dim: number): string {
  return Array.from({ length: dim }, (_, i) => x[o + i]).join(', ');
}

export function toTensor(data: Float64Array, n: number, dim: number, dtype: FloatDType): Tensor {
  return fromTypedArray(dtype === 'float64' ? data : Float32Array.from(data), [n, dim], { dtype });
}

function dtypeOf(points: PointsLike): FloatDType {
  return points instanceof Tensor && points.dtype === 'float64' ? 'float64' : 'float32';
}

/** Validates a corner pair: equal lengths, finite, min < max on every axis. */
export function checkCorners(op: string, lo: readonly number[], hi: readonly number[]): void {
  if (!Array.isArray(lo) || !Array.isArray(hi) || lo.length !== hi.length || lo.length === 0)
    throw new ShapeError(
      `${op}: corners must be two non-empty arrays of equal length, got ${JSON.stringify(lo)} and ${JSON.stringify(hi)}`,
    );
  lo.forEach((a, i) => {
    const b = hi[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(b))
      throw new ValueError(`${op}: corner coordinates must be finite, got ${a} and ${b} on axis ${i}`);
    if (!(a < b)) throw new ValueError(`${op}: empty domain, min ${a} >= max ${b} on axis ${i}`);
  });
}
