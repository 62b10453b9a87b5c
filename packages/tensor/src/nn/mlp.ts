import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { relu, sigmoid, tanh, gelu, silu } from '../ops/unary.js';
import type { Tensor } from '../tensor.js';
import { heUniform, zerosInit, type Initializer } from './init.js';
import { linear } from './linear.js';
import { splitKey, uniform, type NnKey } from './rng.js';

/**
 * Built-in activations of {@link mlp} (exported as `MlpActivationName`).
 *
 * @example
 * ```ts
 * import { nn, type MlpActivationName } from '@difflab/tensor';
 * const activation: MlpActivationName = 'gelu';
 * nn.mlp([2, 4, 1], { activation }).params.length; // => 2
 * ```
 */
export type ActivationName = 'relu' | 'tanh' | 'gelu' | 'silu' | 'sigmoid';
/**
 * A built-in activation name or any elementwise function (exported as `MlpActivation`).
 *
 * @example
 * ```ts
 * import { nn, tensor, Tensor, type MlpActivation } from '@difflab/tensor';
 * const activation: MlpActivation = (x: Tensor) => x.sin(); // SIREN-style
 * const net = nn.mlp([1, 8, 1], { activation });
 * net.apply(net.params, tensor([[0.5]])).shape; // => [1, 1]
 * ```
 */
export type Activation = ActivationName | ((x: Tensor) => Tensor);

/**
 * Parameters of one dense layer: `w` is [out, in] (PyTorch's `nn.Linear` layout, y = x·wᵀ + b),
 * `b` is [out].
 *
 * @example
 * ```ts
 * import { nn, tensor, type DenseParams } from '@difflab/tensor';
 * const layer: DenseParams = { w: tensor([[1, 2]]), b: tensor([0.5]) };
 * nn.linear(tensor([[1, 1]]), layer.w, layer.b).toArray(); // => [[3.5]]
 * ```
 */
export interface DenseParams {
  /** Weight [out, in]. */
  w: Tensor;
  /** Bias [out]. */
  b: Tensor;
}

/**
 * Options of {@link mlp}.
 *
 * @example
 * ```ts
 * import { nn, type MlpOptions } from '@difflab/tensor';
 * const opts: MlpOptions = { activation: 'tanh', outputActivation: 'sigmoid', key: 42, dtype: 'float64' };
 * nn.mlp([3, 16, 1], opts).params[1].w.dtype; // => 'float64'
 * ```
 */
export interface MlpOptions {
  /** Hidden-layer activation (default 'relu'). */
  activation?: Activation;
  /** Applied to the last layer's output (default none). */
  outputActivation?: Activation | null;
  /**
   * Randomness for the initial parameters: a `random.key(...)` tensor or an integer seed (default 0).
   * Layer l draws its weight from key 2l and its bias from key 2l + 1 of `random.splitN(key, 2·layers)`.
   */
  key?: NnKey;
  /** Parameter dtype: float32 (default) or float64. */
  dtype?: 'float32' | 'float64';
  /** Device of the parameters (default: the default device). */
  device?: string;
  /**
   * Weight initializer called with the [out, in] shape. Default: PyTorch's `nn.Linear` init,
   * weights and biases U(±1/√in). When `init` is given, biases start at zero unless `biasInit` is given.
   */
  init?: Initializer;
  /** Bias initializer called with the [out] shape. */
  biasInit?: Initializer;
}

/**
 * A network returned by {@link mlp}: initial parameters plus the pure forward function (the
 * `init`/`apply` pair of Flax/Haiku).
 *
 * @example
 * ```ts
 * import { nn, zeros, type Mlp } from '@difflab/tensor';
 * const net: Mlp = nn.mlp([4, 8, 2]);
 * net.apply(net.params, zeros([5, 4])).shape; // => [5, 2]
 * ```
 */
export interface Mlp {
  /** Pytree `[{w, b}, ...]`, one entry per layer; pass it (or its gradient-updated copy) to `apply`. */
  params: DenseParams[];
  /** Runs the network on x [..., sizes[0]] and returns [..., sizes[last]]. */
  apply: (params: DenseParams[], x: Tensor) => Tensor;
}

