import { Tensor } from '@difflab/tensor';
import { integer } from '../internal/checks.js';
import { Geometry, checkCorners, toTensor, type FloatDType, type SampleOptions } from './geometry.js';

/**
 * An axis-aligned box [min_0, max_0] × … × [min_{d-1}, max_{d-1}] in any dimension (`interval`,
 * `rectangle` and `cuboid` are its 1-, 2- and 3-D forms).
 *
 * @example
 * ```ts
 * import { box } from '@difflab/pde';
 * const cube = box([0, 0, 0], [1, 1, 1]);
 * cube.measure; // 1
 * const x = cube.sample(64, { method: 'sobol' }); // [64, 3]
 * ```
 */
export class Box extends Geometry {
  readonly name: string;
  readonly dim: number;
  readonly bboxMin: readonly number[];
  readonly bboxMax: readonly number[];
  readonly measure: number;
  readonly unitDim: number;
  readonly boundaryUnitDim: number;
  /** Cumulative boundary-measure weights of the 2·dim faces (axis k low, axis k high, …). */
  private readonly faceCdf: number[];

  constructor(min: readonly number[], max: readonly number[], name = 'box') {
    super();
    checkCorners(name, min, max);
    this.name = name;
    this.dim = min.length;
    this.bboxMin = [...min];
    this.bboxMax = [...max];
    const len = this.bboxMin.map((a, i) => this.bboxMax[i]! - a);
    this.measure = len.reduce((a, b) => a * b, 1);
    this.unitDim = this.dim;
    this.boundaryUnitDim = this.dim;
    const faces = len.flatMap((_, k) => {
      const a = len.reduce((p, l, j) => (j === k ? p : p * l), 1);
      return [a, a];
    });
    const total = faces.reduce((a, b) => a + b, 0);
    let c = 0;
    this.faceCdf = faces.map((a) => (c += a / total));
  }

  /** Measure of the boundary (points count 1 each in 1-D, perimeter in 2-D, area in 3-D …). */
  get boundaryMeasure(): number {
    const len = this.bboxMin.map((a, i) => this.bboxMax[i]! - a);
    return len.reduce((s, _, k) => s + 2 * len.reduce((p, l, j) => (j === k ? p : p * l), 1), 0);
  }

  _inside(x: ArrayLike<number>, o: number, tol: number): boolean {
    for (let i = 0; i < this.dim; i++) {
      const v = x[o + i]!;
      if (v < this.bboxMin[i]! - tol || v > this.bboxMax[i]! + tol) return false;
    }
    return true;
  }

  _boundaryDistance(x: ArrayLike<number>, o: number): number {
    let d = Infinity;
    for (let i = 0; i < this.dim; i++) {
      const v = x[o + i]!;
      d = Math.min(d, Math.abs(v - this.bboxMin[i]!), Math.abs(v - this.bboxMax[i]!));
    }
    return d;
  }

  _normal(x: ArrayLike<number>, o: number, out: Float64Array, oo: number, tol: number): void {
    let norm = 0;
    for (let i = 0; i < this.dim; i++) {
      const v = x[o + i]!;
      const s = Math.abs(v - this.bboxMin[i]!) <= tol ? -1 : Math.abs(v - this.bboxMax[i]!) <= tol ? 1 : 0;
      out[oo + i] = s;
      norm += s * s;
    }
    if (norm === 0) {
      // Not within tol of any face: use the nearest face.
      let best = 0;
      let bd = Infinity;
      let bs = 1;
      for (let i = 0; i < this.dim; i++) {
        const dl = Math.abs(x[o + i]! - this.bboxMin[i]!);
        const dh = Math.abs(x[o + i]! - this.bboxMax[i]!);
        if (dl < bd) [bd, best, bs] = [dl, i, -1];
        if (dh < bd) [bd, best, bs] = [dh, i, 1];
      }
      out[oo + best] = bs;
      return;
    }
    const s = 1 / Math.sqrt(norm);
    for (let i = 0; i < this.dim; i++) out[oo + i] *= s;
  }

  _fromUnit(u: ArrayLike<number>, uo: number, out: Float64Array, oo: number): boolean {
    for (let i = 0; i < this.dim; i++)
      out[oo + i] = this.bboxMin[i]! + u[uo + i]! * (this.bboxMax[i]! - this.bboxMin[i]!);
    return true;
  }

