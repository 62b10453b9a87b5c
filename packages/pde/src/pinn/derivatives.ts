import {
  ShapeError,
  Tensor,
  ValueError,
  add,
  fmtShape,
  fromTypedArray,
  grad,
  slice,
  stack,
  sum,
  vjp,
  zerosLike,
} from '@difflab/tensor';
import { Jet, normalizePairs, type Pair } from './jet.js';

/**
 * A pointwise field: [N, d] points to [N, m] values, row by row.
 *
 * @example
 * ```ts
 * import { laplacian, type Field } from '@difflab/pde';
 * import { sum, square, tensor } from '@difflab/tensor';
 * const f: Field = (x) => sum(square(x), 1, true); // |x|²
 * laplacian(f, tensor([[1, 2, 3]])).item(); // 6
 * ```
 */
export type Field = (x: Tensor) => Tensor;

/**
 * Derivatives of a field at a batch of points, as PDE residuals consume them. Every result is
 * [N, 1] for one output component (default 0), differentiable with respect to whatever the field
 * depends on (network weights, trainable coefficients).
 *
 * @example
 * ```ts
 * import { pinn, pinnMlp, rectangle } from '@difflab/pde';
 * const square = rectangle([0, 0], [1, 1]);
 * // A PDE residual reads derivatives through this interface: here u_xx + u_yy + 1 (Poisson).
 * const problem = pinn({
 *   model: pinnMlp([2, 16, 1]),
 *   collocation: square.sample(64),
 *   pde: (D) => D.d2(0, 0).add(D.d2(1, 1)).add(1),
 * });
 * ```
 */
export interface FieldDerivatives {
  /** The points [N, d]. */
  readonly x: Tensor;
  /** Field values [N, m]. */
  readonly u: Tensor;
  /** Component c of the values, [N, 1]. */
  value(component?: number): Tensor;
  /** ∂u_c/∂x_i. */
  d(i: number, component?: number): Tensor;
  /** ∂²u_c/∂x_i∂x_j. */
  d2(i: number, j: number, component?: number): Tensor;
  /** [N, d] gradient of u_c. */
  gradient(component?: number): Tensor;
  /** Σ_i ∂²u_c/∂x_i² over the listed coordinates (default all; e.g. the spatial ones only). */
  laplacian(component?: number, coords?: readonly number[]): Tensor;
}

function column(t: Tensor, c: number): Tensor {
  return slice(t, null, { start: c, stop: c + 1 });
}

function checkComponent(op: string, c: number, m: number): void {
  if (!Number.isInteger(c) || c < 0 || c >= m)
    throw new ValueError(`${op}: component ${c} out of range for a field with ${m} outputs`);
}

function oneHot(op: string, n: number, width: number, col: number, like: Tensor): Tensor {
  const e = new (like.dtype === 'float64' ? Float64Array : Float32Array)(n * width);
  for (let r = 0; r < n; r++) e[r * width + col] = 1;
  return fromTypedArray(e, [n, width], { dtype: like.dtype, device: like.device });
}

/**
 * Derivatives read off a Taylor jet (see {@link Jet}); second derivatives only for its pairs.
 *
 * @example
 * ```ts
 * import { Jet, JetDerivatives } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const x = tensor([[0.5]], { dtype: 'float64' });
 * const D = new JetDerivatives(x, Jet.input(x, [[0, 0]]).square()); // u = x²
 * D.d(0).item(); // 1
 * ```
 */
export class JetDerivatives implements FieldDerivatives {
  constructor(
    readonly x: Tensor,
    /** The Taylor jet of the field at `x`. */
    readonly jet: Jet,
  ) {}
  get u(): Tensor {
    return this.jet.value;
  }
  value(c = 0): Tensor {
    checkComponent('value', c, this.jet.width);
    return column(this.jet.value, c);
  }
  d(i: number, c = 0): Tensor {
    checkComponent('d', c, this.jet.width);
    return column(this.jet.d(i), c);
  }
  d2(i: number, j: number, c = 0): Tensor {
    checkComponent('d2', c, this.jet.width);
    return column(this.jet.dd(i, j), c);
  }
  gradient(c = 0): Tensor {
    return stack(
      Array.from({ length: this.jet.dim }, (_, i) => slice(this.jet.d(i), null, c)),
      1,
    );
  }
  laplacian(c = 0, coords?: readonly number[]): Tensor {
    const idx = coords ?? Array.from({ length: this.jet.dim }, (_, i) => i);
    return idx.map((i) => this.d2(i, i, c)).reduce((a, b) => add(a, b));
  }
}

