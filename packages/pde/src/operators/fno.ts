import {
  ShapeError,
  Tensor,
  ValueError,
  add,
  concat,
  fft,
  fmtShape,
  fromTypedArray,
  gelu,
  matmul,
  mul,
  random,
  relu,
  reshape,
  slice,
  swapAxes,
  tanh,
  transpose,
  zeros,
} from '@difflab/tensor';
import { integer } from '../internal/checks.js';

/**
 * Options of {@link fno}, {@link fno1d} and {@link fno2d}.
 *
 * @example
 * ```ts
 * import { fno1d, type FnoOptions } from '@difflab/pde';
 * const opts: FnoOptions = { inChannels: 1, modes: 16, width: 32, layers: 4, projection: 64 };
 * const model = fno1d(opts);
 * ```
 */
export interface FnoOptions {
  /** Input channels (e.g. 1 for u0; the grid coordinates are appended automatically). */
  inChannels: number;
  /** Output channels (default 1). */
  outChannels?: number;
  /** Fourier modes kept per axis (default 16 in 1-D, 12 in 2-D). */
  modes?: number;
  /** Channel width of the Fourier layers (default 32). */
  width?: number;
  /** Number of Fourier layers (default 4). */
  layers?: number;
  /** Hidden width of the projection (default 128). */
  projection?: number;
  /** Activation between layers (default 'gelu'). */
  activation?: 'gelu' | 'relu' | 'tanh';
  /** Seed of the initial weights (default 0). */
  key?: number;
  /** dtype of the weights (default 'float32'). */
  dtype?: 'float32' | 'float64';
}

/**
 * A pointwise linear layer of a {@link Fno} (applied to the channel axis at every grid point).
 *
 * @example
 * ```ts
 * import { fno1d, type FnoLinear } from '@difflab/pde';
 * const lift: FnoLinear = fno1d({ inChannels: 1, width: 8 }).params.lift;
 * lift.w.shape; // [8, 2]: from one input channel plus the grid coordinate to 8 channels
 * ```
 */
export interface FnoLinear {
  /** Weight [out, in]. */
  w: Tensor;
  /** Bias [out]. */
  b: Tensor;
}

/**
 * Parameters of a {@link Fno}: lifting, per-layer spectral weights (real and imaginary parts) and pointwise maps, projection.
 *
 * @example
 * ```ts
 * import { fno1d, type FnoParams } from '@difflab/pde';
 * const p: FnoParams = fno1d({ inChannels: 1, layers: 2 }).params;
 * p.spectral.length; // 2
 * ```
 */
export interface FnoParams {
  /** Lifts the input channels and grid coordinates to `width` channels. */
  lift: FnoLinear;
  /** Per layer, the complex mode weights (last axis: real, imaginary): one block in 1-D, two in 2-D (positive and negative k_x). */
  spectral: Tensor[][];
  /** Per layer, the pointwise linear map W. */
  pointwise: FnoLinear[];
  /** First projection layer (`width` → `projection`). */
  proj1: FnoLinear;
  /** Second projection layer (`projection` → output channels). */
  proj2: FnoLinear;
}

/**
 * A Fourier neural operator: its parameters and the map it computes.
 *
 * @example
 * ```ts
 * import { fno2d, type Fno } from '@difflab/pde';
 * import { zeros } from '@difflab/tensor';
 * const model: Fno = fno2d({ inChannels: 1, modes: 6, width: 12 });
 * model.apply(model.params, zeros([2, 16, 16, 1])).shape; // [2, 16, 16, 1]
 * ```
 */
export interface Fno {
  /** Initial parameters. */
  params: FnoParams;
  /** 1-D: [B, n, inChannels] → [B, n, outChannels]; 2-D: [B, nx, ny, inChannels] → [B, nx, ny, outChannels]. */
  apply(params: FnoParams, x: Tensor): Tensor;
  /** Spatial dimension (1 or 2). */
  readonly dims: 1 | 2;
}

function act(name: string): (x: Tensor) => Tensor {
  if (name === 'gelu') return (x) => gelu(x);
  if (name === 'relu') return relu;
  if (name === 'tanh') return tanh;
  throw new ValueError(`fno: unknown activation '${name}'`);
}

