import {
  ShapeError,
  Tensor,
  ValueError,
  add,
  cos,
  slice,
  stack,
  zerosLike,
  fmtShape,
  matmul,
  mlp,
  mul,
  nn,
  sigmoid,
  sin,
  softplus,
  swapAxes,
  tanh,
  tensor,
  type DenseParams,
} from '@difflab/tensor';
import { FUSED_ACTIVATIONS, fusedMlpJet } from './fused-jet.js';
import { Jet } from './jet.js';

/**
 * Hidden activations {@link pinnMlp} supports (all twice differentiable).
 *
 * @example
 * ```ts
 * import { pinnMlp, type PinnActivation } from '@difflab/pde';
 * const activation: PinnActivation = 'sin';
 * const net = pinnMlp([2, 32, 32, 1], { activation });
 * ```
 */
export type PinnActivation = 'tanh' | 'sin' | 'cos' | 'sigmoid' | 'softplus';

/**
 * A model for PINNs: parameters plus a pointwise function [N, d] → [N, m] (row i of the output
 * depends only on row i of the input). `jet`, when present, propagates a second-order Taylor jet
 * (Taylor-mode derivatives); without it derivatives come from nested reverse passes.
 *
 * @example
 * ```ts
 * import { pinn, interval, type PinnModel } from '@difflab/pde';
 * import { mul, sin, tensor, type Tensor } from '@difflab/tensor';
 * // A one-parameter "network" u(x) = a·sin(x), enough for a residual check.
 * const model: PinnModel<{ a: Tensor }> = { params: { a: tensor(1, { dtype: 'float64' }) }, apply: (p, x) => mul(sin(x), p.a) };
 * const problem = pinn({ model, collocation: interval(0, 1).sample(8, { dtype: 'float64' }), pde: (D) => D.d2(0, 0).add(D.value()) });
 * problem.loss(problem.initialParams).item(); // 0: u'' + u = 0 holds exactly
 * ```
 */
export interface PinnModel<P = unknown> {
  /** Initial parameters (a pytree of tensors). */
  params: P;
  /** The field at the points x [N, d], [N, m]. */
  apply(params: P, x: Tensor): Tensor;
  /** The same map on a Taylor jet of the inputs. */
  jet?(params: P, x: Jet): Jet;
}

/**
 * Options of {@link pinnMlp}.
 *
 * @example
 * ```ts
 * import { pinnMlp, type PinnMlpOptions } from '@difflab/pde';
 * const opts: PinnMlpOptions = { activation: 'tanh', dtype: 'float64', key: 1, inputBounds: [[-1, 0], [1, 1]] };
 * const net = pinnMlp([2, 20, 20, 1], opts);
 * ```
 */
export interface PinnMlpOptions {
  /** Hidden activation (default 'tanh'); it needs two derivatives. */
  activation?: PinnActivation;
  /** Initial-weight randomness (a `random.key` or an integer seed; default 0). */
  key?: Tensor | number;
  /** dtype of the weights (default 'float32'; PINNs usually want 'float64'). */
  dtype?: 'float32' | 'float64';
  /** 'glorotNormal' (Xavier, the PINN default) or 'glorotUniform'; biases start at zero. */
  init?: 'glorotNormal' | 'glorotUniform';
  /**
   * Affine input normalisation to [−1, 1]: the lower and upper corners of the domain's bounding
   * box (e.g. `geometry.bboxMin`, `geometry.bboxMax`). Default: none.
   */
  inputBounds?: readonly [readonly number[], readonly number[]];
  /**
   * Propagate jets through the whole network as one fused operation (default true for 'tanh' and
   * 'sin'): several times faster, with first-order gradients with respect to the weights. Set
   * false to compose jets op by op (gradients of any order).
   */
  fused?: boolean;
}

const ACT: Record<PinnActivation, { f: (x: Tensor) => Tensor; jet: (j: Jet) => Jet }> = {
  tanh: { f: tanh, jet: (j) => j.tanh() },
  sin: { f: sin, jet: (j) => j.sin() },
  cos: { f: cos, jet: (j) => j.cos() },
  sigmoid: { f: sigmoid, jet: (j) => j.sigmoid() },
  softplus: { f: softplus, jet: (j) => j.softplus() },
};