/**
 * Derivatives of an arbitrary pointwise field by reverse mode. Because rows are independent,
 * ∂(Σ_n u_c(x_n))/∂x gives every point's gradient in one reverse pass; a second pass over that
 * gradient's graph (one per coordinate i, cached) gives ∂²u_c/∂x_i∂x_j for all j. Results are
 * computed lazily and cached.
 *
 * @example
 * ```ts
 * import { AutodiffDerivatives } from '@difflab/pde';
 * import { mul, tensor } from '@difflab/tensor';
 * const D = new AutodiffDerivatives(tensor([[2]]), (x) => mul(mul(x, x), x)); // u = x³
 * [D.d(0).item(), D.d2(0, 0).item()]; // [12, 12]
 * ```
 */
export class AutodiffDerivatives implements FieldDerivatives {
  private value_: Tensor | null = null;
  private readonly firstCache = new Map<number, { g: Tensor; pull: (c: unknown) => unknown[]; u: Tensor }>();
  private readonly hessRows = new Map<string, Tensor>();

  constructor(
    readonly x: Tensor,
    /** The field being differentiated. */
    readonly field: Field,
  ) {
    if (x.ndim !== 2) throw new ShapeError(`derivatives: points must be [N, d], got ${fmtShape(x.shape)}`);
  }

  get u(): Tensor {
    if (this.value_ === null) {
      const first = this.firstCache.values().next();
      this.value_ = first.done ? this.field(this.x) : first.value.u;
      if (this.value_.ndim !== 2 || this.value_.shape[0] !== this.x.shape[0])
        throw new ShapeError(
          `derivatives: the field must map [N, d] to [N, m], got ${fmtShape(this.value_.shape)} for ${fmtShape(this.x.shape)}`,
        );
    }
    return this.value_;
  }

  value(c = 0): Tensor {
    checkComponent('value', c, this.u.shape[1]!);
    return column(this.u, c);
  }

  private first(c: number) {
    let e = this.firstCache.get(c);
    if (!e) {
      const m = this.u.shape[1]!;
      checkComponent('d', c, m);
      const f = this.field;
      const inner = (xx: Tensor) => {
        const u = f(xx);
        return [sum(column(u, c)), u];
      };
      const [[g, u], pull] = vjp((xx: Tensor) => grad(inner, { hasAux: true })(xx), this.x) as [
        [Tensor, Tensor],
        (c: unknown) => unknown[],
      ];
      e = { g, pull, u };
      this.firstCache.set(c, e);
    }
    return e;
  }

  gradient(c = 0): Tensor {
    return this.first(c).g;
  }

  d(i: number, c = 0): Tensor {
    const d = this.x.shape[1]!;
    if (!Number.isInteger(i) || i < 0 || i >= d)
      throw new ValueError(`d: coordinate ${i} out of range for ${d} inputs`);
    return column(this.first(c).g, i);
  }

  d2(i: number, j: number, c = 0): Tensor {
    const [n, d] = this.x.shape as [number, number];
    for (const k of [i, j])
      if (!Number.isInteger(k) || k < 0 || k >= d)
        throw new ValueError(`d2: coordinate ${k} out of range for ${d} inputs`);
    const key = `${c},${i}`;
    let row = this.hessRows.get(key);
    if (!row) {
      const e = this.first(c);
      row = e.pull([oneHot('d2', n, d, i, this.x), zerosLike(e.u)])[0] as Tensor;
      this.hessRows.set(key, row);
    }
    return column(row, j);
  }

  laplacian(c = 0, coords?: readonly number[]): Tensor {
    const idx = coords ?? Array.from({ length: this.x.shape[1]! }, (_, i) => i);
    return idx.map((i) => this.d2(i, i, c)).reduce((a, b) => add(a, b));
  }
}

/**
 * Derivatives of a field at x: Taylor mode when `jetFn` is given (with the listed pairs), reverse mode otherwise.
 *
 * @example
 * ```ts
 * import { fieldDerivatives } from '@difflab/pde';
 * import { sin, tensor } from '@difflab/tensor';
 * const D = fieldDerivatives(tensor([[0]]), sin, (X) => X.sin(), [[0, 0]]); // Taylor mode
 * D.d(0).item(); // cos 0 = 1
 * ```
 */
