import {
  ShapeError,
  Tensor,
  ValueError,
  add,
  fmtShape,
  matmul,
  mlp,
  nn,
  swapAxes,
  tensor,
  type DenseParams,
} from '@difflab/tensor';
import { integer } from '../internal/checks.js';

/**
 * Parameters of a {@link DeepONet}: the branch and trunk MLPs and the output bias.
 *
 * @example
 * ```ts
 * import { deepONet, type DeepONetParams } from '@difflab/pde';
 * const net = deepONet({ sensors: 32, coordDim: 1 });
 * const p: DeepONetParams = net.params;
 * p.branch.length; // 3 dense layers
 * ```
 */
export interface DeepONetParams {
  /** Branch net on the sensor values. */
  branch: DenseParams[];
  /** Trunk net on the query coordinates. */
  trunk: DenseParams[];
  /** Scalar output bias b₀. */
  bias: Tensor;
}

/**
 * Options of {@link deepONet}.
 *
 * @example
 * ```ts
 * import { deepONet, type DeepONetOptions } from '@difflab/pde';
 * const opts: DeepONetOptions = { sensors: 64, coordDim: 2, width: 32, branchHidden: [128], trunkHidden: [64, 64], activation: 'gelu' };
 * const net = deepONet(opts);
 * ```
 */
export interface DeepONetOptions {
  /** Number of sensor values of the input function (branch input size). */
  sensors: number;
  /** Dimension of the query coordinates y (trunk input size). */
  coordDim: number;
  /** Latent width p (default 64). */
  width?: number;
  /** Hidden sizes of the branch and trunk nets (default [64, 64] each). */
  branchHidden?: readonly number[];
  /** Hidden sizes of the trunk net (default [64, 64]). */
  trunkHidden?: readonly number[];
  /** Activation of both nets (default 'tanh'). */
  activation?: 'tanh' | 'relu' | 'gelu' | 'silu';
  /** Seed of the initial weights (default 0). */
  key?: number;
  /** dtype of the weights (default 'float32'). */
  dtype?: 'float32' | 'float64';
}

/**
 * A DeepONet: its parameters and the operator G(u)(y) as a function of them.
 *
 * @example
 * ```ts
 * import { deepONet, type DeepONet } from '@difflab/pde';
 * import { zeros } from '@difflab/tensor';
 * const net: DeepONet = deepONet({ sensors: 16, coordDim: 1 });
 * net.apply(net.params, zeros([5, 16]), zeros([40, 1])).shape; // [5, 40]
 * ```
 */
export interface DeepONet {
  /** Initial parameters. */
  params: DeepONetParams;
  /** G(u)(y) for functions u [B, sensors] at queries y [Q, coordDim] → [B, Q]. */
  apply(params: DeepONetParams, u: Tensor, y: Tensor): Tensor;
}

/**
 * DeepONet (Lu et al. 2021, unstacked): G(u)(y) = Σ_k b_k(u) t_k(y) + b₀ with a branch net on the
 * sensor values of u and a trunk net on the query point y. The trunk's last layer is activated
 * (as in the paper); all queries of a batch share one trunk evaluation.
 *
 * @example
 * ```ts
 * import { deepONet, fitOperator } from '@difflab/pde';
 * import { zeros, type Tensor } from '@difflab/tensor';
 * const net = deepONet({ sensors: 32, coordDim: 1, width: 32 });
 * const y = zeros([32, 1]); // query points
 * const U = zeros([100, 32]); // input functions at the sensors
 * const V = zeros([100, 32]); // outputs at the queries
 * const { params } = await fitOperator((p, u: Tensor) => net.apply(p, u, y), net.params, U, V, { epochs: 10 });
 * ```
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
  const branch = mlp([m, ...(opts.branchHidden ?? [64, 64]), p], {
    activation: act,
    key,
    dtype,
    init: nn.glorotNormal,
  });
  const trunk = mlp([dy, ...(opts.trunkHidden ?? [64, 64]), p], {
    activation: act,
    outputActivation: act,
    key: key + 1,
    dtype,
    init: nn.glorotNormal,
  });
  const apply = (ps: DeepONetParams, u: Tensor, y: Tensor): Tensor => {
    if (u.ndim !== 2 || u.shape[1] !== m)
      throw new ShapeError(`${op}: input functions must be [B, ${m}], got ${fmtShape(u.shape)}`);
    if (y.ndim !== 2 || y.shape[1] !== dy)
      throw new ShapeError(`${op}: queries must be [Q, ${dy}], got ${fmtShape(y.shape)}`);
    return add(matmul(branch.apply(ps.branch, u), swapAxes(trunk.apply(ps.trunk, y), 0, 1)), ps.bias);
  };
  return { params: { branch: branch.params, trunk: trunk.params, bias: tensor(0, { dtype }) }, apply };
}
