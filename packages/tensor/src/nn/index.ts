import { conv1d, conv2d } from './conv.js';
import { dropout } from './dropout.js';
import {
  calculateGain,
  fans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  zerosInit,
} from './init.js';
import { linear } from './linear.js';
import { mlp } from './mlp.js';
import { batchNorm, groupNorm, layerNorm } from './norm.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from './pool.js';
import { fold, unfold } from './unfold.js';

export type { Conv1dOptions, Conv2dOptions } from './conv.js';
export type { DropoutOptions } from './dropout.js';
export type { HeOptions, InitOptions, Initializer, Nonlinearity } from './init.js';
export type {
  Activation as MlpActivation,
  ActivationName as MlpActivationName,
  DenseParams,
  Mlp,
  MlpOptions,
} from './mlp.js';
export type { BatchNormOptions, BatchNormResult } from './norm.js';
export type { AvgPool2dOptions, MaxPool2dOptions } from './pool.js';
export type { NnKey } from './rng.js';
export type { UnfoldOptions } from './unfold.js';
export type { FoldKernel, Im2colGeometry, NnKernelName, UnfoldKernel } from './kernels/types.js';

/**
 * Functional neural-network layers (`torch.nn.functional`, plus `torch.nn.init` initializers and a
 * small {@link mlp} builder).
 *
 * PyTorch's argument meaning and layouts: NCHW images, linear weights [out, in], convolution
 * weights [out, in/groups, kh, kw]. Every layer is a pure function of tensors, differentiable to
 * any order; randomness comes from an explicit key. Convolutions run as im2col (`unfold`, whose
 * VJP is `fold`) plus a batched matmul; a device may supply its own im2col/col2im kernels as
 * `Backend.kernels['nn.unfold']` / `['nn.fold']` (see {@link UnfoldKernel}).
 *
 * @example
 * ```ts
 * import { nn, random, relu, zeros } from '@difflab/tensor';
 * const [k1, k2] = random.splitN(random.key(0));
 * const w = nn.heNormal(k1, [8, 3, 3, 3]);
 * const x = random.normal(k2, [2, 3, 16, 16]);
 * const h = nn.maxPool2d(relu(nn.conv2d(x, w, zeros([8]), { padding: 1 })), { kernelSize: 2 });
 * h.shape; // => [2, 8, 8, 8]
 * nn.adaptiveAvgPool2d(h, 1).reshape([2, 8]).shape; // => [2, 8]
 * ```
 *
 * @namespace
 */
export const nn = {
  // `@function` makes typedoc document each member with the function's own doc comment.
  /** @function */
  linear,
  /** @function */
  conv1d,
  /** @function */
  conv2d,
  /** @function */
  unfold,
  /** @function */
  fold,
  /** @function */
  maxPool2d,
  /** @function */
  avgPool2d,
  /** @function */
  adaptiveAvgPool2d,
  /** @function */
  dropout,
  /** @function */
  layerNorm,
  /** @function */
  batchNorm,
  /** @function */
  groupNorm,
  /** @function */
  glorotUniform,
  /** @function */
  glorotNormal,
  /** @function */
  heNormal,
  /** @function */
  heUniform,
  /** @function */
  lecunNormal,
  /** @function */
  lecunUniform,
  /** @function */
  zerosInit,
  /** @function */
  calculateGain,
  /** @function */
  fans,
  /** @function */
  mlp,
};

export { mlp };