export function fieldDerivatives(
  x: Tensor,
  field: Field,
  jetFn?: ((j: Jet) => Jet) | null,
  pairs: readonly Pair[] = [],
): FieldDerivatives {
  if (jetFn) return new JetDerivatives(x, jetFn(Jet.input(x, normalizePairs('fieldDerivatives', pairs, x.shape[1]!))));
  return new AutodiffDerivatives(x, field);
}

// ---- one-shot helpers over fields -------------------------------------------------------------

/**
 * [N, d] gradient of component c of a pointwise field (one reverse pass).
 *
 * @example
 * ```ts
 * import { gradient } from '@difflab/pde';
 * import { sum, square, tensor } from '@difflab/tensor';
 * gradient((x) => sum(square(x), 1, true), tensor([[1, 2]])).dataSync(); // [2, 4]
 * ```
 */
export function gradient(f: Field, x: Tensor, component = 0): Tensor {
  return new AutodiffDerivatives(x, f).gradient(component);
}

/**
 * [N, 1] Laplacian Σ_i ∂²f_c/∂x_i² (one extra reverse pass per coordinate).
 *
 * @example
 * ```ts
 * import { laplacian } from '@difflab/pde';
 * import { sum, square, tensor } from '@difflab/tensor';
 * // Only the spatial coordinates of (x, y, t):
 * laplacian((p) => sum(square(p), 1, true), tensor([[1, 2, 3]]), { coords: [0, 1] }).item(); // 4
 * ```
 */
export function laplacian(f: Field, x: Tensor, opts: { component?: number; coords?: readonly number[] } = {}): Tensor {
  return new AutodiffDerivatives(x, f).laplacian(opts.component ?? 0, opts.coords);
}

/**
 * [N, 1] divergence Σ_i ∂F_i/∂x_i of a vector field F: [N, d] → [N, d].
 *
 * @example
 * ```ts
 * import { divergence } from '@difflab/pde';
 * import { mul, tensor } from '@difflab/tensor';
 * divergence((x) => mul(x, 3), tensor([[1, 2]])).item(); // 6
 * ```
 */
export function divergence(F: Field, x: Tensor): Tensor {
  const d = x.shape[1]!;
  const D = new AutodiffDerivatives(x, F);
  if (D.u.shape[1] !== d)
    throw new ShapeError(`divergence: the field must have ${d} components for ${d}-D points, got ${D.u.shape[1]}`);
  return Array.from({ length: d }, (_, i) => D.d(i, i)).reduce((a, b) => add(a, b));
}

/**
 * [N, d, d] Hessians of component c.
 *
 * @example
 * ```ts
 * import { hessian } from '@difflab/pde';
 * import { mul, slice, tensor, type Tensor } from '@difflab/tensor';
 * const xy = (p: Tensor) => mul(slice(p, null, { start: 0, stop: 1 }), slice(p, null, { start: 1, stop: 2 }));
 * hessian(xy, tensor([[2, 3]])).dataSync(); // [0, 1, 1, 0]
 * ```
 */
export function hessian(f: Field, x: Tensor, component = 0): Tensor {
  const d = x.shape[1]!;
  const D = new AutodiffDerivatives(x, f);
  return stack(
    Array.from({ length: d }, (_, i) =>
      stack(
        Array.from({ length: d }, (_, j) => slice(D.d2(i, j, component), null, 0)),
        1,
      ),
    ),
    1,
  );
}

/**
 * Any mixed partial ∂^k f_c / ∂x_{i1} … ∂x_{ik} as [N, 1], by k nested reverse passes (e.g.
 * `partial(f, x, [0, 0, 0])` for the third derivative of a KdV residual).
 *
 * @example
 * ```ts
 * import { partial } from '@difflab/pde';
 * import { sin, tensor } from '@difflab/tensor';
 * partial(sin, tensor([[0]]), [0, 0, 0]).item(); // −cos 0 = −1
 * ```
 */
export function partial(f: Field, x: Tensor, indices: readonly number[], component = 0): Tensor {
  if (indices.length === 0) return column(f(x), component);
  const d = x.shape[1]!;
  for (const i of indices)
    if (!Number.isInteger(i) || i < 0 || i >= d)
      throw new ValueError(`partial: coordinate ${i} out of range for ${d} inputs`);
  let g: (xx: Tensor) => Tensor = (xx) => sum(column(f(xx), component));
  for (let k = 0; k < indices.length - 1; k++) {
    const prev = g;
    const i = indices[k]!;
    g = (xx) => sum(column(grad(prev)(xx) as Tensor, i));
  }
  return column(grad(g)(x) as Tensor, indices[indices.length - 1]!);
}
