import {
  ShapeError,
  ValueError,
  abs,
  logicalAnd,
  broadcastTo,
  eye,
  fmtShape,
  matmul,
  maximum,
  minimum,
  reshape,
  sum,
  where,
  type Tensor,
} from '@difflab/tensor';
import { inputInterval, type BallOptions, type IntervalBounds } from './ibp.js';
import { affineSegments, checkNetwork, type Dense, type Network } from './network.js';

/**
 * Options of {@link crown}.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { marginSpec, type CrownOptions } from '@difflab/attacks';
 * const opts: CrownOptions = { spec: marginSpec(tensor([1], { dtype: 'int32' }), 2), lowerSlope: 'adaptive', bounds: [0, 1] };
 * ```
 */
export interface CrownOptions extends BallOptions {
  /**
   * Linear specification C: bound C z instead of the logits z. Shape [S, out] (shared) or
   * [N, S, out] (per example), e.g. rows e_y - e_j for margins (see `marginSpec`).
   */
  spec?: Tensor;
  /**
   * Lower ReLU relaxation slope for unstable neurons: 'adaptive' (CROWN-Ada: 1 where u >= -l, else
   * 0; default), 'zero', 'one', or 'parallel' (the upper slope u / (u - l), as in Fast-Lin).
   */
  lowerSlope?: 'adaptive' | 'zero' | 'one' | 'parallel';
}

interface Relaxation {
  /** a <= upSlope z + upIcpt */
  upSlope: Tensor;
  upIcpt: Tensor;
  /** a >= lowSlope z */
  lowSlope: Tensor;
}

function relaxRelu(b: IntervalBounds, mode: NonNullable<CrownOptions['lowerSlope']>): Relaxation {
  const { lower: l, upper: u } = b;
  const active = l.greaterEqual(0);
  const unstable = logicalAnd(l.less(0), u.greater(0));
  const den = where(unstable, u.sub(l), 1);
  const s = where(unstable, u.div(den), where(active, 1, 0));
  const upIcpt = where(unstable, s.mul(l).neg(), 0);
  let low: Tensor;
  if (mode === 'adaptive') low = where(u.greaterEqual(l.neg()), 1, 0).astype(l.dtype);
  else if (mode === 'zero') low = l.mul(0);
  else if (mode === 'one') low = l.mul(0).add(1);
  else low = s;
  return { upSlope: s, upIcpt, lowSlope: where(unstable, low, s) };
}

/**
 * Bounds C z_k for the output z_k of dense map k, given the pre-activation bounds of the earlier
 * ReLU layers: propagate the linear coefficients backwards, choosing per sign of each coefficient
 * the upper or the lower relaxation, then concretise over the input box.
 */
function backward(
  maps: Dense[],
  relax: Relaxation[],
  k: number,
  C: Tensor,
  input: { c: Tensor; r: Tensor },
  sense: 'lower' | 'upper',
): Tensor {
  let A = C;
  let cst = sum(A.mul(maps[k]!.b), -1);
  A = matmul(A, maps[k]!.w);
  for (let j = k - 1; j >= 0; j--) {
    const rj = relax[j]!;
    const pos = maximum(A, 0);
    const neg = minimum(A, 0);
    const up = { s: rj.upSlope.expandDims(1), i: rj.upIcpt.expandDims(1) };
    const low = rj.lowSlope.expandDims(1);
    if (sense === 'upper') {
      cst = cst.add(sum(pos.mul(up.i), -1));
      A = pos.mul(up.s).add(neg.mul(low));
    } else {
      cst = cst.add(sum(neg.mul(up.i), -1));
      A = pos.mul(low).add(neg.mul(up.s));
    }
    cst = cst.add(sum(A.mul(maps[j]!.b), -1));
    A = matmul(A, maps[j]!.w);
  }
  const centre = sum(A.mul(input.c.expandDims(1)), -1);
  const rad = sum(abs(A).mul(input.r.expandDims(1)), -1);
  return sense === 'upper' ? cst.add(centre).add(rad) : cst.add(centre).sub(rad);
}

interface Propagation {
  maps: Dense[];
  relax: Relaxation[];
  pre: IntervalBounds[];
  input: { c: Tensor; r: Tensor };
  n: number;
  dtype: 'float32' | 'float64';
}

