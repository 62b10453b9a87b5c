import { ShapeError, Tensor, ValueError, add, concat, fmtShape, keep, mul } from '@difflab/tensor';
import { AutodiffDerivatives } from './derivatives.js';
import { Jet } from './jet.js';

/**
 * Exact (hard) constraints through the output: u(x) = g(x) + ℓ(x) · N(x), where N is the network,
 * g satisfies the boundary/initial data and ℓ vanishes where they are imposed (Lagaris et al.
 * 1998; Sukumar & Srivastava 2022). g and ℓ are parameter-free, so their derivatives at the
 * collocation points are computed once by reverse mode and cached.
 *
 * @example
 * ```ts
 * import { hardConstraint, type HardConstraint } from '@difflab/pde';
 * import { square, sub } from '@difflab/tensor';
 * // u(±1) = 0 exactly: u = (1 − x²)·N(x).
 * const t: HardConstraint = hardConstraint({ distance: (x) => sub(1, square(x)) });
 * ```
 */
export interface HardConstraint {
  /** Discriminant. */
  readonly kind: 'hard';
  /** g(x): [N, d] → [N, m] (or [N, 1], broadcast); default 0. */
  readonly particular?: (x: Tensor) => Tensor;
  /** ℓ(x): [N, d] → [N, 1] or [N, m]. */
  readonly distance: (x: Tensor) => Tensor;
}

/**
 * A general output transform u = T(x, N(x)). Reverse-mode derivatives handle any `apply`; supply
 * `jet` (the same map on Taylor jets) to keep the faster Taylor-mode path.
 *
 * @example
 * ```ts
 * import { outputTransform, type FunctionTransform } from '@difflab/pde';
 * import { exp } from '@difflab/tensor';
 * // A positive output u = exp(N), with its Taylor-mode form.
 * const positive: FunctionTransform = outputTransform((_x, y) => exp(y), (_X, Y) => Y.exp());
 * ```
 */
export interface FunctionTransform {
  /** Discriminant. */
  readonly kind: 'function';
  /** u = T(x, y) for points x [N, d] and network outputs y [N, m]. */
  apply(x: Tensor, y: Tensor): Tensor;
  /** The same map on Taylor jets. */
  jet?(x: Jet, y: Jet): Jet;
}

/**
 * An output transform of a PINN: a {@link HardConstraint} or a general {@link FunctionTransform}.
 *
 * @example
 * ```ts
 * import { hardConstraint, pinn, pinnMlp, interval, type OutputTransform } from '@difflab/pde';
 * import { square, sub } from '@difflab/tensor';
 * const transform: OutputTransform = hardConstraint({ distance: (x) => sub(1, square(x)) });
 * const problem = pinn({ model: pinnMlp([1, 16, 1]), collocation: interval(-1, 1).sample(32), pde: (D) => D.d2(0, 0).add(1), transform });
 * ```
 */
export type OutputTransform = HardConstraint | FunctionTransform;

/**
 * Builds a {@link HardConstraint} u = g(x) + ℓ(x)·N(x) from the particular solution g (default 0) and the distance-like factor ℓ.
 *
 * @example
 * ```ts
 * import { hardConstraint } from '@difflab/pde';
 * import { mul, neg, sin, slice, square, sub, type Tensor } from '@difflab/tensor';
 * const col = (p: Tensor, i: number) => slice(p, null, { start: i, stop: i + 1 });
 * // Burgers: u(x, 0) = −sin(πx) and u(±1, t) = 0 hold for every network output.
 * const t = hardConstraint({ particular: (p) => neg(sin(mul(col(p, 0), Math.PI))), distance: (p) => mul(col(p, 1), sub(1, square(col(p, 0)))) });
 * ```
 */
export function hardConstraint(o: {
  particular?: (x: Tensor) => Tensor;
  distance: (x: Tensor) => Tensor;
}): HardConstraint {
  if (typeof o.distance !== 'function')
    throw new ValueError('hardConstraint: distance must be a function of the points');
  if (o.particular !== undefined && typeof o.particular !== 'function')
    throw new ValueError('hardConstraint: particular must be a function of the points');
  return { kind: 'hard', particular: o.particular, distance: o.distance };
}

/**
 * Builds a {@link FunctionTransform} u = apply(x, N(x)); pass `jet` to keep Taylor-mode derivatives.
 *
 * @example
 * ```ts
 * import { outputTransform } from '@difflab/pde';
 * import { exp } from '@difflab/tensor';
 * const t = outputTransform((_x, y) => exp(y), (_X, Y) => Y.exp());
 * ```
 */
export function outputTransform(
  apply: (x: Tensor, y: Tensor) => Tensor,
  jet?: (x: Jet, y: Jet) => Jet,
): FunctionTransform {
  if (typeof apply !== 'function') throw new ValueError('outputTransform: apply must be a function (x, y) => Tensor');
  return { kind: 'function', apply, jet };
}

/** Applies the transform to plain values. */
export function applyTransform(t: OutputTransform | undefined, x: Tensor, y: Tensor): Tensor {
  if (!t) return y;
  if (t.kind === 'function') return t.apply(x, y);
  const l = t.distance(x);
  const out = mul(l, y);
  return t.particular ? add(t.particular(x), out) : out;
}

const constantJets = new WeakMap<Tensor, WeakMap<object, Jet>>();

/** The jet of a parameter-free field at x, computed by reverse mode and cached per (x, f). */
function constantJet(f: (x: Tensor) => Tensor, x: Tensor, like: Jet): Jet {
  let perX = constantJets.get(x);
  if (!perX) constantJets.set(x, (perX = new WeakMap()));
  const hit = perX.get(f);
  if (
    hit &&
    hit.pairs.length === like.pairs.length &&
    hit.pairs.every((p, i) => p[0] === like.pairs[i]![0] && p[1] === like.pairs[i]![1])
  )
    return hit;
  const D = new AutodiffDerivatives(x, f);
  const u = D.u;
  if (u.ndim !== 2 || u.shape[0] !== x.shape[0])
    throw new ShapeError(`hardConstraint: functions must map [N, d] to [N, k], got ${fmtShape(u.shape)}`);
  const width = u.shape[1]!;
  const cols = (get: (c: number) => Tensor) =>
    width === 1
      ? get(0)
      : concat(
          Array.from({ length: width }, (_, c) => get(c)),
          1,
        );
  const first = Array.from({ length: like.dim }, (_, i) => cols((c) => D.d(i, c)));
  const second = like.pairs.map(([i, j]) => cols((c) => D.d2(i, j, c)));
  // Cached across training steps, so it must survive the `tidy` scope it was built in.
  const jet = new Jet(
    keep(u),
    first.map((t) => keep(t)),
    second.map((t) => keep(t)),
    like.pairs,
  );
  perX.set(f, jet);
  return jet;
}

/** Applies the transform to a network jet at the points x. */
export function applyTransformJet(t: OutputTransform | undefined, x: Tensor, X: Jet, Y: Jet): Jet {
  if (!t) return Y;
  if (t.kind === 'function') {
    if (!t.jet) throw new ValueError('outputTransform: no jet form; use reverse-mode derivatives');
    return t.jet(X, Y);
  }
  const out = constantJet(t.distance, x, Y).mul(Y);
  return t.particular ? out.add(constantJet(t.particular, x, Y)) : out;
}

export function transformHasJet(t: OutputTransform | undefined): boolean {
  return !t || t.kind === 'hard' || typeof t.jet === 'function';
}
