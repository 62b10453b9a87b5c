import type { Storage, View } from '../../backend/types.js';

/**
 * Keys under which a device may register linalg kernels in `Backend.kernels`.
 *
 * A device that lacks one falls back to the host kernels (its tensors are read with `readSync`,
 * computed in float64 and uploaded back); a device without `readSync` must provide them.
 *
 * @example
 * ```ts
 * import { getBackend, type LinalgKernelName } from '@difflab/tensor';
 * const key: LinalgKernelName = 'linalg.cholesky';
 * getBackend('cpu').kernels?.[key]; // => undefined
 * ```
 */
export type LinalgKernelName =
  | 'linalg.cholesky'
  | 'linalg.triangularSolve'
  | 'linalg.solve'
  | 'linalg.inv'
  | 'linalg.det'
  | 'linalg.slogdet'
  | 'linalg.eigh'
  | 'linalg.svd'
  | 'linalg.qr'
  | 'linalg.lstsq';

/**
 * Contract of a device linalg kernel, registered under a {@link LinalgKernelName} in
 * `Backend.kernels`.
 *
 * `inputs` are the operands with their batch dimensions already broadcast (any strides), `opts`
 * the op's options as documented on the primitive (`lower`, `unit`, `full`, `complete`, `rcond`).
 * It returns fresh contiguous storages in the op's output order (e.g. eigh: eigenvalues,
 * eigenvectors; svd: U, S, Vh; slogdet: sign, logabsdet) and throws `LinAlgError` where the host
 * kernel would. Gradients need no kernel of their own: they are written with the primitives.
 *
 * @example
 * ```ts
 * import { cpuBackend, registerBackend, linalg, tensor, type Backend, type LinalgKernel } from '@difflab/tensor';
 * // A device whose det kernel handles float64 2×2 matrices in closed form (no LU on the host).
 * const det2: LinalgKernel = ([a]) => {
 *   const m = cpuBackend.readSync(a!);
 *   const out = new Float64Array(m.length / 4);
 *   for (let i = 0; i < out.length; i++) out[i] = m[4 * i]! * m[4 * i + 3]! - m[4 * i + 1]! * m[4 * i + 2]!;
 *   return [dev.fromHost(out, 'float64')];
 * };
 * const dev: Backend = Object.create(cpuBackend, { name: { value: 'det2' }, kernels: { value: { 'linalg.det': det2 } } });
 * registerBackend('det2', dev);
 * linalg.det(tensor([[1, 2], [3, 4]], { dtype: 'float64', device: 'det2' })).item(); // => -2
 * ```
 */
export type LinalgKernel = (inputs: readonly View[], opts: Readonly<Record<string, unknown>>) => Storage[];
