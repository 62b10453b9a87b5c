import { ShapeError, ValueError } from '@difflab/tensor';
import { finite } from '../internal/checks.js';
import { Geometry } from './geometry.js';

function segmentsCross(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): boolean {
  const o = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) =>
    Math.sign((qx - px) * (ry - py) - (qy - py) * (rx - px));
  return (
    o(ax, ay, bx, by, cx, cy) * o(ax, ay, bx, by, dx, dy) < 0 &&
    o(cx, cy, dx, dy, ax, ay) * o(cx, cy, dx, dy, bx, by) < 0
  );
}

/**
 * A simple (non-self-intersecting) polygon given by its vertices in order, either orientation;
 * e.g. an L-shape or a triangle. Interior sampling rejects from the bounding box.
 *
 * @example
 * ```ts
 * import { polygon } from '@difflab/pde';
 * const L = polygon([[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]]);
 * L.measure; // 3
 * L.contains([[1.5, 1.5]]); // [false]
 * ```
 */
export class Polygon extends Geometry {
  readonly name = 'polygon';
  readonly dim = 2;
  readonly bboxMin: readonly number[];
  readonly bboxMax: readonly number[];
  readonly measure: number;
  readonly unitDim = 2;
  readonly boundaryUnitDim = 1;
  /** The vertices, in the order given. */
  readonly vertices: readonly (readonly [number, number])[];
  /** Total edge length. */
  readonly perimeter: number;
  /** +1 for counter-clockwise vertex order, −1 for clockwise (sets the outward-normal side). */
  private readonly orientation: number;
  private readonly cumLen: number[];

