import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { zeros } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { normal, uniform, type NnKey } from './rng.js';

/** Options shared by the weight initializers. */
export interface InitOptions {
  /** float32 (default) or float64. */
  dtype?: 'float32' | 'float64';
  /** Device of the result (default: the default device). */
  device?: string;
  /** Multiplies the standard deviation / bound (default 1 for Glorot and LeCun; He uses its `nonlinearity`). */
  gain?: number;
}

/** A weight initializer: `(key, shape, opts?) => Tensor`. */
export type Initializer = (key: NnKey, shape: readonly number[], opts?: InitOptions) => Tensor;

/**
 * Fan-in and fan-out as PyTorch computes them (`_calculate_fan_in_and_fan_out`): for a linear weight
 * [out, in] fanIn = in and fanOut = out; for a convolution weight [out, in/groups, kh, kw] both are
 * multiplied by the receptive field kh·kw. Needs at least 2 dimensions.
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

/** Xavier/Glorot uniform (`torch.nn.init.xavier_uniform_`): U(−a, a), a = gain·√(6 / (fanIn + fanOut)). */
export function glorotUniform(key: NnKey, shape: readonly number[], opts: InitOptions = {}): Tensor {
  const op = 'glorotUniform';
  const { fanIn, fanOut } = fans(shape, op);
  const a = gainOf(op, opts, 1) * Math.sqrt(6 / positiveFan(op, fanIn + fanOut, shape));
  return uniform(op, key, shape, opts.dtype ?? 'float32', -a, a, opts.device);
}

/** Xavier/Glorot normal (`xavier_normal_`): N(0, σ²), σ = gain·√(2 / (fanIn + fanOut)). */
export function glorotNormal(key: NnKey, shape: readonly number[], opts: InitOptions = {}): Tensor {
  const op = 'glorotNormal';
  const { fanIn, fanOut } = fans(shape, op);
  const std = gainOf(op, opts, 1) * Math.sqrt(2 / positiveFan(op, fanIn + fanOut, shape));
  return normal(op, key, shape, opts.dtype ?? 'float32', std, opts.device);
}

/** Activation names understood by `nn.calculateGain` and the He initializers. */
export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/** `torch.nn.init.calculate_gain`. */
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

/** Options of `nn.heNormal` / `nn.heUniform` (PyTorch's `kaiming_*_` arguments). */
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

/** Kaiming/He normal (`kaiming_normal_`): N(0, σ²), σ = gain / √fan, gain √2 for ReLU by default. */
export function heNormal(key: NnKey, shape: readonly number[], opts: HeOptions = {}): Tensor {
  return normal('heNormal', key, shape, opts.dtype ?? 'float32', heStd('heNormal', shape, opts), opts.device);
}

/**
 * Kaiming/He uniform (`kaiming_uniform_`): U(−b, b), b = gain·√(3 / fan). With
 * `{ nonlinearity: 'leakyRelu', a: Math.sqrt(5) }` this is PyTorch's default `nn.Linear`/`nn.Conv2d`
 * weight init, U(±1/√fanIn).
 */
export function heUniform(key: NnKey, shape: readonly number[], opts: HeOptions = {}): Tensor {
  const b = Math.sqrt(3) * heStd('heUniform', shape, opts);
  return uniform('heUniform', key, shape, opts.dtype ?? 'float32', -b, b, opts.device);
}

/** LeCun normal: N(0, σ²), σ = gain / √fanIn (a plain normal as in PyTorch style; JAX truncates it). */
export function lecunNormal(key: NnKey, shape: readonly number[], opts: InitOptions = {}): Tensor {
  const op = 'lecunNormal';
  const std = gainOf(op, opts, 1) / Math.sqrt(positiveFan(op, fans(shape, op).fanIn, shape));
  return normal(op, key, shape, opts.dtype ?? 'float32', std, opts.device);
}

/** LeCun uniform: U(−b, b), b = gain·√(3 / fanIn). */
export function lecunUniform(key: NnKey, shape: readonly number[], opts: InitOptions = {}): Tensor {
  const op = 'lecunUniform';
  const b = gainOf(op, opts, 1) * Math.sqrt(3 / positiveFan(op, fans(shape, op).fanIn, shape));
  return uniform(op, key, shape, opts.dtype ?? 'float32', -b, b, opts.device);
}

/** All zeros (the key is ignored); any shape, biases included. */
export function zerosInit(_key: NnKey, shape: readonly number[], opts: InitOptions = {}): Tensor {
  return zeros(shape, { dtype: opts.dtype ?? 'float32', device: opts.device });
}