function propagate(op: string, net: Network, x: Tensor, eps: number, opts: CrownOptions): Propagation {
  const layers = checkNetwork(op, net);
  const mode = opts.lowerSlope ?? 'adaptive';
  if (!['adaptive', 'zero', 'one', 'parallel'].includes(mode))
    throw new ValueError(`${op}: unknown lowerSlope '${String(mode)}'`);
  const box = inputInterval(op, x, eps, opts);
  const n = x.shape[0]!;
  const dtype = x.dtype as 'float32' | 'float64';
  const { maps, acts } = affineSegments(op, layers, x.shape.slice(1), dtype);
  for (const a of acts)
    if (a !== 'relu')
      throw new ValueError(`${op}: only ReLU activations have a CROWN relaxation here, got '${a}' (use ibp)`);
  const flatL = reshape(box.lower, [n, -1]);
  const flatU = reshape(box.upper, [n, -1]);
  const input = { c: flatL.add(flatU).mul(0.5), r: flatU.sub(flatL).mul(0.5) };
  const relax: Relaxation[] = [];
  const pre: IntervalBounds[] = [];
  for (let k = 0; k < maps.length - 1; k++) {
    const d = maps[k]!.w.shape[0]!;
    const I = broadcastTo(eye(d, d, { dtype }).expandDims(0), [n, d, d]);
    const b = {
      lower: backward(maps, relax, k, I, input, 'lower'),
      upper: backward(maps, relax, k, I, input, 'upper'),
    };
    pre.push(b);
    relax.push(relaxRelu(b, mode));
  }
  return { maps, relax, pre, input, n, dtype };
}

/**
 * CROWN (Zhang et al. 2018) linear bound propagation for ReLU networks (MLPs and convnets; runs
 * of linear, conv2d, avgPool2d and flatten layers are turned into dense matrices). Every
 * pre-activation bound is itself computed by backward propagation. Bounds the logits, or C z with
 * `spec`, over the L-inf ball of radius eps around x intersected with the box. Returns [N, out]
 * or [N, S].
 *
 * Tighter than {@link ibp} at the price of one backward pass per layer; the bounds
 * auto_LiRPA calls `method='CROWN'`.
 *
 * @param net - a ReLU network (other activations are rejected).
 * @param x - inputs `[N, ...]`.
 * @param eps - L-inf radius.
 * @param opts - see {@link CrownOptions}.
 * @returns Bounds `[N, out]`, or `[N, S]` with `spec`.
 * @throws {ValueError} for activations other than ReLU.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { crown, type Network } from '@difflab/attacks';
 * const net: Network = [{ type: 'linear', w: tensor([[1, -1], [-1, 1]]) }, { type: 'relu' }, { type: 'linear', w: tensor([[1, 0], [0, 1]]) }];
 * const { lower, upper } = crown(net, tensor([[0.2, 0.6]]), 0.05);
 * lower; // tensor([[0, 0.3]])
 * upper; // tensor([[0, 0.5]])
 * ```
 */
export function crown(net: Network, x: Tensor, eps: number, opts: CrownOptions = {}): IntervalBounds {
  const op = 'crown';
  const { maps, relax, input, n, dtype } = propagate(op, net, x, eps, opts);
  const out = maps[maps.length - 1]!.w.shape[0]!;
  let C: Tensor;
  if (opts.spec) {
    const s = opts.spec;
    const okShape = (s.ndim === 2 && s.shape[1] === out) || (s.ndim === 3 && s.shape[0] === n && s.shape[2] === out);
    if (!okShape)
      throw new ShapeError(`${op}: spec must be [S, ${out}] or [${n}, S, ${out}], got ${fmtShape(s.shape)}`);
    C = s.ndim === 2 ? broadcastTo(s.expandDims(0), [n, s.shape[0]!, out]) : s;
    if (C.dtype !== dtype) C = C.astype(dtype);
  } else C = broadcastTo(eye(out, out, { dtype }).expandDims(0), [n, out, out]);
  return {
    lower: backward(maps, relax, maps.length - 1, C, input, 'lower'),
    upper: backward(maps, relax, maps.length - 1, C, input, 'upper'),
  };
}

/** The dense maps and the CROWN pre-activation bounds of every ReLU layer (for Lipschitz bounds). */
export function crownPreActivations(
  net: Network,
  x: Tensor,
  eps: number,
  opts: CrownOptions = {},
): { maps: Dense[]; pre: IntervalBounds[] } {
  const { maps, pre } = propagate('crown', net, x, eps, opts);
  return { maps, pre };
}
