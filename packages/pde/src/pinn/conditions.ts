import {
  ShapeError,
  Tensor,
  ValueError,
  add,
  fmtShape,
  fromTypedArray,
  mul,
  slice,
  sub,
  sum,
  concat,
} from '@difflab/tensor';
import { finite, finiteArray, hostData, positive } from '../internal/checks.js';
import type { Geometry } from '../geometry/geometry.js';
import type { FieldDerivatives } from './derivatives.js';

/**
 * What a residual sees besides the derivatives: the trainable coefficients of the problem.
 *
 * @example
 * ```ts
 * import { customCondition, type ResidualContext } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * // Residuals of conditions and PDEs see the trainable coefficients through the context.
 * const c = customCondition({ points: tensor([[0]]), residual: (D, ctx: ResidualContext) => D.value().sub(ctx.coefficients.k!) });
 * ```
 */
export interface ResidualContext {
  /** The current values of the trainable PDE coefficients, by name. */
  coefficients: Record<string, Tensor>;
}

/**
 * A target: a constant, values per point [n] / [n, 1], or a function of the points [n, d] → [n, 1].
 *
 * @example
 * ```ts
 * import { dirichletBC, type Target } from '@difflab/pde';
 * import { sin, tensor } from '@difflab/tensor';
 * const g: Target = (x) => sin(x);
 * const bc = dirichletBC({ points: tensor([[0], [1]]), value: g });
 * ```
 */
export type Target = number | Tensor | ((x: Tensor) => Tensor);

/**
 * A soft constraint: a residual evaluated at fixed points and penalised as weight · mean(r²).
 * `order` says which derivatives the residual reads (0: values only, 1: first, 2: second), so
 * the cheapest evaluation is used.
 *
 * @example
 * ```ts
 * import { pinn, pinnMlp, interval, dirichletBC, type Condition } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const conditions: Condition[] = [dirichletBC({ points: tensor([[-1], [1]]), value: 0, weight: 10 })];
 * const problem = pinn({ model: pinnMlp([1, 16, 1]), collocation: interval(-1, 1).sample(32), pde: (D) => D.d2(0, 0).add(1), conditions });
 * problem.names; // ['pde', 'dirichlet']
 * ```
 */
export interface Condition {
  /** Name of its loss term ('dirichlet', 'data', …). */
  readonly name: string;
  /** Where the condition is imposed, [n, d]. */
  readonly points: Tensor;
  /** Weight of its loss term. */
  readonly weight: number;
  /** Highest derivative order the residual reads. */
  readonly order: 0 | 1 | 2;
  /** Residual at `points`, [n, k]; the loss term is its mean square. */
  residual(D: FieldDerivatives, ctx: ResidualContext): Tensor;
}

/**
 * Options every condition builder takes.
 *
 * @example
 * ```ts
 * import { dirichletBC, rectangle, type ConditionOptions } from '@difflab/pde';
 * const square = rectangle([0, 0], [1, 1]);
 * const common: ConditionOptions = { points: square.sampleBoundary(64), weight: 10, name: 'walls', geometry: square };
 * const bc = dirichletBC({ ...common, value: 0 });
 * ```
 */
export interface ConditionOptions {
  /** Points [n, d] where the condition holds. */
  points: Tensor;
  /** Loss weight (default 1). */
  weight?: number;
  /** Output component it constrains (default 0). */
  component?: number;
  /** Name in the loss report (defaults per kind, made unique by the problem). */
  name?: string;
  /** Checks the points lie on this geometry's boundary (within tol) when given. */
  geometry?: Geometry;
}

function checkPoints(op: string, points: Tensor): void {
  if (!(points instanceof Tensor) || points.ndim !== 2 || points.shape[0] === 0)
    throw new ShapeError(
      `${op}: points must be a non-empty [n, d] tensor, got ${points instanceof Tensor ? fmtShape(points.shape) : typeof points}`,
    );
  finiteArray(op, 'points', hostData(points));
}

/** Resolves a target at the points once, as an [n, 1] tensor in the points' dtype. */
export function resolveTarget(op: string, target: Target, points: Tensor): Tensor {
  const n = points.shape[0]!;
  let t: Tensor;
  if (typeof target === 'number')
    t = fromTypedArray(new Float64Array(n).fill(finite(op, 'value', target)), [n, 1], { dtype: 'float64' });
  else if (typeof target === 'function') t = target(points);
  else t = target;
  if (!(t instanceof Tensor))
    throw new ValueError(`${op}: the target must be a number, a tensor or a function returning a tensor`);
  if (t.ndim === 1) t = t.reshape([t.shape[0]!, 1]);
  if (t.ndim !== 2 || t.shape[0] !== n || t.shape[1] !== 1)
    throw new ShapeError(`${op}: target has shape ${fmtShape(t.shape)}, expected [${n}, 1] for ${n} points`);
  finiteArray(op, 'target', hostData(t));
  return t.dtype === points.dtype ? t : t.astype(points.dtype);
}

