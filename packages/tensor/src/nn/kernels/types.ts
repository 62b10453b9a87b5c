import type { Storage, View } from '../../backend/types.js';

/**
 * Where every sliding window of a 2-D convolution or pooling lies, as passed to device
 * {@link UnfoldKernel} / {@link FoldKernel} implementations.
 *
 * Shared by the im2col (`unfold`) and col2im (`fold`) kernels so the two stay exact adjoints of
 * each other.
 *
 * @example
 * ```ts
 * import type { Im2colGeometry } from '@difflab/tensor';
 * // The windows of a 3×3 convolution with padding 1 over a 5×5 image.
 * const g: Im2colGeometry = {
 *   kernel: [3, 3], stride: [1, 1], dilation: [1, 1], padding: [1, 1, 1, 1], inputSize: [5, 5], outputSize: [5, 5],
 * };
 * g.outputSize[0] * g.outputSize[1]; // => 25
 * ```
 */
export interface Im2colGeometry {
  /** Window size [kh, kw]. */
  readonly kernel: readonly [number, number];
  /** Step between window positions [sh, sw]. */
  readonly stride: readonly [number, number];
  /** Spacing between window elements [dh, dw]. */
  readonly dilation: readonly [number, number];
  /** Zero padding [top, bottom, left, right]; may be asymmetric ('same' convolutions need that). */
  readonly padding: readonly [number, number, number, number];
  /** Unpadded spatial size [H, W] of the image side. */
  readonly inputSize: readonly [number, number];
  /** Number of window positions [oh, ow]. */
  readonly outputSize: readonly [number, number];
}

/**
 * Keys under which a device may register its own im2col / col2im kernels in `Backend.kernels`.
 *
 * Without them, a backend with synchronous reads uses the host loops and any other backend a
 * gather / scatterAdd formulation that keeps the data on the device.
 *
 * @example
 * ```ts
 * import { getBackend, type NnKernelName } from '@difflab/tensor';
 * const key: NnKernelName = 'nn.unfold';
 * getBackend('cpu').kernels?.[key]; // => undefined
 * ```
 */
export type NnKernelName = 'nn.unfold' | 'nn.fold';

/**
 * Contract of a device im2col kernel, `Backend.kernels['nn.unfold']`.
 *
 * `x` is a float view of shape [N, C, H, W] with any strides. Returns a fresh contiguous storage of
 * x's dtype and shape [N, C·kh·kw, oh·ow], rows ordered (c, ki, kj) with c slowest, columns
 * (oy, ox) row-major, entries falling into the padding being 0 (`torch.nn.functional.unfold`
 * layout).
 *
 * @example
 * ```ts
 * import { cpuBackend, registerBackend, nn, ones, type Backend, type UnfoldKernel } from '@difflab/tensor';
 * // A device handling only pointwise (1×1, stride 1, unpadded) windows: the columns are the image.
 * const pointwise: UnfoldKernel = (x, g) => {
 *   if (g.kernel[0] * g.kernel[1] !== 1 || g.stride[0] * g.stride[1] !== 1 || g.padding.some((p) => p > 0))
 *     throw new Error('pointwise windows only');
 *   return dev.copy(x);
 * };
 * const dev: Backend = Object.create(cpuBackend, { name: { value: 'pw' }, kernels: { value: { 'nn.unfold': pointwise } } });
 * registerBackend('pw', dev);
 * nn.unfold(ones([1, 2, 2, 2], { device: 'pw' }), 1).shape; // => [1, 2, 4]
 * ```
 */
export type UnfoldKernel = (x: View, geometry: Im2colGeometry) => Storage;

/**
 * Contract of a device col2im kernel, `Backend.kernels['nn.fold']`: the adjoint of
 * {@link UnfoldKernel}.
 *
 * `cols` has shape [N, C·kh·kw, oh·ow] (any strides); every entry is added into the image position
 * its window element covers (overlapping windows accumulate, padding positions are dropped).
 * Returns a fresh contiguous storage of shape [N, C, H, W].
 *
 * @example
 * ```ts
 * import { cpuBackend, registerBackend, nn, ones, type Backend, type FoldKernel } from '@difflab/tensor';
 * // Pointwise windows only: each pixel is covered once, so col2im is a plain copy.
 * const pointwise: FoldKernel = (cols, g) => {
 *   if (g.kernel[0] * g.kernel[1] !== 1 || g.stride[0] * g.stride[1] !== 1) throw new Error('pointwise windows only');
 *   return dev.copy(cols);
 * };
 * const dev: Backend = Object.create(cpuBackend, { name: { value: 'pwfold' }, kernels: { value: { 'nn.fold': pointwise } } });
 * registerBackend('pwfold', dev);
 * nn.fold(ones([1, 2, 4], { device: 'pwfold' }), 2, 1).shape; // => [1, 2, 2, 2]
 * ```
 */
export type FoldKernel = (cols: View, geometry: Im2colGeometry) => Storage;