  _boundaryFromUnit(u: ArrayLike<number>, uo: number, out: Float64Array, oo: number): void {
    // The first coordinate picks a face (by area) and is rescaled to reuse its position within the
    // face's slot as the first free coordinate, which keeps one-dimensional boundaries well spread.
    const u0 = u[uo]!;
    let f = 0;
    while (f < this.faceCdf.length - 1 && u0 >= this.faceCdf[f]!) f++;
    const lo = f === 0 ? 0 : this.faceCdf[f - 1]!;
    const w = (u0 - lo) / (this.faceCdf[f]! - lo);
    const axis = f >> 1;
    let j = 1;
    let first = true;
    for (let i = 0; i < this.dim; i++) {
      if (i === axis) {
        out[oo + i] = f & 1 ? this.bboxMax[i]! : this.bboxMin[i]!;
        continue;
      }
      const t = first ? w : u[uo + j++]!;
      first = false;
      out[oo + i] = this.bboxMin[i]! + t * (this.bboxMax[i]! - this.bboxMin[i]!);
    }
  }

  /**
   * The tensor-product grid with `counts[i]` equispaced points on axis i (ends included), in
   * row-major order (the last axis varies fastest).
   */
  meshgrid(counts: readonly number[], opts: { dtype?: FloatDType } = {}): Tensor {
    const op = `${this.name}.meshgrid`;
    if (counts.length !== this.dim) throw new RangeError(`${op}: expected ${this.dim} counts, got ${counts.length}`);
    counts.forEach((c, i) => integer(op, `counts[${i}]`, c, 2));
    const total = counts.reduce((a, b) => a * b, 1);
    const out = new Float64Array(total * this.dim);
    for (let k = 0; k < total; k++) {
      let r = k;
      for (let d = this.dim - 1; d >= 0; d--) {
        const c = counts[d]!;
        out[k * this.dim + d] = this.bboxMin[d]! + ((r % c) / (c - 1)) * (this.bboxMax[d]! - this.bboxMin[d]!);
        r = Math.floor(r / c);
      }
    }
    return toTensor(out, total, this.dim, opts.dtype ?? 'float32');
  }
}

/**
 * The interval [a, b] (a 1-D {@link Box}). Its boundary is the two end points.
 *
 * @example
 * ```ts
 * import { interval } from '@difflab/pde';
 * const I = interval(-1, 1);
 * I.sampleBoundary(4).dataSync(); // [-1, 1, -1, 1]
 * ```
 */
export class Interval extends Box {
  constructor(a: number, b: number, name = 'interval') {
    super([a], [b], name);
  }
  /** Left end. */
  get a(): number {
    return this.bboxMin[0]!;
  }
  /** Right end. */
  get b(): number {
    return this.bboxMax[0]!;
  }

  /** Boundary samples alternate a, b, a, b, … (the boundary is two points, so nothing is random). */
  override sampleBoundaryHost(n: number, _opts: SampleOptions = {}): Float64Array {
    integer(`${this.name}.sampleBoundary`, 'n', n);
    return Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? this.a : this.b));
  }
}

/**
 * The interval [a, b] (a < b, both finite).
 *
 * @example
 * ```ts
 * import { interval } from '@difflab/pde';
 * const x = interval(-1, 1).sample(100, { method: 'sobol', dtype: 'float64' }); // [100, 1]
 * ```
 */
export function interval(a: number, b: number): Interval {
  return new Interval(a, b);
}

/**
 * The rectangle [min_0, max_0] × [min_1, max_1].
 *
 * @example
 * ```ts
 * import { rectangle } from '@difflab/pde';
 * const square = rectangle([0, 0], [1, 1]);
 * square.contains([[0.5, 0.5], [1.5, 0]]); // [true, false]
 * ```
 */
export function rectangle(min: readonly [number, number], max: readonly [number, number]): Box {
  return new Box(min, max, 'rectangle');
}

/**
 * The 3-D box [min_0, max_0] × [min_1, max_1] × [min_2, max_2].
 *
 * @example
 * ```ts
 * import { cuboid } from '@difflab/pde';
 * const c = cuboid([0, 0, 0], [1, 2, 3]);
 * c.measure; // 6
 * ```
 */
export function cuboid(min: readonly [number, number, number], max: readonly [number, number, number]): Box {
  return new Box(min, max, 'cuboid');
}

/**
 * An axis-aligned box in any dimension.
 *
 * @example
 * ```ts
 * import { box } from '@difflab/pde';
 * const b = box([0, 0, 0, 0], [1, 1, 1, 1]); // a 4-D unit hypercube
 * const x = b.sample(10);
 * ```
 */
export function box(min: readonly number[], max: readonly number[]): Box {
  return new Box(min, max, 'box');
}
