/**
 * The torch.nn.functional fixtures (scripts/fixtures/nn.py) and the difflab calls they exercise,
 * shared by this package's CPU tests and the webgpu package's device tests so both check the
 * same thing.
 */
import { readFileSync } from 'node:fs';
import { add, grad, mean, mul, nn, reshape, slice, sum, tanh, type DType, type Tensor } from '../../src/index.js';

export interface Arr {
  shape: number[];
  data: number[];
}
export interface NnResult {
  out: number[];
  outShape: number[];
  grads: Record<string, number[]>;
  runningMean?: number[];
  runningVar?: number[];
}
export interface NnCase {
  name: string;
  op: string;
  opts: Record<string, any>;
  inputs: Record<string, Arr>;
  cot: Arr;
  f64: NnResult;
  f32: NnResult;
}
export interface PenaltyCase {
  name: string;
  opts: Record<string, any>;
  x: Arr;
  w: Arr;
  b: Arr;
  r: Arr;
  penalty: number;
  dw: number[];
  db: number[];
  dx: number[];
}
export interface HessianCase {
  name: string;
  sizes: [number, number, number];
  activation: 'tanh' | 'gelu';
  X: Arr;
  Y: Arr;
  theta: number[];
  loss: number;
  grad: number[];
  hessian: number[];
}

export const nnFixture = JSON.parse(readFileSync(new URL('../fixtures/nn.json', import.meta.url), 'utf8')) as {
  cases: NnCase[];
  penalty: PenaltyCase[];
  hessian: HessianCase[];
};

/** Names of a case's inputs that are differentiated (the rest, e.g. running statistics, are not). */
export const differentiable = (c: NnCase): string[] => Object.keys(c.inputs).filter((k) => ['x', 'w', 'b'].includes(k));

/** The difflab call for a fixture case; `p` holds the differentiable tensors (x, w, b). */
export function nnCall(
  c: NnCase,
  p: Record<string, Tensor>,
  extra: Record<string, Tensor>,
): { out: Tensor; rm?: Tensor | null; rv?: Tensor | null } {
  const o = c.opts;
  switch (c.op) {
    case 'conv2d':
      return { out: nn.conv2d(p.x!, p.w!, p.b, o) };
    case 'conv1d':
      return { out: nn.conv1d(p.x!, p.w!, p.b, o) };
    case 'linear':
      return { out: nn.linear(p.x!, p.w!, p.b) };
    case 'unfold':
      return { out: nn.unfold(p.x!, o.kernelSize, o) };
    case 'fold':
      return { out: nn.fold(p.x!, o.outputSize, o.kernelSize, o) };
    case 'maxPool2d':
      return { out: nn.maxPool2d(p.x!, o as any) };
    case 'avgPool2d':
      return { out: nn.avgPool2d(p.x!, o as any) };
    case 'adaptiveAvgPool2d':
      return { out: nn.adaptiveAvgPool2d(p.x!, o.outputSize) };
    case 'layerNorm':
      return { out: nn.layerNorm(p.x!, o.normalizedShape, p.w, p.b, o.eps) };
    case 'groupNorm':
      return { out: nn.groupNorm(p.x!, o.numGroups, p.w, p.b, o.eps) };
    case 'batchNorm': {
      const r = nn.batchNorm(p.x!, extra.runningMean, extra.runningVar, p.w, p.b, o);
      return { out: r.out, rm: r.runningMean, rv: r.runningVar };
    }
  }
  throw new Error(`unknown op ${c.op}`);
}

/** Gradients of <call(c).out, cot> with respect to the differentiable inputs, in `differentiable(c)` order. */
export function nnCaseGrads(c: NnCase, vals: Tensor[], extra: Record<string, Tensor>, cot: Tensor): Tensor[] {
  const names = differentiable(c);
  const asObj = (xs: Tensor[]) => Object.fromEntries(names.map((k, i) => [k, xs[i]!]));
  return grad((...xs: Tensor[]) => sum(mul(nnCall(c, asObj(xs), extra).out, cot)), {
    argnums: names.map((_, i) => i),
  })(...vals) as Tensor[];
}

/** P(x, w, b) = |d/dx sum(tanh(conv2d(x, w, b)) * r)|^2: a gradient-norm penalty, so its gradient is second order. */
export const conv2dPenalty =
  (c: PenaltyCase, r: Tensor) =>
  (x: Tensor, w: Tensor, b: Tensor): Tensor => {
    const gx = grad((xx: Tensor) => sum(mul(tanh(nn.conv2d(xx, w, b, c.opts)), r)))(x) as Tensor;
    return sum(mul(gx, gx));
  };

/** Mean squared error of a one-hidden-layer MLP as a function of its flattened parameters. */
export function mlpFlatLoss(
  c: HessianCase,
  X: Tensor,
  Y: Tensor,
  options: { dtype: DType; device?: string },
): { loss: (theta: Tensor) => Tensor; size: number } {
  const [fin, hid, fout] = c.sizes;
  const n1 = hid * fin;
  const n2 = n1 + hid;
  const n3 = n2 + fout * hid;
  const n4 = n3 + fout;
  const net = nn.mlp(c.sizes, { activation: c.activation, ...options } as any);
  const loss = (theta: Tensor) => {
    const params = [
      { w: reshape(slice(theta, `0:${n1}`), [hid, fin]), b: slice(theta, `${n1}:${n2}`) },
      { w: reshape(slice(theta, `${n2}:${n3}`), [fout, hid]), b: slice(theta, `${n3}:${n4}`) },
    ];
    const d = add(net.apply(params, X), mul(Y, -1));
    return mean(mul(d, d));
  };
  return { loss, size: n4 };
}
