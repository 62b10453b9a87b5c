import type { Storage, View } from '../../backend/types.js';

/**
 * Keys under which a device may register linalg kernels in `Backend.kernels`. A device that lacks
 * one falls back to the host kernels in this folder (its tensors are read with `readSync`).
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
 * Contract of a device linalg kernel: `inputs` are the operands with their batch dimensions
 * already broadcast (any strides), `opts` the op's options as documented on the primitive
 * (`lower`, `unit`, `full`, `complete`, `rcond`). It returns fresh contiguous storages in the op's
 * output order (e.g. eigh: eigenvalues, eigenvectors; svd: U, S, Vh; slogdet: sign, logabsdet) and
 * throws `LinAlgError` where the host kernel would.
 */
export type LinalgKernel = (inputs: readonly View[], opts: Readonly<Record<string, unknown>>) => Storage[];
