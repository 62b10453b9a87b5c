import { ShapeError, Tensor, ValueError, add, fmtShape, matmul, mlp, nn, swapAxes, tensor, type DenseParams } from '@difflab/tensor';
import { integer } from '../internal/checks.js';

export interface DeepONetParams {
  branch: DenseParams[];
  trunk: DenseParams[];
  bias: Tensor;
}

export interface DeepONetOptions {
  /** Number of sensor values of the input function (branch input size). */
  sensors: number;
  /** Dimension of the query coordinates y (trunk input size). */
  coordDim: number;
  /** Latent width p (default 64). */
  width?: number;
  /** Hidden sizes of the branch and trunk nets (default [64, 64] each). */
  branchHidden?: readonly number[];
  trunkHidden?: readonly number[];
  activation?: 'tanh' | 'relu' | 'gelu' | 'silu';
  key?: number;
  dtype?: 'float32' | 'float64';
}

export interface DeepONet {
  params: DeepONetParams;
  /** G(u)(y) for functions u [B, sensors] at queries y [Q, coordDim] → [B, Q]. */
  apply(params: DeepONetParams, u: Tensor, y: Tensor): Tensor;
}

/**
 * DeepONet (Lu et al. 2021, unstacked): G(u)(y) = Σ_k b_k(u) t_k(y) + b₀ with a branch net on the
 * sensor values of u and a trunk net on the query point y. The trunk's last layer is activated
 * (as in the paper); all queries of a batch share one trunk evaluation.
 */
export function deepONet(opts: DeepONetOptions): DeepONet {
  const op = 'deepONet';
  const m = integer(op, 'sensors', opts.sensors, 1);
  const dy = integer(op, 'coordDim', opts.coordDim, 1);
  const p = integer(op, 'width', opts.width ?? 64, 1);
  const act = opts.activation ?? 'tanh';
  if (!['tanh', 'relu', 'gelu', 'silu'].includes(act)) throw new ValueError(`${op}: unknown activation '${act}'`);
  const dtype = opts.dtype ?? 'float32';
  const key = opts.key ?? 0;
  const branch = mlp([m, ...(opts.branchHidden ?? [64, 64]), p], { activation: act, key, dtype, init: nn.glorotNormal });
  const trunk = mlp([dy, ...(opts.trunkHidden ?? [64, 64]), p], { activation: act, outputActivation: act, key: key + 1, dtype, init: nn.glorotNormal });
  const apply = (ps: DeepONetParams, u: Tensor, y: Tensor): Tensor => {
    if (u.ndim !== 2 || u.shape[1] !== m) throw new ShapeError(`${op}: input functions must be [B, ${m}], got ${fmtShape(u.shape)}`);
    if (y.ndim !== 2 || y.shape[1] !== dy) throw new ShapeError(`${op}: queries must be [Q, ${dy}], got ${fmtShape(y.shape)}`);
    return add(matmul(branch.apply(ps.branch, u), swapAxes(trunk.apply(ps.trunk, y), 0, 1)), ps.bias);
  };
  return { params: { branch: branch.params, trunk: trunk.params, bias: tensor(0, { dtype }) }, apply };
}