/**
 * A fully connected network for PINNs, `sizes = [d, hidden…, m]`, with Xavier initialisation and
 * both a plain `apply` and a Taylor-mode `jet`. Parameters are `[{w, b}, …]` with w [out, in]
 * (the layout of `nn.mlp`).
 *
 * @example
 * ```ts
 * import { pinnMlp } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const net = pinnMlp([2, 20, 20, 1], { dtype: 'float64' });
 * net.apply(net.params, tensor([[0.5, 0.1]], { dtype: 'float64' })).shape; // [1, 1]
 * ```
 */
export function pinnMlp(sizes: readonly number[], opts: PinnMlpOptions = {}): PinnModel<DenseParams[]> {
  const actName = opts.activation ?? 'tanh';
  const act = ACT[actName];
  if (!act)
    throw new ValueError(`pinnMlp: unknown activation '${String(actName)}' (expected ${Object.keys(ACT).join(', ')})`);
  const dtype = opts.dtype ?? 'float32';
  const init = opts.init ?? 'glorotNormal';
  if (init !== 'glorotNormal' && init !== 'glorotUniform')
    throw new ValueError(`pinnMlp: unknown init '${String(init)}'`);
  const net = mlp(sizes, {
    activation: act.f,
    key: opts.key ?? 0,
    dtype,
    init: init === 'glorotNormal' ? nn.glorotNormal : nn.glorotUniform,
  });
  const d = sizes[0]!;
  let scale: Tensor | null = null;
  let shift: Tensor | null = null;
  if (opts.inputBounds) {
    const [lo, hi] = opts.inputBounds;
    if (lo.length !== d || hi.length !== d)
      throw new ShapeError(`pinnMlp: inputBounds must have ${d} coordinates each`);
    lo.forEach((a, i) => {
      if (!(Number.isFinite(a) && Number.isFinite(hi[i]!) && hi[i]! > a))
        throw new ValueError(`pinnMlp: inputBounds axis ${i} must satisfy min < max, got ${a}, ${hi[i]}`);
    });
    scale = tensor([lo.map((a, i) => 2 / (hi[i]! - a))], { dtype });
    shift = tensor([lo.map((a, i) => -(hi[i]! + a) / (hi[i]! - a))], { dtype });
  }
  const layers = sizes.length - 1;
  const check = (x: Tensor, op: string) => {
    if (x.shape[x.ndim - 1] !== d)
      throw new ShapeError(
        `${op}: input has ${x.shape[x.ndim - 1]} features, the network expects ${d} (got ${fmtShape(x.shape)})`,
      );
  };
  const apply = (ps: DenseParams[], x: Tensor): Tensor => {
    check(x, 'pinnMlp.apply');
    let h = scale ? add(mul(x, scale), shift!) : x;
    ps.forEach((p, l) => {
      h = add(matmul(h, swapAxes(p.w, 0, 1)), p.b);
      if (l < layers - 1) h = act.f(h);
    });
    return h;
  };
  const fused = (opts.fused ?? true) && actName in FUSED_ACTIVATIONS;
  const jet = (ps: DenseParams[], x: Jet): Jet => {
    if (x.width !== d) throw new ShapeError(`pinnMlp.jet: input jet has width ${x.width}, the network expects ${d}`);
    let h = scale ? x.mul(scale).add(shift!) : x;
    if (fused) {
      const rows = [h.value, ...h.first, ...h.second].map((r) => (r === null ? zerosLike(h.value) : r));
      const out = fusedMlpJet(ps, stack(rows, 0), h.dim, h.pairs, actName);
      const row = (k: number) => slice(out, k);
      return new Jet(
        row(0),
        h.first.map((_, i) => row(1 + i)),
        h.second.map((_, k) => row(1 + h.dim + k)),
        h.pairs,
      );
    }
    ps.forEach((p, l) => {
      h = h.linear(p.w, p.b);
      if (l < layers - 1) h = act.jet(h);
    });
    return h;
  };
  return { params: net.params, apply, jet };
}
