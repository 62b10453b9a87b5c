import type { GpData, MlpData, PgdData } from '../data.js';

/** One prepared workload for one library. */
export interface Case {
  /** One timed unit of work; when it returns (or its promise resolves) the result is fully computed. */
  run(): void | Promise<void>;
  /** The values compared across libraries: the last result (matmul, chain) or loss + updated params (MLP). */
  check(): Promise<Float32Array>;
  dispose(): void;
}

export interface Library {
  /** Column label in the report. */
  readonly label: string;
  init(): Promise<void>;
  matmul(n: number, a: Float32Array, b: Float32Array): Case;
  /** out = sigmoid(tanh(x * y + 0.5) - y) * x on a [rows, cols] float32 tensor. */
  chain(shape: readonly [number, number], x: Float32Array, y: Float32Array): Case;
  /** One SGD step (forward, softmax cross-entropy, backward, update) of a ReLU MLP. */
  mlp(d: MlpData): Case;
  /** PGD-20 (L-inf, no random start) against a fixed ReLU MLP: the perturbed inputs. Optional. */
  pgd?(d: PgdData): Case;
  /** Gradient of the GP log marginal likelihood (RBF kernel, float64) w.r.t. its 3 log-parameters. Optional. */
  gp?(d: GpData): Case;
}

/** Concatenates float arrays (loss first, then every parameter in layer order: w0, b0, w1, b1, ...). */
export function concat(parts: readonly ArrayLike<number>[]): Float32Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float32Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