function common(op: string, o: ConditionOptions, kind: string): { weight: number; component: number; name: string } {
  checkPoints(op, o.points);
  const weight = o.weight === undefined ? 1 : positive(op, 'weight', o.weight);
  const component = o.component ?? 0;
  if (!Number.isInteger(component) || component < 0)
    throw new ValueError(`${op}: component must be a non-negative integer, got ${component}`);
  return { weight, component, name: o.name ?? kind };
}

function onBoundary(op: string, g: Geometry | undefined, points: Tensor): void {
  if (!g) return;
  const flags = g.onBoundary(points);
  const bad = flags.indexOf(false);
  if (bad >= 0) throw new ValueError(`${op}: point ${bad} is not on the boundary of the ${g.name} domain`);
}

/**
 * u_c = g at the points (Dirichlet).
 *
 * @example
 * ```ts
 * import { dirichletBC, rectangle } from '@difflab/pde';
 * const square = rectangle([0, 0], [1, 1]);
 * const bc = dirichletBC({ points: square.sampleBoundary(100), value: 0, geometry: square });
 * ```
 */
export function dirichletBC(o: ConditionOptions & { value: Target }): Condition {
  const op = 'dirichletBC';
  const { weight, component, name } = common(op, o, 'dirichlet');
  onBoundary(op, o.geometry, o.points);
  const g = resolveTarget(op, o.value, o.points);
  return { name, points: o.points, weight, order: 0, residual: (D) => sub(D.value(component), g) };
}

/**
 * u_c(x, t0) = g(x): a Dirichlet condition on the initial slice (time is the last coordinate).
 *
 * @example
 * ```ts
 * import { initialCondition, interval, spaceTime, timeDomain } from '@difflab/pde';
 * import { mul, neg, sin, slice } from '@difflab/tensor';
 * const domain = spaceTime(interval(-1, 1), timeDomain(0, 1));
 * const ic = initialCondition({ points: domain.sampleInitial(100), value: (p) => neg(sin(mul(slice(p, null, { start: 0, stop: 1 }), Math.PI))) });
 * ```
 */
export function initialCondition(o: Omit<ConditionOptions, 'geometry'> & { value: Target }): Condition {
  const op = 'initialCondition';
  const { weight, component, name } = common(op, o, 'initial');
  const g = resolveTarget(op, o.value, o.points);
  return { name, points: o.points, weight, order: 0, residual: (D) => sub(D.value(component), g) };
}

/**
 * Observed values u_c(x) = y (data term of inverse problems and data assimilation).
 *
 * @example
 * ```ts
 * import { observations } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const data = observations({ points: tensor([[0.1], [0.5]]), values: tensor([0.2, 0.7]), weight: 10 });
 * ```
 */
export function observations(o: Omit<ConditionOptions, 'geometry'> & { values: Target }): Condition {
  const op = 'observations';
  const { weight, component, name } = common(op, o, 'data');
  const g = resolveTarget(op, o.values, o.points);
  return { name, points: o.points, weight, order: 0, residual: (D) => sub(D.value(component), g) };
}

/** Outward normals at the points: given, or computed from the geometry. */
function normalsFor(op: string, o: { points: Tensor; normals?: Tensor; geometry?: Geometry }): Tensor {
  const [n, d] = o.points.shape as [number, number];
  const nrm =
    o.normals ??
    (o.geometry ? o.geometry.boundaryNormal(o.points, { dtype: o.points.dtype as 'float32' | 'float64' }) : null);
  if (!nrm) throw new ValueError(`${op}: give the outward normals or the geometry to compute them`);
  if (nrm.ndim !== 2 || nrm.shape[0] !== n || nrm.shape[1] !== d)
    throw new ShapeError(`${op}: normals must be [${n}, ${d}], got ${fmtShape(nrm.shape)}`);
  return nrm.dtype === o.points.dtype ? nrm : nrm.astype(o.points.dtype);
}

function normalDerivative(D: FieldDerivatives, normals: Tensor, component: number): Tensor {
  return sum(mul(D.gradient(component), normals), 1, true);
}

/**
 * ∂u_c/∂n = g (Neumann), with n the outward unit normal (from `normals` or `geometry`).
 *
 * @example
 * ```ts
 * import { neumannBC, disk } from '@difflab/pde';
 * const d = disk([0, 0], 1);
 * const insulated = neumannBC({ points: d.sampleBoundary(64), value: 0, geometry: d });
 * ```
 */
