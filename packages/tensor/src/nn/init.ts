import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { zeros } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { normal, uniform, type NnKey } from './rng.js';

/**
 * Options shared by the weight initializers.
 *
 * @example
 * ```ts
 * import { nn, type InitOptions } from '@difflab/tensor';
 * const opts: InitOptions = { dtype: 'float64', gain: nn.calculateGain('tanh') };
 * nn.glorotUniform(0, [4, 3], opts).dtype; // => 'float64'
 * ```
 */
export interface InitOptions {
  /** float32 (default) or float64. */
  dtype?: 'float32' | 'float64';
  /** Device of the result (default: the default device). */
  device?: string;
  /** Multiplies the standard deviation / bound (default 1 for Glorot and LeCun; He uses its `nonlinearity`). */
  gain?: number;
}

/**
 * A weight initializer: `(key, shape, opts?) => Tensor`; every `nn.*` initializer has this type, so
 * they can be passed to {@link mlp} as `init` / `biasInit`.
 *
 * @example
 * ```ts
 * import { nn, type Initializer } from '@difflab/tensor';
 * const init: Initializer = nn.glorotNormal;
 * const net = nn.mlp([2, 3, 1], { init, biasInit: nn.zerosInit });
 * net.params[0].b.toArray(); // => [0, 0, 0]
 * ```
 */
export type Initializer = (key: NnKey, shape: readonly number[], opts?: InitOptions) => Tensor;

/**
 * Fan-in and fan-out of a weight shape, as PyTorch computes them (`_calculate_fan_in_and_fan_out`).
 *
 * For a linear weight [out, in] fanIn = in and fanOut = out; for a convolution weight
 * [out, in/groups, kh, kw] both are multiplied by the receptive field kh·kw.
 *
 * @param shape - a weight shape of at least 2 dimensions.
 * @param op - the op name used in error messages (default `'fans'`).
 * @returns `{ fanIn, fanOut }`.
 * @throws {ShapeError} for fewer than 2 dimensions.
 *
 * @example
 * ```ts
 * import { nn } from '@difflab/tensor';
 * nn.fans([16, 3, 3, 3]); // => { fanIn: 27, fanOut: 144 }
 * nn.fans([5]); // throws ShapeError
 * ```
 */
