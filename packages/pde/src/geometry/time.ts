import { Tensor, ValueError } from '@difflab/tensor';
import { integer } from '../internal/checks.js';
import { unitStream } from '../sampling/unit.js';
import { Interval } from './box.js';
import { Geometry, toTensor, type SampleOptions } from './geometry.js';

/**
 * A time interval [t0, t1].
 *
 * @example
 * ```ts
 * import { timeDomain } from '@difflab/pde';
 * const T = timeDomain(0, 1);
 * [T.t0, T.t1]; // [0, 1]
 * ```
 */
export class TimeDomain extends Interval {
  constructor(t0: number, t1: number) {
    super(t0, t1, 'timeDomain');
  }
  /** Initial time. */
  get t0(): number {
    return this.a;
  }
  /** Final time. */
  get t1(): number {
    return this.b;
  }
}

/**
 * The time interval [t0, t1] of a {@link SpaceTime} domain.
 *
 * @example
 * ```ts
 * import { interval, spaceTime, timeDomain } from '@difflab/pde';
 * const domain = spaceTime(interval(-1, 1), timeDomain(0, 1));
 * ```
 */
export function timeDomain(t0: number, t1: number): TimeDomain {
  return new TimeDomain(t0, t1);
}

/**
 * The space-time cylinder Ω × [t0, t1]; points are rows (x_0, …, x_{d-1}, t) with time last.
 * `sample` fills the cylinder, `sampleBoundary` the lateral boundary ∂Ω × [t0, t1] (where boundary
 * conditions act) and `sampleInitial` the slice Ω × {t0}.
 *
 * @example
 * ```ts
 * import { interval, spaceTime, timeDomain } from '@difflab/pde';
 * const domain = spaceTime(interval(-1, 1), timeDomain(0, 1));
 * const interior = domain.sample(1000, { method: 'sobol' }); // rows (x, t)
 * const walls = domain.sampleBoundary(100); // x = ±1
 * const initial = domain.sampleInitial(100); // t = 0
 * ```
 */
export class SpaceTime extends Geometry {
  readonly name: string;
  readonly dim: number;
  readonly bboxMin: readonly number[];
  readonly bboxMax: readonly number[];
  readonly measure: number;
  readonly unitDim: number;
  readonly boundaryUnitDim: number;

  constructor(
    /** The spatial domain Ω. */
    readonly space: Geometry,
    /** The time interval. */
    readonly time: TimeDomain,
  ) {
    super();
    if (!(space instanceof Geometry) || !(time instanceof TimeDomain))
      throw new ValueError('spaceTime: expects a Geometry and a TimeDomain');
    this.name = `spaceTime(${space.name})`;
    this.dim = space.dim + 1;
    this.bboxMin = [...space.bboxMin, time.t0];
    this.bboxMax = [...space.bboxMax, time.t1];
    this.measure = space.measure * (time.t1 - time.t0);
    this.unitDim = space.unitDim + 1;
    this.boundaryUnitDim = space.boundaryUnitDim + 1;
  }

  override get defaultTol(): number {
    return this.space.defaultTol;
  }

  _inside(x: ArrayLike<number>, o: number, tol: number): boolean {
    const t = x[o + this.space.dim]!;
    return t >= this.time.t0 - tol && t <= this.time.t1 + tol && this.space._inside(x, o, tol);
  }

  /** Distance to the lateral boundary ∂Ω × [t0, t1] (the end slices are not "boundary" here). */
  _boundaryDistance(x: ArrayLike<number>, o: number): number {
    return this.space._boundaryDistance(x, o);
  }

  _normal(x: ArrayLike<number>, o: number, out: Float64Array, oo: number, tol: number): void {
    this.space._normal(x, o, out, oo, tol);
    out[oo + this.space.dim] = 0;
  }

  _fromUnit(u: ArrayLike<number>, uo: number, out: Float64Array, oo: number): boolean {
    out[oo + this.space.dim] = this.time.t0 + u[uo + this.space.unitDim]! * (this.time.t1 - this.time.t0);
    return this.space._fromUnit(u, uo, out, oo);
  }

  _boundaryFromUnit(u: ArrayLike<number>, uo: number, out: Float64Array, oo: number): void {
    out[oo + this.space.dim] = this.time.t0 + u[uo + this.space.boundaryUnitDim]! * (this.time.t1 - this.time.t0);
    this.space._boundaryFromUnit(u, uo, out, oo);
  }

  protected override acceptanceInverse(): number {
    return (this.space as unknown as { acceptanceInverse(): number }).acceptanceInverse();
  }

  /** Lateral boundary points; an interval's two end points alternate, with times drawn by `method`. */
  override sampleBoundaryHost(n: number, opts: SampleOptions = {}): Float64Array {
    if (!(this.space instanceof Interval)) return super.sampleBoundaryHost(n, opts);
    integer(`${this.name}.sampleBoundary`, 'n', n);
    const u = unitStream(
      `${this.name}.sampleBoundary`,
      opts.method ?? 'pseudo',
      1,
      opts.seed ?? 0,
      opts.skip ?? 0,
    ).next(n);
    const out = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      out[2 * i] = i % 2 === 0 ? this.space.a : this.space.b;
      out[2 * i + 1] = this.time.t0 + u[i]! * (this.time.t1 - this.time.t0);
    }
    return out;
  }

  /** `n` points of the initial slice Ω × {t0}. */
  sampleInitial(n: number, opts: SampleOptions = {}): Tensor {
    const xs = this.space.sampleHost(n, opts);
    const out = new Float64Array(n * this.dim);
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < this.space.dim; d++) out[i * this.dim + d] = xs[i * this.space.dim + d]!;
      out[i * this.dim + this.space.dim] = this.time.t0;
    }
    return toTensor(out, n, this.dim, opts.dtype ?? 'float32');
  }

  /** Whether each point lies on the initial slice t = t0 (within `tol`). */
  onInitial(points: Tensor | readonly (readonly number[])[], opts: { tol?: number } = {}): boolean[] {
    const inside = this.contains(points, opts);
    const tol = this.tol(opts);
    const rows = points instanceof Tensor ? (points.toArray() as number[][]) : points;
    return rows.map((p, i) => inside[i]! && Math.abs(p[this.space.dim]! - this.time.t0) <= tol);
  }
}

/**
 * The space-time cylinder `space` × `time`; points are rows (x…, t).
 *
 * @example
 * ```ts
 * import { rectangle, spaceTime, timeDomain } from '@difflab/pde';
 * const domain = spaceTime(rectangle([0, 0], [1, 1]), timeDomain(0, 2));
 * domain.dim; // 3
 * ```
 */
export function spaceTime(space: Geometry, time: TimeDomain): SpaceTime {
  return new SpaceTime(space, time);
}
