import { ShapeError } from '@difflab/tensor';
import { finite, positive } from '../internal/checks.js';
import { Geometry } from './geometry.js';

/**
 * The closed disk |x − center| ≤ radius in 2-D.
 *
 * @example
 * ```ts
 * import { disk } from '@difflab/pde';
 * const d = disk([0, 0], 2);
 * d.boundaryNormal([[2, 0]]).dataSync(); // [1, 0]
 * ```
 */
export class Disk extends Geometry {
  readonly name = 'disk';
  readonly dim = 2;
  readonly bboxMin: readonly number[];
  readonly bboxMax: readonly number[];
  readonly measure: number;
  readonly unitDim = 2;
  readonly boundaryUnitDim = 1;
  /** Centre. */
  readonly center: readonly [number, number];
  /** Radius. */
  readonly radius: number;

  constructor(center: readonly [number, number], radius: number) {
    super();
    if (!Array.isArray(center) || center.length !== 2)
      throw new ShapeError(`disk: center must be [x, y], got ${JSON.stringify(center)}`);
    this.center = [finite('disk', 'center[0]', center[0]), finite('disk', 'center[1]', center[1])];
    this.radius = positive('disk', 'radius', radius);
    this.bboxMin = [this.center[0] - radius, this.center[1] - radius];
    this.bboxMax = [this.center[0] + radius, this.center[1] + radius];
    this.measure = Math.PI * radius * radius;
  }

  /** Circumference 2πr. */
  get boundaryMeasure(): number {
    return 2 * Math.PI * this.radius;
  }

  private r(x: ArrayLike<number>, o: number): number {
    return Math.hypot(x[o]! - this.center[0], x[o + 1]! - this.center[1]);
  }

  _inside(x: ArrayLike<number>, o: number, tol: number): boolean {
    return this.r(x, o) <= this.radius + tol;
  }

  _boundaryDistance(x: ArrayLike<number>, o: number): number {
    return Math.abs(this.radius - this.r(x, o));
  }

  _normal(x: ArrayLike<number>, o: number, out: Float64Array, oo: number): void {
    const r = this.r(x, o);
    out[oo] = (x[o]! - this.center[0]) / r;
    out[oo + 1] = (x[o + 1]! - this.center[1]) / r;
  }

  /** Area-preserving polar map: r = R √u₀, θ = 2π u₁ (uniform draws stay uniform in area). */
  _fromUnit(u: ArrayLike<number>, uo: number, out: Float64Array, oo: number): boolean {
    const r = this.radius * Math.sqrt(u[uo]!);
    const th = 2 * Math.PI * u[uo + 1]!;
    out[oo] = this.center[0] + r * Math.cos(th);
    out[oo + 1] = this.center[1] + r * Math.sin(th);
    return true;
  }

  _boundaryFromUnit(u: ArrayLike<number>, uo: number, out: Float64Array, oo: number): void {
    const th = 2 * Math.PI * u[uo]!;
    out[oo] = this.center[0] + this.radius * Math.cos(th);
    out[oo + 1] = this.center[1] + this.radius * Math.sin(th);
  }
}

/**
 * The closed disk with the given centre and radius (radius > 0).
 *
 * @example
 * ```ts
 * import { disk } from '@difflab/pde';
 * const x = disk([0.5, 0.5], 0.25).sample(200, { method: 'sobol' });
 * ```
 */
export function disk(center: readonly [number, number], radius: number): Disk {
  return new Disk(center, radius);
}