export function fans(
  shape: readonly number[],
  op = 'fans',
): {
  /** Inputs feeding one output unit: `in` (times kh·kw for convolutions). */
  fanIn: number;
  /** Outputs fed by one input unit: `out` (times kh·kw for convolutions). */
  fanOut: number;
} {
  if (shape.length < 2)
    throw new ShapeError(
      `${op}: fan-in/fan-out need a weight of at least 2 dimensions ([out, in, ...]), got ${fmtShape(shape)}`,
    );
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

function gainOf(op: string, opts: InitOptions, dflt: number): number {
  const g = opts.gain ?? dflt;
  if (typeof g !== 'number' || !Number.isFinite(g) || g < 0)
    throw new ValueError(`${op}: gain must be a finite non-negative number, got ${g}`);
  return g;
}

function positiveFan(op: string, fan: number, shape: readonly number[]): number {
  if (fan <= 0) throw new ShapeError(`${op}: zero fan for weight shape ${fmtShape(shape)}`);
  return fan;
}

/**
 * Xavier/Glorot uniform initialization U(−a, a), a = gain·√(6 / (fanIn + fanOut)), like
 * `torch.nn.init.xavier_uniform_` / `jax.nn.initializers.glorot_uniform`.
 *
 * @param key - a random key or integer seed.
 * @param shape - the weight shape ([out, in] or a convolution's [out, in/groups, kh, kw]).
 * @param opts - `dtype`, `device`, `gain` (default 1).
 * @returns a new tensor of `shape`.
 * @throws {ShapeError} for fewer than 2 dimensions or a zero fan.
 * @throws {ValueError} for a negative or non-finite gain.
 *
 * @example
 * ```ts
 * import { nn } from '@difflab/tensor';
 * const w = nn.glorotUniform(0, [3, 2]);
 * w.abs().max().item() <= Math.sqrt(6 / 5); // => true
 * ```
 */
export function glorotUniform(key: NnKey, shape: readonly number[], opts: InitOptions = {}): Tensor {
  const op = 'glorotUniform';
  const { fanIn, fanOut } = fans(shape, op);
  const a = gainOf(op, opts, 1) * Math.sqrt(6 / positiveFan(op, fanIn + fanOut, shape));
  return uniform(op, key, shape, opts.dtype ?? 'float32', -a, a, opts.device);
}

/**
 * Xavier/Glorot normal initialization N(0, σ²), σ = gain·√(2 / (fanIn + fanOut)), like
 * `torch.nn.init.xavier_normal_`.
 *
 * @param key - a random key or integer seed.
 * @param shape - the weight shape (at least 2-D).
 * @param opts - `dtype`, `device`, `gain` (default 1).
 * @returns a new tensor of `shape`.
 * @throws {ShapeError} for fewer than 2 dimensions or a zero fan.
 *
 * @example
 * ```ts
 * import { nn } from '@difflab/tensor';
 * nn.glorotNormal(0, [256, 256], { dtype: 'float64' }).std().item() > 0.06; // => true
 * ```
 */
export function glorotNormal(key: NnKey, shape: readonly number[], opts: InitOptions = {}): Tensor {
  const op = 'glorotNormal';
  const { fanIn, fanOut } = fans(shape, op);
  const std = gainOf(op, opts, 1) * Math.sqrt(2 / positiveFan(op, fanIn + fanOut, shape));
  return normal(op, key, shape, opts.dtype ?? 'float32', std, opts.device);
}

/**
 * Activation names understood by `nn.calculateGain` and the He initializers.
 *
 * @example
 * ```ts
 * import { nn, type Nonlinearity } from '@difflab/tensor';
 * const act: Nonlinearity = 'relu';
 * nn.calculateGain(act); // => 1.4142
 * ```
 */
export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/**
 * Recommended gain for an activation, like `torch.nn.init.calculate_gain`.
 *
 * 1 for linear/sigmoid, 5/3 for tanh, √2 for ReLU, √(2 / (1 + slope²)) for leaky ReLU, 3/4 for SELU.
 *
 * @param nonlinearity - the activation.
 * @param negativeSlope - the leaky-ReLU slope (default 0.01, PyTorch's default).
 * @returns the gain.
 * @throws {ValueError} for an unknown name.
 *
 * @example
 * ```ts
 * import { nn } from '@difflab/tensor';
 * nn.calculateGain('tanh'); // => 1.6667
 * nn.calculateGain('leakyRelu', 1); // => 1
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, negativeSlope = 0.01): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu':
      return Math.sqrt(2 / (1 + negativeSlope * negativeSlope));
    case 'selu':
      return 3 / 4;
    default:
      throw new ValueError(`calculateGain: unknown nonlinearity '${String(nonlinearity)}'`);
  }
}

/**
 * Options of `nn.heNormal` / `nn.heUniform` (PyTorch's `kaiming_*_` arguments).
 *
 * @example
 * ```ts
 * import { nn, type HeOptions } from '@difflab/tensor';
 * const opts: HeOptions = { mode: 'fanOut', nonlinearity: 'leakyRelu', a: 0.2 };
 * nn.heNormal(0, [8, 4], opts).shape; // => [8, 4]
 * ```
 */
export interface HeOptions extends InitOptions {
  /** Which fan scales the variance (default 'fanIn'). */
  mode?: 'fanIn' | 'fanOut';
  /** Sets the gain when `gain` is not given (default 'relu': √2). */
  nonlinearity?: Nonlinearity;
  /** Negative slope for 'leakyRelu' (PyTorch's `a`, default 0). */
  a?: number;
}

function heStd(op: string, shape: readonly number[], opts: HeOptions): number {
  const { fanIn, fanOut } = fans(shape, op);
  const mode = opts.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut')
    throw new ValueError(`${op}: mode must be 'fanIn' or 'fanOut', got '${String(mode)}'`);
  const gain = gainOf(op, opts, calculateGain(opts.nonlinearity ?? 'relu', opts.a ?? 0));
  return gain / Math.sqrt(positiveFan(op, mode === 'fanIn' ? fanIn : fanOut, shape));
}

/**
 * Kaiming/He normal initialization N(0, σ²), σ = gain / √fan, like `torch.nn.init.kaiming_normal_`
 * (gain √2 for ReLU by default).
 *
 * @param key - a random key or integer seed.
 * @param shape - the weight shape (at least 2-D).
 * @param opts - `mode` (default 'fanIn'), `nonlinearity` (default 'relu'), `a`, `gain`, `dtype`, `device`.
 * @returns a new tensor of `shape`.
 * @throws {ShapeError} for fewer than 2 dimensions.
 * @throws {ValueError} for an unknown mode.
 *
 * @example
 * ```ts
 * import { nn } from '@difflab/tensor';
 * const w = nn.heNormal(0, [128, 64], { dtype: 'float64' }); // σ = √2 / 8 ≈ 0.177
 * Math.abs(w.std().item() - Math.SQRT2 / 8) < 0.01; // => true
 * ```
 */
export function heNormal(key: NnKey, shape: readonly number[], opts: HeOptions = {}): Tensor {
  return normal('heNormal', key, shape, opts.dtype ?? 'float32', heStd('heNormal', shape, opts), opts.device);
}

/**
 * Kaiming/He uniform initialization U(−b, b), b = gain·√(3 / fan), like
 * `torch.nn.init.kaiming_uniform_`.
 *
 * With `{ nonlinearity: 'leakyRelu', a: Math.sqrt(5) }` this is PyTorch's default
 * `nn.Linear`/`nn.Conv2d` weight init, U(±1/√fanIn).
 *
 * @param key - a random key or integer seed.
 * @param shape - the weight shape (at least 2-D).
 * @param opts - as {@link heNormal}.
 * @returns a new tensor of `shape`.
 * @throws {ShapeError} for fewer than 2 dimensions.
 *
 * @example
 * ```ts
 * import { nn } from '@difflab/tensor';
 * const w = nn.heUniform(0, [4, 16], { nonlinearity: 'leakyRelu', a: Math.sqrt(5) });
 * w.abs().max().item() <= 1 / 4; // => true
 * ```
 */
export function heUniform(key: NnKey, shape: readonly number[], opts: HeOptions = {}): Tensor {
  const b = Math.sqrt(3) * heStd('heUniform', shape, opts);
  return uniform('heUniform', key, shape, opts.dtype ?? 'float32', -b, b, opts.device);
}

/**
 * LeCun normal initialization N(0, σ²), σ = gain / √fanIn (a plain normal; JAX's
 * `lecun_normal` truncates it), the SELU default.
 *
 * @param key - a random key or integer seed.
 * @param shape - the weight shape (at least 2-D).
 * @param opts - `dtype`, `device`, `gain` (default 1).
 * @returns a new tensor of `shape`.
 * @throws {ShapeError} for fewer than 2 dimensions.
 *
 * @example
 * ```ts
 * import { nn } from '@difflab/tensor';
 * nn.lecunNormal(1, [3, 100]).shape; // => [3, 100]
 * ```
 */
export function lecunNormal(key: NnKey, shape: readonly number[], opts: InitOptions = {}): Tensor {
  const op = 'lecunNormal';
  const std = gainOf(op, opts, 1) / Math.sqrt(positiveFan(op, fans(shape, op).fanIn, shape));
  return normal(op, key, shape, opts.dtype ?? 'float32', std, opts.device);
}

/**
 * LeCun uniform initialization U(−b, b), b = gain·√(3 / fanIn) (`jax.nn.initializers.lecun_uniform`).
 *
 * @param key - a random key or integer seed.
 * @param shape - the weight shape (at least 2-D).
 * @param opts - `dtype`, `device`, `gain` (default 1).
 * @returns a new tensor of `shape`.
 * @throws {ShapeError} for fewer than 2 dimensions.
 *
 * @example
 * ```ts
 * import { nn } from '@difflab/tensor';
 * nn.lecunUniform(0, [2, 3]).abs().max().item() <= 1; // => true
 * ```
 */
export function lecunUniform(key: NnKey, shape: readonly number[], opts: InitOptions = {}): Tensor {
  const op = 'lecunUniform';
  const b = gainOf(op, opts, 1) * Math.sqrt(3 / positiveFan(op, fans(shape, op).fanIn, shape));
  return uniform(op, key, shape, opts.dtype ?? 'float32', -b, b, opts.device);
}

/**
 * All-zeros initializer (the key is ignored), for any shape, biases included
 * (`torch.nn.init.zeros_`).
 *
 * @param _key - ignored; present so it is an {@link Initializer}.
 * @param shape - any shape.
 * @param opts - `dtype`, `device`.
 * @returns zeros of `shape`.
 *
 * @example
 * ```ts
 * import { nn } from '@difflab/tensor';
 * nn.zerosInit(0, [2]).toArray(); // => [0, 0]
 * ```
 */
export function zerosInit(_key: NnKey, shape: readonly number[], opts: InitOptions = {}): Tensor {
  return zeros(shape, { dtype: opts.dtype ?? 'float32', device: opts.device });
}
