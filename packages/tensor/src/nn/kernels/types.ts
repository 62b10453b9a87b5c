import type { Storage, View } from '../../backend/types.js';

/**
 * Where every sliding window of a 2-D convolution or pooling lies. Shared by the im2col (`unfold`)
 * and col2im (`fold`) kernels so the two stay exact adjoints of each other.
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

/** Keys under which a device may register its own im2col / col2im kernels in `Backend.kernels`. */
export type NnKernelName = 'nn.unfold' | 'nn.fold';

/**
 * `Backend.kernels['nn.unfold']`: `x` is a float view of shape [N, C, H, W] with any strides. Returns a
 * fresh contiguous storage of x's dtype and shape [N, C·kh·kw, oh·ow], rows ordered (c, ki, kj) with
 * c slowest, columns (oy, ox) row-major, entries falling into the padding being 0
 * (`torch.nn.functional.unfold` layout).
 */
export type UnfoldKernel = (x: View, geometry: Im2colGeometry) => Storage;

/**
 * `Backend.kernels['nn.fold']`: the adjoint of {@link UnfoldKernel}. `cols` has shape
 * [N, C·kh·kw, oh·ow] (any strides); every entry is added into the image position its window element
 * covers (overlapping windows accumulate, padding positions are dropped). Returns [N, C, H, W].
 */
export type FoldKernel = (cols: View, geometry: Im2colGeometry) => Storage;