function dense(key: Tensor, fin: number, fout: number, dtype: 'float32' | 'float64'): FnoLinear {
  const [k1, k2] = random.splitN(key, 2) as [Tensor, Tensor];
  const bound = 1 / Math.sqrt(fin);
  return {
    w: random.uniform(k1, [fout, fin], { dtype, minval: -bound, maxval: bound } as never),
    b: random.uniform(k2, [fout], { dtype, minval: -bound, maxval: bound } as never),
  };
}

/** Pointwise linear map on channels-first data [B, C, ...]: W [out, C] per location, plus bias. */
function pointwise(l: FnoLinear, v: Tensor): Tensor {
  const [b, c, ...rest] = v.shape as number[];
  const flat = reshape(v, [b!, c!, rest.reduce((a, x) => a * x, 1)]);
  const out = add(matmul(l.w, flat), reshape(l.b, [l.w.shape[0]!, 1]));
  return reshape(out, [b!, l.w.shape[0]!, ...rest]);
}

/** Grid coordinates in [0, 1) appended as channels (the FNO paper's input encoding). */
function withGrid(x: Tensor, dims: 1 | 2): Tensor {
  const dtype = x.dtype as 'float32' | 'float64';
  const Arr = (len: number, f: (k: number) => number) => {
    const a = dtype === 'float64' ? new Float64Array(len) : new Float32Array(len);
    for (let k = 0; k < len; k++) a[k] = f(k);
    return a;
  };
  const b = x.shape[0]!;
  const grid = (values: Float32Array | Float64Array, shape: number[]) =>
    add(zeros([b, ...shape.slice(1)], { dtype }), fromTypedArray(values, shape, { dtype }));
  if (dims === 1) {
    const n = x.shape[1]!;
    return concat(
      [
        x,
        grid(
          Arr(n, (i) => i / n),
          [1, n, 1],
        ),
      ],
      2,
    );
  }
  const [nx, ny] = [x.shape[1]!, x.shape[2]!];
  const gx = Arr(nx * ny, (k) => Math.floor(k / ny) / nx);
  const gy = Arr(nx * ny, (k) => (k % ny) / ny);
  return concat([x, grid(gx, [1, nx, ny, 1]), grid(gy, [1, nx, ny, 1])], 3);
}

/**
 * Fourier neural operator (Li et al. 2021) in one or two space dimensions: lift to `width`
 * channels, `layers` Fourier layers v ← σ(K v + W v) with K v = IFFT(R · FFT(v)) keeping the
 * lowest `modes` frequencies (complex weights R; in 2-D both the positive and negative k_x
 * blocks), then a two-layer projection. Uses `fft.rfft`/`irfft` (`rfft2`/`irfft2` in 2-D) and
 * `fft.complexEinsum`, so it runs at any grid resolution with the same weights.
 *
 * @example
 * ```ts
 * import { fno } from '@difflab/pde';
 * const model = fno(1, { inChannels: 2, outChannels: 1, modes: 8 });
 * ```
 */