const ACTIVATIONS: Record<ActivationName, (x: Tensor) => Tensor> = {
  relu,
  tanh,
  gelu: (x) => gelu(x),
  silu,
  sigmoid,
};

function resolveActivation(name: string, a: Activation): (x: Tensor) => Tensor {
  if (typeof a === 'function') return a;
  const f = ACTIVATIONS[a];
  if (!f)
    throw new ValueError(
      `mlp: unknown ${name} '${String(a)}' (expected ${Object.keys(ACTIVATIONS).join(', ')} or a function)`,
    );
  return f;
}

/**
 * Builds a multilayer perceptron as data plus a pure function.
 *
 * `mlp([2, 64, 64, 1], { activation: 'tanh' })` gives fresh parameters (a pytree `[{w, b}, ...]`,
 * PyTorch's `nn.Linear` init by default) and `apply(params, x)`, which is differentiable with
 * respect to the params pytree (`grad((p) => loss(apply(p, x)))(params)`) and the input. The
 * activation follows every hidden layer; the last layer is linear unless `outputActivation` is set.
 *
 * @param sizes - layer widths `[in, hidden..., out]` (at least two positive integers).
 * @param opts - activation, output activation, key, dtype, device and initializers.
 * @returns `{ params, apply }`.
 * @throws {ValueError} for bad sizes or an unknown activation name; `apply` throws ValueError for a
 *   params list of the wrong length.
 * @throws {ShapeError} when a custom `init` returns the wrong shape.
 *
 * @example
 * ```ts
 * import { nn, grad, tensor, Tensor, type DenseParams } from '@difflab/tensor';
 * const net = nn.mlp([2, 16, 1], { activation: 'tanh', key: 0 });
 * const x = tensor([[0, 1], [1, 0]]);
 * net.apply(net.params, x).shape; // => [2, 1]
 * const loss = (p: DenseParams[]) => net.apply(p, x).square().mean();
 * const g: DenseParams[] = grad(loss)(net.params);
 * g[0].w.shape; // => [16, 2]
 * ```
 */
export function mlp(sizes: readonly number[], opts: MlpOptions = {}): Mlp {
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1))
    throw new ValueError(
      `mlp: sizes must list at least two positive integers (input, ..., output), got ${JSON.stringify(sizes)}`,
    );
  const act = resolveActivation('activation', opts.activation ?? 'relu');
  const outAct = opts.outputActivation ? resolveActivation('outputActivation', opts.outputActivation) : null;
  const dtype = opts.dtype ?? 'float32';
  const device = opts.device;
  const layers = sizes.length - 1;
  const keys = splitKey(opts.key ?? 0, 2 * layers, 'mlp');
  const params: DenseParams[] = [];
  for (let l = 0; l < layers; l++) {
    const [fin, fout] = [sizes[l]!, sizes[l + 1]!];
    const bound = 1 / Math.sqrt(fin);
    const w = opts.init
      ? opts.init(keys[2 * l]!, [fout, fin], { dtype, device })
      : heUniform(keys[2 * l]!, [fout, fin], { dtype, device, nonlinearity: 'leakyRelu', a: Math.sqrt(5) });
    const b = opts.biasInit
      ? opts.biasInit(keys[2 * l + 1]!, [fout], { dtype, device })
      : opts.init
        ? zerosInit(keys[2 * l + 1]!, [fout], { dtype, device })
        : uniform('mlp', keys[2 * l + 1]!, [fout], dtype, -bound, bound, device);
    if (w.shape.length !== 2 || w.shape[0] !== fout || w.shape[1] !== fin)
      throw new ShapeError(`mlp: init returned ${fmtShape(w.shape)} for layer ${l}, expected [${fout}, ${fin}]`);
    params.push({ w, b });
  }
  const apply = (ps: DenseParams[], x: Tensor): Tensor => {
    if (!Array.isArray(ps) || ps.length !== layers)
      throw new ValueError(
        `mlp.apply: expected ${layers} layers of {w, b}, got ${Array.isArray(ps) ? ps.length : typeof ps}`,
      );
    let h = x;
    ps.forEach((p, l) => {
      h = linear(h, p.w, p.b);
      if (l < layers - 1) h = act(h);
      else if (outAct) h = outAct(h);
    });
    return h;
  };
  return { params, apply };
}
