import { ShapeError, Tensor, ValueError, add, cos, slice, stack, zerosLike, fmtShape, matmul, mlp, mul, nn, sigmoid, sin, softplus, swapAxes, tanh, tensor, type DenseParams } from '@difflab/tensor';
import { FUSED_ACTIVATIONS, fusedMlpJet } from './fused-jet.js';
import { Jet } from './jet.js';

export type PinnActivation = 'tanh' | 'sin' | 'cos' | 'sigmoid' | 'softplus';

/**
 * A model for PINNs: parameters plus a pointwise function [N, d] → [N, m] (row i of the output
 * depends only on row i of the input). `jet`, when present, propagates a second-order Taylor jet
 * (Taylor-mode derivatives); without it derivatives come from nested reverse passes.
 */
export interface PinnModel<P = unknown> {
  params: P;
  apply(params: P, x: Tensor): Tensor;
  jet?(params: P, x: Jet): Jet;
}

export interface PinnMlpOptions {
  /** Hidden activation (default 'tanh'); it needs two derivatives. */
  activation?: PinnActivation;
  /** Initial-weight randomness (a `random.key` or an integer seed; default 0). */
  key?: Tensor | number;
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
 */
export function pinnMlp(sizes: readonly number[], opts: PinnMlpOptions = {}): PinnModel<DenseParams[]> {
  const actName = opts.activation ?? 'tanh';
  const act = ACT[actName];
  if (!act) throw new ValueError(`pinnMlp: unknown activation '${String(actName)}' (expected ${Object.keys(ACT).join(', ')})`);
  const dtype = opts.dtype ?? 'float32';
  const init = opts.init ?? 'glorotNormal';
  if (init !== 'glorotNormal' && init !== 'glorotUniform') throw new ValueError(`pinnMlp: unknown init '${String(init)}'`);
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
    if (lo.length !== d || hi.length !== d) throw new ShapeError(`pinnMlp: inputBounds must have ${d} coordinates each`);
    lo.forEach((a, i) => {
      if (!(Number.isFinite(a) && Number.isFinite(hi[i]!) && hi[i]! > a)) throw new ValueError(`pinnMlp: inputBounds axis ${i} must satisfy min < max, got ${a}, ${hi[i]}`);
    });
    scale = tensor([lo.map((a, i) => 2 / (hi[i]! - a))], { dtype });
    shift = tensor([lo.map((a, i) => -(hi[i]! + a) / (hi[i]! - a))], { dtype });
  }
  const layers = sizes.length - 1;
  const check = (x: Tensor, op: string) => {
    if (x.shape[x.ndim - 1] !== d) throw new ShapeError(`${op}: input has ${x.shape[x.ndim - 1]} features, the network expects ${d} (got ${fmtShape(x.shape)})`);
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
      return new Jet(row(0), h.first.map((_, i) => row(1 + i)), h.second.map((_, k) => row(1 + h.dim + k)), h.pairs);
    }
    ps.forEach((p, l) => {
      h = h.linear(p.w, p.b);
      if (l < layers - 1) h = act.jet(h);
    });
    return h;
  };
  return { params: net.params, apply, jet };
}
