import type { BinaryOp, DType, UnaryOp } from '@difflab/tensor';

/**
 * A pending elementwise computation: a tree whose leaves read strided views of other device arrays
 * (or scalar constants). Trees never share nodes; sharing happens through {@link GpuData} leaves.
 */
export type Expr =
  | { k: 'leaf'; h: GpuData; shape: readonly number[]; strides: readonly number[]; offset: number; dtype: DType }
  | { k: 'const'; value: number; dtype: DType }
  | { k: 'unary'; op: UnaryOp; x: Expr; dtype: DType }
  | { k: 'cast'; x: Expr; dtype: DType }
  | { k: 'binary'; op: BinaryOp; a: Expr; b: Expr; dtype: DType }
  | { k: 'where'; c: Expr; a: Expr; b: Expr; dtype: DType };

/**
 * What `Storage.data` holds on the webgpu device: a contiguous device array that is either
 * materialised (`buffer`) or still lazy (`expr`, compiled into one fused kernel when something needs
 * the values). `owners` counts the tensor-side storage plus every lazy expression that reads it; the
 * buffer returns to the pool when it reaches zero.
 */
export class GpuData {
  buffer: GPUBuffer | null = null;
  expr: Expr | null = null;
  owners = 1;
  /** Set once the tensor-side owner has let go (free() or garbage collection), so it happens once. */
  released = false;
  constructor(
    readonly dtype: DType,
    readonly size: number,
  ) {}

  get lazy(): boolean {
    return this.buffer === null;
  }
}
