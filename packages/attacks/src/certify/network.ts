import { ValueError, eye, nn, reshape, sigmoid, tanh, relu, zeros, type Tensor } from '@difflab/tensor';
import type { Model } from '../core/types.js';

/**
 * One layer of a feed-forward network that bound propagation can see through. Weights use
 * PyTorch's layouts (`linear`: [out, in]; `conv2d`: [out, in, kh, kw], NCHW inputs).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import type { Layer } from '@difflab/attacks';
 * const dense: Layer = { type: 'linear', w: tensor([[1, -1], [-1, 1]]), b: tensor([0, 0]) }; // w is [out, in]
 * const act: Layer = { type: 'relu' };
 * ```
 */
export type Layer =
  | {
      /** Dense layer `x Wᵀ + b`. */
      type: 'linear';
      /** Weights `[out, in]`. */
      w: Tensor;
      /** Bias `[out]` (none when omitted or null). */
      b?: Tensor | null;
    }
  | {
      /** 2-D convolution on NCHW inputs. */
      type: 'conv2d';
      /** Kernels `[out, in, kh, kw]`. */
      w: Tensor;
      /** Bias `[out]` (none when omitted or null). */
      b?: Tensor | null;
      /** Stride (default 1). */
      stride?: number;
      /** Zero padding on every side (default 0). */
      padding?: number;
    }
  | {
      /** Average pooling over square windows. */
      type: 'avgPool2d';
      /** Window side. */
      kernel: number;
      /** Stride (default: the window side). */
      stride?: number;
    }
  | {
      /** Flattens `[N, ...]` to `[N, D]`. */
      type: 'flatten';
    }
  | {
      /** ReLU activation. */
      type: 'relu';
    }
  | {
      /** tanh activation. */
      type: 'tanh';
    }
  | {
      /** Logistic sigmoid activation. */
      type: 'sigmoid';
    };

/**
 * A network as a list of layers, applied in order to a batch.
 *
 * Plain data, so the same object feeds {@link sequential} (to attack it), {@link ibp}, {@link crown}
 * and {@link certify}.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import type { Network } from '@difflab/attacks';
 * const net: Network = [
 *   { type: 'linear', w: tensor([[1, -1], [-1, 1]]) },
 *   { type: 'relu' },
 *   { type: 'linear', w: tensor([[1, 0], [0, 1]]) },
 * ];
 * ```
 */
export type Network = readonly Layer[];

const ACTIVATIONS = new Set(['relu', 'tanh', 'sigmoid']);

export function isActivation(l: Layer): l is Extract<Layer, { type: 'relu' | 'tanh' | 'sigmoid' }> {
  return ACTIVATIONS.has(l.type);
}

/** Applies one affine-type layer (linear, conv2d, avgPool2d, flatten) to a batch. */
export function applyAffine(l: Layer, x: Tensor, withBias = true): Tensor {
  switch (l.type) {
    case 'linear':
      return nn.linear(x.ndim === 2 ? x : reshape(x, [x.shape[0]!, -1]), l.w, withBias ? l.b : null);
    case 'conv2d':
      return nn.conv2d(x, l.w, withBias ? l.b : null, { stride: l.stride ?? 1, padding: l.padding ?? 0 });
    case 'avgPool2d':
      return nn.avgPool2d(x, { kernelSize: l.kernel, stride: l.stride ?? l.kernel });
    case 'flatten':
      return reshape(x, [x.shape[0]!, -1]);
    default:
      throw new ValueError(`network: '${l.type}' is not an affine layer`);
  }
}

export function applyActivation(type: string, x: Tensor): Tensor {
  if (type === 'relu') return relu(x);
  if (type === 'tanh') return tanh(x);
  if (type === 'sigmoid') return sigmoid(x);
  throw new ValueError(`network: unknown layer type '${type}'`);
}

export function checkNetwork(op: string, net: unknown): Network {
  if (!Array.isArray(net) || net.length === 0) throw new ValueError(`${op}: net must be a non-empty array of layers`);
  for (const [i, l] of net.entries()) {
    const t = (l as { type?: string })?.type;
    if (!['linear', 'conv2d', 'avgPool2d', 'flatten', 'relu', 'tanh', 'sigmoid'].includes(t as string))
      throw new ValueError(`${op}: layer ${i} has unknown type ${JSON.stringify(t)}`);
  }
  return net as Network;
}

/**
 * The network as a model `(x) => logits`.
 *
 * @param net - the layers.
 * @returns A model `(x) => logits` to attack or evaluate.
 * @throws {ValueError} for an unknown layer type.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sequential, type Network } from '@difflab/attacks';
 * const net: Network = [{ type: 'linear', w: tensor([[1, -1], [-1, 1]]) }, { type: 'relu' }];
 * const model = sequential(net);
 * model(tensor([[0.2, 0.6]])); // tensor([[0, 0.4]])
 * ```
 */
