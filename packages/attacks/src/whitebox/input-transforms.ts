import { ShapeError, fmtShape, fromTypedArray, matmul, nn, pad, type Tensor } from '@difflab/tensor';
import type { HostRng } from '../core/grad.js';

/**
 * Bilinear resampling matrix [out, in] with PyTorch's `align_corners=False` convention, so that
 * resizing an axis is one matmul (and differentiable).
 */
export function bilinearMatrix(out: number, inp: number, dtype: 'float32' | 'float64'): Tensor {
  const m = new Float64Array(out * inp);
  const scale = inp / out;
  for (let i = 0; i < out; i++) {
    const src = Math.max((i + 0.5) * scale - 0.5, 0);
    const i0 = Math.min(Math.floor(src), inp - 1);
    const i1 = Math.min(i0 + 1, inp - 1);
    const w1 = src - i0;
    m[i * inp + i0]! += 1 - w1;
    m[i * inp + i1]! += w1;
  }
  return fromTypedArray(dtype === 'float64' ? m : Float32Array.from(m), [out, inp], { dtype });
}

/**
 * Resizes images [N, C, H, W] to [N, C, h, w] bilinearly.
 *
 * PyTorch's `F.interpolate(x, size=[h, w], mode='bilinear', align_corners=False)`; differentiable
 * (two matmuls), which is what input-diversity attacks need.
 *
 * @param x - images `[N, C, H, W]`.
 * @param h - output height.
 * @param w - output width.
 * @returns Images `[N, C, h, w]`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { resizeBilinear } from '@difflab/attacks';
 * const x = tensor([[[[0, 1], [2, 3]]]]); // [1, 1, 2, 2]
 * resizeBilinear(x, 1, 1); // tensor([[[[1.5]]]])
 * ```
 */
export function resizeBilinear(x: Tensor, h: number, w: number): Tensor {
  const dtype = x.dtype as 'float32' | 'float64';
  const rh = bilinearMatrix(h, x.shape[2]!, dtype);
  const rw = bilinearMatrix(w, x.shape[3]!, dtype);
  return matmul(matmul(rh, x), rw.T);
}

export function requireImages(op: string, x: Tensor): void {
  if (x.ndim !== 4)
    throw new ShapeError(`${op}: needs image batches [N, C, H, W], got x of shape ${fmtShape(x.shape)}`);
}

/**
 * Input diversity (Xie et al. 2019): with probability `prob`, shrink the images by a random factor in
 * [resizeRate, 1) (or enlarge for resizeRate > 1) and zero-pad them at a random offset back to a
 * fixed size, the original size when resizeRate < 1. One transform per call, shared by the batch.
 */
export function inputDiversity(x: Tensor, rng: HostRng, prob: number, resizeRate: number): Tensor {
  const [u, v, a, b] = Array.from(rng.uniform(4));
  if (u! >= prob) return x;
  const [hIn, wIn] = [x.shape[2]!, x.shape[3]!];
  // The output size: the input size when shrinking, the enlarged size otherwise.
  const hOut = resizeRate < 1 ? hIn : Math.floor(hIn * resizeRate);
  const wOut = resizeRate < 1 ? wIn : Math.floor(wIn * resizeRate);
  const lo = resizeRate < 1 ? Math.floor(wIn * resizeRate) : wIn;
  const w = wOut > lo ? lo + Math.floor(v! * (wOut - lo)) : lo;
  const h = Math.min(hOut, Math.max(1, Math.round((w * hIn) / wIn)));
  const resized = resizeBilinear(x, h, w);
  const top = Math.floor(a! * (hOut - h + 1));
  const left = Math.floor(b! * (wOut - w + 1));
  return pad(resized, [
    [0, 0],
    [0, 0],
    [top, hOut - h - top],
    [left, wOut - w - left],
  ]);
}

/**
 * Normalised 2-D Gaussian kernel of odd size `len` spanning +-nsig standard deviations.
 *
 * The smoothing kernel of {@link tifgsm}.
 *
 * @param len - odd side length.
 * @param nsig - the kernel spans ±nsig standard deviations.
 * @param dtype - output dtype.
 * @returns A `[len, len]` kernel summing to 1.
 *
 * @example
 * ```ts
 * import { sum } from '@difflab/tensor';
 * import { gaussianKernel } from '@difflab/attacks';
 * const k = gaussianKernel(5, 3, 'float32'); // shape [5, 5], largest in the centre
 * sum(k); // tensor(1)
 * ```
 */
export function gaussianKernel(len: number, nsig: number, dtype: 'float32' | 'float64'): Tensor {
  const k1 = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const t = len === 1 ? 0 : -nsig + (2 * nsig * i) / (len - 1);
    k1[i] = Math.exp(-0.5 * t * t);
  }
  const k = new Float64Array(len * len);
  let s = 0;
  for (let i = 0; i < len; i++) for (let j = 0; j < len; j++) s += k[i * len + j] = k1[i]! * k1[j]!;
  for (let i = 0; i < k.length; i++) k[i]! /= s;
  return fromTypedArray(dtype === 'float64' ? k : Float32Array.from(k), [len, len], { dtype });
}

/** Depthwise convolution of every channel of g [N, C, H, W] with `kernel` [k, k], same padding. */
export function smoothChannels(g: Tensor, kernel: Tensor): Tensor {
  const c = g.shape[1]!;
  const k = kernel.shape[0]!;
  const w = kernel.reshape([1, 1, k, k]).broadcastTo([c, 1, k, k]);
  return nn.conv2d(g, w, null, { padding: (k - 1) / 2, groups: c });
}