export function neumannBC(o: ConditionOptions & { value: Target; normals?: Tensor }): Condition {
  const op = 'neumannBC';
  const { weight, component, name } = common(op, o, 'neumann');
  onBoundary(op, o.geometry, o.points);
  const nrm = normalsFor(op, o);
  const g = resolveTarget(op, o.value, o.points);
  return { name, points: o.points, weight, order: 1, residual: (D) => sub(normalDerivative(D, nrm, component), g) };
}

/**
 * α u_c + β ∂u_c/∂n = g (Robin).
 *
 * @example
 * ```ts
 * import { robinBC, interval } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const I = interval(0, 1);
 * const cooling = robinBC({ points: tensor([[1]]), alpha: 2, beta: 1, value: 0, geometry: I }); // 2u + u_x = 0 at x = 1
 * ```
 */
export function robinBC(
  o: ConditionOptions & { alpha: number; beta: number; value: Target; normals?: Tensor },
): Condition {
  const op = 'robinBC';
  const { weight, component, name } = common(op, o, 'robin');
  const alpha = finite(op, 'alpha', o.alpha);
  const beta = finite(op, 'beta', o.beta);
  if (alpha === 0 && beta === 0) throw new ValueError(`${op}: alpha and beta cannot both be zero`);
  onBoundary(op, o.geometry, o.points);
  const nrm = normalsFor(op, o);
  const g = resolveTarget(op, o.value, o.points);
  return {
    name,
    points: o.points,
    weight,
    order: 1,
    residual: (D) => sub(add(mul(D.value(component), alpha), mul(normalDerivative(D, nrm, component), beta)), g),
  };
}

/**
 * Periodicity between paired points: u_c(a_k) = u_c(b_k), and with `derivatives: [i, …]` also
 * ∂u_c/∂x_i(a_k) = ∂u_c/∂x_i(b_k). The residual is evaluated on the stacked points [a; b].
 *
 * @example
 * ```ts
 * import { periodicBC } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * // u and u_x equal at x = 0 and x = 1 for t = 0.2, 0.7 (points are rows (x, t)).
 * const bc = periodicBC({ pointsA: tensor([[0, 0.2], [0, 0.7]]), pointsB: tensor([[1, 0.2], [1, 0.7]]), derivatives: [0] });
 * ```
 */
export function periodicBC(o: {
  pointsA: Tensor;
  pointsB: Tensor;
  component?: number;
  derivatives?: readonly number[];
  weight?: number;
  name?: string;
}): Condition {
  const op = 'periodicBC';
  checkPoints(op, o.pointsA);
  checkPoints(op, o.pointsB);
  if (o.pointsA.shape.join() !== o.pointsB.shape.join())
    throw new ShapeError(
      `${op}: pointsA ${fmtShape(o.pointsA.shape)} and pointsB ${fmtShape(o.pointsB.shape)} must pair up`,
    );
  const { weight, component, name } = common(
    op,
    { points: o.pointsA, weight: o.weight, component: o.component, name: o.name },
    'periodic',
  );
  const n = o.pointsA.shape[0]!;
  const derivs = o.derivatives ?? [];
  const d = o.pointsA.shape[1]!;
  for (const i of derivs)
    if (!Number.isInteger(i) || i < 0 || i >= d)
      throw new ValueError(`${op}: derivative coordinate ${i} out of range for ${d} inputs`);
  const diff = (t: Tensor) => sub(slice(t, { start: 0, stop: n }), slice(t, { start: n }));
  return {
    name,
    points: concat([o.pointsA, o.pointsB], 0),
    weight,
    order: derivs.length ? 1 : 0,
    residual: (D) => {
      const parts = [diff(D.value(component)), ...derivs.map((i) => diff(D.d(i, component)))];
      return parts.length === 1 ? parts[0]! : concat(parts, 1);
    },
  };
}

/**
 * Any residual at fixed points (e.g. an integral constraint or an interface condition).
 *
 * @example
 * ```ts
 * import { customCondition } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * // u'(0) = 1, read from first derivatives (order 1).
 * const slope = customCondition({ points: tensor([[0]]), order: 1, residual: (D) => D.d(0).sub(1) });
 * ```
 */
export function customCondition(
  o: Omit<ConditionOptions, 'component' | 'geometry'> & {
    residual: (D: FieldDerivatives, ctx: ResidualContext) => Tensor;
    order?: 0 | 1 | 2;
  },
): Condition {
  const op = 'customCondition';
  const { weight, name } = common(op, o, 'custom');
  if (typeof o.residual !== 'function') throw new ValueError(`${op}: residual must be a function`);
  return { name, points: o.points, weight, order: o.order ?? 2, residual: o.residual };
}
