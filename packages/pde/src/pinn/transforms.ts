import { ShapeError, Tensor, ValueError, add, concat, fmtShape, keep, mul } from '@difflab/tensor';
import { AutodiffDerivatives } from './derivatives.js';
import { Jet } from './jet.js';

/**
 * Exact (hard) constraints through the output: u(x) = g(x) + ℓ(x) · N(x), where N is the network,
 * g satisfies the boundary/initial data and ℓ vanishes where they are imposed (Lagaris et al.
 * 1998; Sukumar & Srivastava 2022). g and ℓ are parameter-free, so their derivatives at the
 * collocation points are computed once by reverse mode and cached.
 */
export interface HardConstraint {
  readonly kind: 'hard';
  /** g(x): [N, d] → [N, m] (or [N, 1], broadcast); default 0. */
  readonly particular?: (x: Tensor) => Tensor;
  /** ℓ(x): [N, d] → [N, 1] or [N, m]. */
  readonly distance: (x: Tensor) => Tensor;
}

/**
 * A general output transform u = T(x, N(x)). Reverse-mode derivatives handle any `apply`; supply
 * `jet` (the same map on Taylor jets) to keep the faster Taylor-mode path.
 */
export interface FunctionTransform {
  readonly kind: 'function';
  apply(x: Tensor, y: Tensor): Tensor;
  jet?(x: Jet, y: Jet): Jet;
}

export type OutputTransform = HardConstraint | FunctionTransform;

export function hardConstraint(o: { particular?: (x: Tensor) => Tensor; distance: (x: Tensor) => Tensor }): HardConstraint {
  if (typeof o.distance !== 'function') throw new ValueError('hardConstraint: distance must be a function of the points');
  if (o.particular !== undefined && typeof o.particular !== 'function') throw new ValueError('hardConstraint: particular must be a function of the points');
  return { kind: 'hard', particular: o.particular, distance: o.distance };
}

export function outputTransform(apply: (x: Tensor, y: Tensor) => Tensor, jet?: (x: Jet, y: Jet) => Jet): FunctionTransform {
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
  if (hit && hit.pairs.length === like.pairs.length && hit.pairs.every((p, i) => p[0] === like.pairs[i]![0] && p[1] === like.pairs[i]![1])) return hit;
  const D = new AutodiffDerivatives(x, f);
  const u = D.u;
  if (u.ndim !== 2 || u.shape[0] !== x.shape[0]) throw new ShapeError(`hardConstraint: functions must map [N, d] to [N, k], got ${fmtShape(u.shape)}`);
  const width = u.shape[1]!;
  const cols = (get: (c: number) => Tensor) => (width === 1 ? get(0) : concat(Array.from({ length: width }, (_, c) => get(c)), 1));
  const first = Array.from({ length: like.dim }, (_, i) => cols((c) => D.d(i, c)));
  const second = like.pairs.map(([i, j]) => cols((c) => D.d2(i, j, c)));
  // Cached across training steps, so it must survive the `tidy` scope it was built in.
  const jet = new Jet(keep(u), first.map((t) => keep(t)), second.map((t) => keep(t)), like.pairs);
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
