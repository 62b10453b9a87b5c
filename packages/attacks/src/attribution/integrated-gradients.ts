import { ShapeError, ValueError, broadcastTo, fmtShape, isTensor, tensor, type Tensor } from '@difflab/tensor';
import type { Labels, Model } from '../core/types.js';
import { checkInt } from '../core/validate.js';
import { checkOutput, resolveTargets, targetGrad, type AttributionOptions } from './common.js';

/**
 * Options of {@link integratedGradients}.
 *
 * @example
 * ```ts
 * import type { IntegratedGradientsOptions } from '@difflab/attacks';
 * const opts: IntegratedGradientsOptions = { baseline: 0, steps: 32, method: 'gauss-legendre' };
 * ```
 */
export interface IntegratedGradientsOptions extends AttributionOptions {
  /** Baseline x' (a number or a tensor broadcastable to x; default 0). */
  baseline?: Tensor | number;
  /** Quadrature points along the path (default 50). */
  steps?: number;
  /**
   * Quadrature rule: 'gauss-legendre' (default; exact for polynomials of degree 2 steps - 1, best
   * for smooth models), 'trapezoid', 'riemann-left', 'riemann-right' or 'riemann-middle'.
   */
  method?: 'gauss-legendre' | 'trapezoid' | 'riemann-left' | 'riemann-right' | 'riemann-middle';
  /** Path points evaluated per model call, as one batch of points x examples rows (default 64). */
  pointsPerBatch?: number;
}

/**
 * Gauss-Legendre nodes and weights on [0, 1] (Newton iteration on P_n).
 *
 * The default quadrature of {@link integratedGradients}; exported for custom path integrals.
 *
 * @param n - number of nodes.
 * @returns Nodes in (0, 1) and weights summing to 1.
 *
 * @example
 * ```ts
 * import { gaussLegendre } from '@difflab/attacks';
 * gaussLegendre(2); // { nodes: [0.2113, 0.7887], weights: [0.5, 0.5] }
 * ```
 */
export function gaussLegendre(n: number): {
  /** Nodes in (0, 1), ascending. */
  nodes: number[];
  /** Weights, summing to 1. */
  weights: number[];
} {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= n; i++) {
    let z = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * z * p1 - (k - 1) * p0) / k];
      const pn = n === 1 ? z : p1;
      const pm = n === 1 ? 1 : p0;
      dp = (n * (z * pn - pm)) / (z * z - 1);
      const dz = pn / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-15) break;
    }
    nodes.push((1 - z) / 2);
    weights.push(1 / ((1 - z * z) * dp * dp));
  }
  return { nodes, weights };
}

function rule(
  method: NonNullable<IntegratedGradientsOptions['method']>,
  m: number,
): { nodes: number[]; weights: number[] } {
  if (method === 'gauss-legendre') return gaussLegendre(m);
  if (method === 'trapezoid') {
    if (m < 2) throw new ValueError(`integratedGradients: the trapezoid rule needs steps >= 2, got ${m}`);
    return {
      nodes: Array.from({ length: m }, (_, i) => i / (m - 1)),
      weights: Array.from({ length: m }, (_, i) => (i === 0 || i === m - 1 ? 0.5 : 1) / (m - 1)),
    };
  }
  const off = method === 'riemann-left' ? 0 : method === 'riemann-right' ? 1 : 0.5;
  if (!['riemann-left', 'riemann-right', 'riemann-middle'].includes(method))
    throw new ValueError(`integratedGradients: unknown method '${String(method)}'`);
  return { nodes: Array.from({ length: m }, (_, i) => (i + off) / m), weights: new Array<number>(m).fill(1 / m) };
}

/**
 * Integrated Gradients (Sundararajan et al. 2017): (x - x') * integral_0^1 grad f_t(x' + a (x - x')) da,
 * by quadrature. Satisfies completeness: the attributions of an example sum to f_t(x) - f_t(x') up
 * to the quadrature error.
 *
 * Captum's `IntegratedGradients` (whose default rule is also Gauss-Legendre).
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - inputs `[N, ...]`.
 * @param target - classes to explain (default: the model's predictions at x).
 * @param opts - see {@link IntegratedGradientsOptions}.
 * @returns Attributions with the shape of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { integratedGradients } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * integratedGradients(model, tensor([[0.2, 0.6]]), [1], { steps: 8 }); // tensor([[-0.2, 0.6]]), sums to f(x) - f(0) = 0.4
 * ```
 */
export function integratedGradients(
  model: Model,
  x: Tensor,
  target?: Labels,
  opts: IntegratedGradientsOptions = {},
): Tensor {
  const op = 'integratedGradients';
  const steps = checkInt(op, 'steps', opts.steps ?? 50, 1);
  const t = resolveTargets(op, model, x, target);
  const output = checkOutput(op, opts.output);
  const base = opts.baseline ?? 0;
  if (isTensor(base) && base.ndim > x.ndim)
    throw new ShapeError(`${op}: baseline ${fmtShape(base.shape)} does not broadcast to x ${fmtShape(x.shape)}`);
  const baseline = x.mul(0).add(base);
  const diff = x.sub(baseline);
  const { nodes, weights } = rule(opts.method ?? 'gauss-legendre', steps);
  const chunk = checkInt(op, 'pointsPerBatch', opts.pointsPerBatch ?? 64, 1);
  const n = x.shape[0]!;
  const rest = x.shape.slice(1);
  const scale = (v: number[]) =>
    tensor(v, { dtype: x.dtype as 'float32' | 'float64' }).reshape([v.length, 1, ...rest.map(() => 1)]);
  let acc = x.mul(0);
  // Rows of different path points are independent, so one backward pass gives all their gradients.
  for (let s = 0; s < nodes.length; s += chunk) {
    const a = nodes.slice(s, s + chunk);
    const m = a.length;
    const pts = baseline
      .expandDims(0)
      .add(diff.expandDims(0).mul(scale(a)))
      .reshape([m * n, ...rest]);
    const tt = broadcastTo(t.expandDims(0), [m, n]).reshape([m * n]);
    const g = targetGrad(model, pts, tt, output).reshape([m, n, ...rest]);
    acc = acc.add(g.mul(scale(weights.slice(s, s + chunk))).sum(0));
  }
  return diff.mul(acc);
}