  constructor(vertices: readonly (readonly number[])[]) {
    super();
    if (!Array.isArray(vertices) || vertices.length < 3)
      throw new ValueError(
        `polygon: needs at least 3 vertices, got ${Array.isArray(vertices) ? vertices.length : typeof vertices}`,
      );
    this.vertices = vertices.map((v, i) => {
      if (!Array.isArray(v) || v.length !== 2)
        throw new ShapeError(`polygon: vertex ${i} must be [x, y], got ${JSON.stringify(v)}`);
      return [finite('polygon', `vertex ${i} x`, v[0]), finite('polygon', `vertex ${i} y`, v[1])] as const;
    });
    const n = this.vertices.length;
    let area2 = 0;
    for (let i = 0; i < n; i++) {
      const [ax, ay] = this.vertices[i]!;
      const [bx, by] = this.vertices[(i + 1) % n]!;
      area2 += ax * by - bx * ay;
    }
    if (Math.abs(area2) < 1e-300) throw new ValueError('polygon: the vertices enclose zero area (empty domain)');
    for (let i = 0; i < n; i++)
      for (let j = i + 2; j < n; j++) {
        if (i === 0 && j === n - 1) continue;
        const [a, b] = [this.vertices[i]!, this.vertices[i + 1]!];
        const [c, d] = [this.vertices[j]!, this.vertices[(j + 1) % n]!];
        if (segmentsCross(a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1]))
          throw new ValueError(`polygon: edges ${i} and ${j} cross; the polygon must be simple`);
      }
    this.orientation = area2 > 0 ? 1 : -1;
    this.measure = Math.abs(area2) / 2;
    this.bboxMin = [Math.min(...this.vertices.map((v) => v[0])), Math.min(...this.vertices.map((v) => v[1]))];
    this.bboxMax = [Math.max(...this.vertices.map((v) => v[0])), Math.max(...this.vertices.map((v) => v[1]))];
    this.cumLen = [0];
    for (let i = 0; i < n; i++) {
      const [ax, ay] = this.vertices[i]!;
      const [bx, by] = this.vertices[(i + 1) % n]!;
      this.cumLen.push(this.cumLen[i]! + Math.hypot(bx - ax, by - ay));
    }
    this.perimeter = this.cumLen[n]!;
  }

  /** The perimeter. */
  get boundaryMeasure(): number {
    return this.perimeter;
  }

  /** Distance to edge i and the parameter of the nearest point on it. */
  private edgeDistance(px: number, py: number, i: number): number {
    const n = this.vertices.length;
    const [ax, ay] = this.vertices[i]!;
    const [bx, by] = this.vertices[(i + 1) % n]!;
    const ex = bx - ax;
    const ey = by - ay;
    const t = Math.max(0, Math.min(1, ((px - ax) * ex + (py - ay) * ey) / (ex * ex + ey * ey)));
    return Math.hypot(px - ax - t * ex, py - ay - t * ey);
  }

  _boundaryDistance(x: ArrayLike<number>, o: number): number {
    let d = Infinity;
    for (let i = 0; i < this.vertices.length; i++) d = Math.min(d, this.edgeDistance(x[o]!, x[o + 1]!, i));
    return d;
  }

  _inside(x: ArrayLike<number>, o: number, tol: number): boolean {
    const px = x[o]!;
    const py = x[o + 1]!;
    // Even-odd ray casting, plus a tolerance band around the edges.
    let inside = false;
    const n = this.vertices.length;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const [xi, yi] = this.vertices[i]!;
      const [xj, yj] = this.vertices[j]!;
      if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside || this._boundaryDistance(x, o) <= tol;
  }

  _normal(x: ArrayLike<number>, o: number, out: Float64Array, oo: number, tol: number): void {
    const n = this.vertices.length;
    let best = Infinity;
    for (let i = 0; i < n; i++) best = Math.min(best, this.edgeDistance(x[o]!, x[o + 1]!, i));
    let nx = 0;
    let ny = 0;
    for (let i = 0; i < n; i++) {
      if (this.edgeDistance(x[o]!, x[o + 1]!, i) > best + tol) continue;
      const [ax, ay] = this.vertices[i]!;
      const [bx, by] = this.vertices[(i + 1) % n]!;
      const len = Math.hypot(bx - ax, by - ay);
      // For counter-clockwise order the outward normal of edge (a→b) is (dy, −dx)/|e|.
      nx += (this.orientation * (by - ay)) / len;
      ny += (this.orientation * -(bx - ax)) / len;
    }
    const s = Math.hypot(nx, ny);
    out[oo] = nx / s;
    out[oo + 1] = ny / s;
  }

  _fromUnit(u: ArrayLike<number>, uo: number, out: Float64Array, oo: number): boolean {
    out[oo] = this.bboxMin[0]! + u[uo]! * (this.bboxMax[0]! - this.bboxMin[0]!);
    out[oo + 1] = this.bboxMin[1]! + u[uo + 1]! * (this.bboxMax[1]! - this.bboxMin[1]!);
    return this._inside(out, oo, 0);
  }

  _boundaryFromUnit(u: ArrayLike<number>, uo: number, out: Float64Array, oo: number): void {
    const s = u[uo]! * this.perimeter;
    let i = 0;
    while (i < this.vertices.length - 1 && s >= this.cumLen[i + 1]!) i++;
    const [ax, ay] = this.vertices[i]!;
    const [bx, by] = this.vertices[(i + 1) % this.vertices.length]!;
    const t = (s - this.cumLen[i]!) / (this.cumLen[i + 1]! - this.cumLen[i]!);
    out[oo] = ax + t * (bx - ax);
    out[oo + 1] = ay + t * (by - ay);
  }

  protected override acceptanceInverse(): number {
    return ((this.bboxMax[0]! - this.bboxMin[0]!) * (this.bboxMax[1]! - this.bboxMin[1]!)) / this.measure;
  }
}

/**
 * A simple polygon from its vertices in order (at least three).
 *
 * @example
 * ```ts
 * import { polygon } from '@difflab/pde';
 * const triangle = polygon([[0, 0], [1, 0], [0, 1]]);
 * const x = triangle.sample(50);
 * ```
 */
export function polygon(vertices: readonly (readonly number[])[]): Polygon {
  return new Polygon(vertices);
}
