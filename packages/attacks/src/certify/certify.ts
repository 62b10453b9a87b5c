import { ValueError, abs, broadcastTo, eye, matmul, oneHot, reshape, sum, type Tensor } from '@difflab/tensor';
import type { Labels } from '../core/types.js';
import { toLabels } from '../core/validate.js';
import { crown, type CrownOptions } from './crown.js';
import { ibpLayers, inputInterval, type BallOptions, type IntervalBounds } from './ibp.js';
import { checkNetwork, denseOf, isActivation, sequential, type Network } from './network.js';

/**
 * Margin specification [N, C, C]: row j is e_y - e_j (row y is zero), so C z = z_y - z_j.
 *
 * Pass it as `spec` to {@link crown} or {@link ibpSpec} to bound the margins directly.
 *
 * @param y - labels, int32 `[N]`.
 * @param classes - number of classes C.
 * @param dtype - dtype of the result (default float32).
 * @returns The specification `[N, C, C]`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { marginSpec } from '@difflab/attacks';
 * marginSpec(tensor([1], { dtype: 'int32' }), 2); // tensor([[[-1, 1], [0, 0]]])
 * ```
 */
export function marginSpec(y: Tensor, classes: number, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const n = y.shape[0]!;
  const ey = oneHot(y, classes, dtype).expandDims(1);
  return ey.sub(broadcastTo(eye(classes, classes, { dtype }).expandDims(0), [n, classes, classes]));
}

/**
 * IBP bounds on a specification C z, with C folded into the last affine map (the "elision" of
 * Gowal et al. 2019), which is tighter than combining the logit intervals.
 *
 * @param net - the network.
 * @param lower - input lower bounds `[N, ...]`.
 * @param upper - input upper bounds `[N, ...]`.
 * @param spec - `[S, out]` or `[N, S, out]`, e.g. {@link marginSpec}.
 * @returns Bounds on C z, `[N, S]`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ibpSpec, marginSpec, inputInterval, type Network } from '@difflab/attacks';
 * const net: Network = [{ type: 'linear', w: tensor([[1, -1], [-1, 1]]) }, { type: 'relu' }, { type: 'linear', w: tensor([[1, 0], [0, 1]]) }];
 * const { lower, upper } = inputInterval('demo', tensor([[0.2, 0.6]]), 0.05);
 * const spec = marginSpec(tensor([1], { dtype: 'int32' }), 2);
 * ibpSpec(net, lower, upper, spec).lower; // tensor([[0.3, 0]]): z1 - z0 >= 0.3
 * ```
 */
export function ibpSpec(net: Network, lower: Tensor, upper: Tensor, spec: Tensor): IntervalBounds {
  const layers = checkNetwork('ibp', net);
  let last = -1;
  layers.forEach((l, i) => {
    if (isActivation(l)) last = i;
  });
  let b: IntervalBounds = { lower, upper };
  if (last >= 0) {
    const inner = ibpLayers(layers.slice(0, last + 1), lower, upper);
    b = inner[inner.length - 1]!;
  }
  const n = lower.shape[0]!;
  const dense = denseOf(layers.slice(last + 1), b.lower.shape.slice(1), lower.dtype as 'float32' | 'float64');
  const l = reshape(b.lower, [n, -1]);
  const u = reshape(b.upper, [n, -1]);
  const c = l.add(u).mul(0.5).expandDims(2);
  const r = u.sub(l).mul(0.5).expandDims(2);
  const cw = matmul(spec, dense.w); // [N, S, D]
  const mid = matmul(cw, c)
    .squeeze(2)
    .add(sum(spec.mul(dense.b), -1));
  const rad = matmul(abs(cw), r).squeeze(2);
  return { lower: mid.sub(rad), upper: mid.add(rad) };
}

/**
 * Options of {@link certify}.
 *
 * @example
 * ```ts
 * import type { CertifyOptions } from '@difflab/attacks';
 * const opts: CertifyOptions = { method: 'crown', lowerSlope: 'adaptive', bounds: [0, 1] };
 * ```
 */
export interface CertifyOptions extends BallOptions, Pick<CrownOptions, 'lowerSlope'> {
  /** 'crown' (default) or 'ibp'. */
  method?: 'ibp' | 'crown';
}

/**
 * What {@link certify} returns.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { certify, type CertifyResult, type Network } from '@difflab/attacks';
 * const net: Network = [{ type: 'linear', w: tensor([[1, -1], [-1, 1]]) }];
 * const r: CertifyResult = certify(net, tensor([[0.2, 0.6]]), [1], 0.05);
 * r.accuracy; // 1
 * r.marginLower; // tensor([[0.6, 0]])
 * ```
 */
export interface CertifyResult {
  /** Per example: provably classified as y everywhere in the ball. */
  certified: Uint8Array;
  /** Certified fraction. */
  accuracy: number;
  /** Lower bounds of z_y - z_j, [N, C] (column y is 0). */
  marginLower: Tensor;
}

/**
 * Certifies L-inf robustness at radius eps: an example is certified when the lower bound of every
 * margin z_y - z_j (j != y) over the ball is positive. Certified accuracy is therefore at most the
 * robust accuracy under any attack with the same eps.
 *
 * The complement of {@link robustAccuracy}: attacks give an upper bound on robust accuracy,
 * certification a lower bound.
 *
 * @param net - the network as layers (see {@link fromMlp} for `nn.mlp` parameters).
 * @param x - inputs `[N, ...]` inside the box.
 * @param y - labels `[N]`.
 * @param eps - L-inf radius.
 * @param opts - see {@link CertifyOptions}.
 * @returns See {@link CertifyResult}.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { certify, type Network } from '@difflab/attacks';
 * const net: Network = [{ type: 'linear', w: tensor([[1, -1], [-1, 1]]) }, { type: 'relu' }, { type: 'linear', w: tensor([[1, 0], [0, 1]]) }];
 * const x = tensor([[0.2, 0.6], [0.45, 0.55]]);
 * const res = certify(net, x, [1, 1], 0.05, { method: 'ibp' });
 * res.certified; // Uint8Array [1, 0]: the second point is within 0.05 of the boundary
 * res.accuracy; // 0.5
 * ```
 */
export function certify(net: Network, x: Tensor, y: Labels, eps: number, opts: CertifyOptions = {}): CertifyResult {
  const op = 'certify';
  const method = opts.method ?? 'crown';
  if (method !== 'ibp' && method !== 'crown')
    throw new ValueError(`${op}: method must be 'ibp' or 'crown', got ${JSON.stringify(method)}`);
  const n = x.shape[0]!;
  const labels = toLabels(op, y, n, x.shape);
  const dtype = x.dtype as 'float32' | 'float64';
  const classes = sequential(checkNetwork(op, net))(x.slice({ start: 0, stop: 1 })).shape[1]!;
  const spec = marginSpec(labels, classes, dtype);
  let lowerM: Tensor;
  if (method === 'crown') lowerM = crown(net, x, eps, { ...opts, spec }).lower;
  else {
    const box = inputInterval(op, x, eps, opts);
    lowerM = ibpSpec(net, box.lower, box.upper, spec).lower;
  }
  const lm = lowerM.dataSync();
  const yd = labels.dataSync();
  const certified = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (let j = 0; j < classes; j++) if (j !== yd[i] && !(lm[i * classes + j]! > 0)) ok = false;
    certified[i] = +ok;
  }
  return { certified, accuracy: certified.reduce((a, b) => a + b, 0) / n, marginLower: lowerM };
}