export function fno(dims: 1 | 2, opts: FnoOptions): Fno {
  const op = `fno${dims}d`;
  if (dims !== 1 && dims !== 2) throw new ValueError(`fno: dims must be 1 or 2, got ${dims}`);
  const cin = integer(op, 'inChannels', opts.inChannels, 1);
  const cout = integer(op, 'outChannels', opts.outChannels ?? 1, 1);
  const modes = integer(op, 'modes', opts.modes ?? (dims === 1 ? 16 : 12), 1);
  const width = integer(op, 'width', opts.width ?? 32, 1);
  const L = integer(op, 'layers', opts.layers ?? 4, 1);
  const hid = integer(op, 'projection', opts.projection ?? 128, 1);
  const sigma = act(opts.activation ?? 'gelu');
  const dtype = opts.dtype ?? 'float32';
  const keys = random.splitN(random.key(opts.key ?? 0), 3 + 2 * L) as Tensor[];
  const scale = 1 / (width * width);
  const spectral = Array.from({ length: L }, (_, l) => {
    const shape = dims === 1 ? [width, width, modes, 2] : [width, width, modes, modes, 2];
    const ks = random.splitN(keys[3 + l]!, dims === 1 ? 1 : 2) as Tensor[];
    return ks.map((k) => mul(random.uniform(k, shape, { dtype } as never), scale));
  });
  const params: FnoParams = {
    lift: dense(keys[0]!, cin + dims, width, dtype),
    spectral,
    pointwise: Array.from({ length: L }, (_, l) => dense(keys[3 + L + l]!, width, width, dtype)),
    proj1: dense(keys[1]!, width, hid, dtype),
    proj2: dense(keys[2]!, hid, cout, dtype),
  };

  const spectralConv1d = (v: Tensor, R: Tensor): Tensor => {
    const n = v.shape[2]!;
    const k = Math.min(modes, Math.floor(n / 2) + 1);
    const V = slice(fft.rfft(v), null, null, { stop: k });
    const out = fft.complexEinsum('bik,iok->bok', V, k === modes ? R : slice(R, null, null, { stop: k }));
    return fft.irfft(out, { n });
  };

  const spectralConv2d = (v: Tensor, R1: Tensor, R2: Tensor): Tensor => {
    const [b, , nx, ny] = v.shape as [number, number, number, number];
    const kx = Math.min(modes, Math.floor(nx / 2));
    const ky = Math.min(modes, Math.floor(ny / 2) + 1);
    const V = fft.rfft2(v);
    const cut = (R: Tensor) => slice(R, null, null, { stop: kx }, { stop: ky });
    const low = fft.complexEinsum('bixy,ioxy->boxy', slice(V, null, null, { stop: kx }, { stop: ky }), cut(R1));
    const high = fft.complexEinsum('bixy,ioxy->boxy', slice(V, null, null, { start: nx - kx }, { stop: ky }), cut(R2));
    const middle = zeros([b, width, nx - 2 * kx, ky, 2], { dtype: v.dtype });
    const full = concat([low, middle, high], 2);
    return fft.irfft2(full, { s: [nx, ny] });
  };

  const apply = (ps: FnoParams, x: Tensor): Tensor => {
    if (x.ndim !== dims + 2 || x.shape[dims + 1] !== cin)
      throw new ShapeError(
        `${op}: input must be [B, ${dims === 1 ? 'n' : 'nx, ny'}, ${cin}], got ${fmtShape(x.shape)}`,
      );
    if (x.dtype !== dtype) throw new ValueError(`${op}: input is ${x.dtype} but the weights are ${dtype}`);
    // Channels-first inside, so every transform runs along the trailing axes.
    let v = pointwise(ps.lift, dims === 1 ? swapAxes(withGrid(x, 1), 1, 2) : transpose(withGrid(x, 2), [0, 3, 1, 2]));
    for (let l = 0; l < L; l++) {
      const R = ps.spectral[l]!;
      const k = dims === 1 ? spectralConv1d(v, R[0]!) : spectralConv2d(v, R[0]!, R[1]!);
      v = add(k, pointwise(ps.pointwise[l]!, v));
      if (l < L - 1) v = sigma(v);
    }
    const out = pointwise(ps.proj2, sigma(pointwise(ps.proj1, v)));
    return dims === 1 ? swapAxes(out, 1, 2) : transpose(out, [0, 2, 3, 1]);
  };
  return { params, apply, dims };
}

/**
 * A 1-D Fourier neural operator, [B, n, inChannels] → [B, n, outChannels] (see {@link fno}).
 *
 * @example
 * ```ts
 * import { fitOperator, fno1d } from '@difflab/pde';
 * import { zeros } from '@difflab/tensor';
 * const model = fno1d({ inChannels: 1, modes: 16, width: 32 });
 * const X = zeros([20, 64, 1]); // u(·, 0) on 64 points
 * const Y = zeros([20, 64, 1]); // u(·, 1)
 * const { params } = await fitOperator(model.apply, model.params, X, Y, { epochs: 5, batchSize: 10 });
 * model.apply(params, zeros([1, 128, 1])).shape; // [1, 128, 1]: any resolution
 * ```
 */
export const fno1d = (opts: FnoOptions): Fno => fno(1, opts);
/**
 * A 2-D Fourier neural operator, [B, nx, ny, inChannels] → [B, nx, ny, outChannels] (see {@link fno}).
 *
 * @example
 * ```ts
 * import { fno2d } from '@difflab/pde';
 * import { zeros } from '@difflab/tensor';
 * const model = fno2d({ inChannels: 1, modes: 6, width: 12, layers: 3 });
 * model.apply(model.params, zeros([1, 16, 16, 1])).shape; // [1, 16, 16, 1]
 * ```
 */
export const fno2d = (opts: FnoOptions): Fno => fno(2, opts);