export function sequential(net: Network): Model {
  const layers = checkNetwork('sequential', net);
  return (x: Tensor) => {
    let h = x;
    for (const l of layers) h = isActivation(l) ? applyActivation(l.type, h) : applyAffine(l, h);
    return h;
  };
}

/**
 * The layers of an `nn.mlp` (params `[{w, b}, ...]`) with the given hidden activation.
 *
 * Starts with a `flatten`, so image batches work too. The output layer gets no activation.
 *
 * @param params - `nn.mlp(...).params`: `[{w, b}, ...]` with `w` as `[out, in]`.
 * @param activation - hidden activation (default `'relu'`).
 * @returns The layers, ready for {@link sequential}, {@link ibp}, {@link crown} and {@link certify}.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { fromMlp, certify } from '@difflab/attacks';
 * const { params } = nn.mlp([2, 8, 2], { key: 0 });
 * const net = fromMlp(params, 'relu'); // [flatten, linear, relu, linear]
 * const res = certify(net, tensor([[0.2, 0.6]]), [1], 0.01);
 * ```
 */
export function fromMlp(
  params: readonly { w: Tensor; b: Tensor }[],
  activation: 'relu' | 'tanh' | 'sigmoid' = 'relu',
): Layer[] {
  const out: Layer[] = [{ type: 'flatten' }];
  params.forEach((p, i) => {
    out.push({ type: 'linear', w: p.w, b: p.b });
    if (i < params.length - 1) out.push({ type: activation });
  });
  return out;
}

/**
 * A dense affine map y = W x + b on flattened vectors: W [out, in], b [out].
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { denseOf, type Dense } from '@difflab/attacks';
 * const d: Dense = denseOf([{ type: 'linear', w: tensor([[2, 0]]), b: tensor([1]) }], [2], 'float32');
 * d.w; // tensor([[2, 0]])
 * d.b; // tensor([1])
 * ```
 */
export interface Dense {
  /** Weights `[out, in]`. */
  w: Tensor;
  /** Bias `[out]`. */
  b: Tensor;
  /** Shape of one output example (without the batch axis), to continue through later layers. */
  outShape: number[];
}

/**
 * Composes a run of affine-type layers into one dense map by pushing the identity basis through
 * them (the Jacobian of a linear map is the map itself), which is how convolutions and pooling
 * enter the matrix-based CROWN bounds.
 *
 * @param layers - affine-type layers only (linear, conv2d, avgPool2d, flatten).
 * @param inShape - one example's input shape (no batch axis).
 * @param dtype - dtype of the matrix.
 * @returns The composed map `{ w: [out, in], b: [out], outShape }`.
 *
 * @example
 * ```ts
 * import { denseOf } from '@difflab/attacks';
 * const pool = denseOf([{ type: 'avgPool2d', kernel: 2 }], [1, 2, 2], 'float32');
 * pool.w; // tensor([[0.25, 0.25, 0.25, 0.25]])
 * pool.outShape; // [1, 1, 1]
 * ```
 */
export function denseOf(layers: readonly Layer[], inShape: readonly number[], dtype: 'float32' | 'float64'): Dense {
  const din = inShape.reduce((a, b) => a * b, 1);
  const basis = reshape(eye(din, din, { dtype }), [din, ...inShape]);
  let h = basis;
  let z = zeros([1, ...inShape], { dtype });
  for (const l of layers) {
    h = applyAffine(l, h, false);
    z = applyAffine(l, z, true);
  }
  const outShape = h.shape.slice(1);
  return { w: reshape(h, [din, -1]).T, b: reshape(z, [-1]), outShape };
}

/**
 * Splits a network into alternating dense affine maps and activations:
 * [affine_1, act_1, affine_2, act_2, ..., affine_L]. Consecutive affine layers are merged; a
 * network that ends with an activation gets an identity map after it.
 */
export function affineSegments(
  op: string,
  net: Network,
  inShape: readonly number[],
  dtype: 'float32' | 'float64',
): { maps: Dense[]; acts: string[] } {
  const maps: Dense[] = [];
  const acts: string[] = [];
  let run: Layer[] = [];
  let shape = [...inShape];
  const flush = () => {
    const dense = denseOf(run, shape, dtype);
    maps.push(dense);
    shape = dense.outShape;
    run = [];
  };
  for (const l of net) {
    if (isActivation(l)) {
      flush();
      acts.push(l.type);
    } else run.push(l);
  }
  flush();
  if (maps.length !== acts.length + 1) throw new ValueError(`${op}: internal error splitting the network`);
  return { maps, acts };
}
