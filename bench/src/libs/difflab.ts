import { availableParallelism } from 'node:os';
import {
  add,
  cpuKernels,
  cpuThreadsReady,
  dispose,
  exp,
  eye,
  grad,
  linalg,
  log,
  maximum,
  minimum,
  setCpuKernels,
  setNumThreads,
  sign,
  sum,
  valueAndGrad as vg,
  fromTypedArray,
  logSoftmax,
  matmul,
  mean,
  mul,
  neg,
  relu,
  sub,
  takeAlongAxis,
  tidy,
  tree,
  valueAndGrad,
  type Tensor,
} from '@difflab/tensor';
import type { GpData, MlpData, PgdData } from '../data.js';
import { concat, type Case, type Library } from './types.js';

interface Params {
  w: Tensor[];
  b: Tensor[];
}

function mlpLoss(p: Params, x: Tensor, y: Tensor): Tensor {
  let h = x;
  for (let l = 0; l < p.w.length; l++) {
    h = add(matmul(h, p.w[l]!), p.b[l]!);
    if (l + 1 < p.w.length) h = relu(h);
  }
  return neg(mean(takeAlongAxis(logSoftmax(h, -1), y, 1)));
}

function forward(p: Params, x: Tensor): Tensor {
  let h = x;
  for (let l = 0; l < p.w.length; l++) {
    h = add(matmul(h, p.w[l]!), p.b[l]!);
    if (l + 1 < p.w.length) h = relu(h);
  }
  return h;
}

/**
 * difflab on the CPU backend with the given kernels: `auto` is what users get (WebAssembly SIMD
 * where it pays off, on `threads` threads), `ts` the TypeScript reference kernels.
 */
function difflabOn(kernels: 'auto' | 'ts', threads: number, label: string): Library {
  return {
    label,
    async init() {
      setCpuKernels(kernels);
      setNumThreads(threads);
      if (kernels !== 'ts') {
        await cpuThreadsReady();
        if (!cpuKernels().wasm) throw new Error('difflab: WebAssembly SIMD kernels unavailable');
      }
    },

    matmul(n, aData, bData) {
      const a = fromTypedArray(aData, [n, n]);
      const b = fromTypedArray(bData, [n, n]);
      let out: Tensor | null = null;
      return {
        run() {
          out?.dispose();
          out = matmul(a, b);
        },
        async check() {
          return out!.dataSync() as Float32Array;
        },
        dispose() {
          dispose([a, b, out]);
        },
      };
    },

    chain([r, c], xData, yData) {
      const x = fromTypedArray(xData, [r, c]);
      const y = fromTypedArray(yData, [r, c]);
      let out: Tensor | null = null;
      return {
        run() {
          out?.dispose();
          out = tidy(() => x.mul(y).add(0.5).tanh().sub(y).sigmoid().mul(x));
        },
        async check() {
          return out!.dataSync() as Float32Array;
        },
        dispose() {
          dispose([x, y, out]);
        },
      };
    },

    mlp(d: MlpData): Case {
      const sizes = d.sizes;
      let params: Params = {
        w: d.weights.map((w, l) => fromTypedArray(w, [sizes[l]!, sizes[l + 1]!])),
        b: d.biases.map((b) => fromTypedArray(b, [b.length])),
      };
      const x = fromTypedArray(d.x, [d.batch, sizes[0]!]);
      const y = fromTypedArray(d.y, [d.batch, 1]);
      const step = valueAndGrad(mlpLoss);
      let loss: Tensor | null = null;
      return {
        run() {
          const next = tidy(() => {
            const [value, grads] = step(params, x, y) as [Tensor, Params];
            const updated = tree.map((p: Tensor, g: Tensor) => sub(p, mul(g, d.lr)), params, grads) as Params;
            return { value, updated };
          });
          dispose(params);
          loss?.dispose();
          params = next.updated;
          loss = next.value;
        },
        async check() {
          const parts: ArrayLike<number>[] = [loss!.dataSync()];
          for (let l = 0; l < params.w.length; l++) parts.push(params.w[l]!.dataSync(), params.b[l]!.dataSync());
          return concat(parts);
        },
        dispose() {
          dispose([params, x, y, loss]);
        },
      };
    },

    pgd(d: PgdData): Case {
      const s = d.sizes;
      const params: Params = {
        w: d.weights.map((w, l) => fromTypedArray(w, [s[l]!, s[l + 1]!])),
        b: d.biases.map((b) => fromTypedArray(b, [b.length])),
      };
      const x0 = fromTypedArray(d.x, [d.batch, s[0]!]);
      const y = fromTypedArray(d.y, [d.batch, 1]);
      const lo = maximum(sub(x0, d.eps), 0);
      const hi = minimum(add(x0, d.eps), 1);
      const lossGrad = grad((x: Tensor) => neg(mean(takeAlongAxis(logSoftmax(forward(params, x), -1), y, 1))));
      let adv: Tensor | null = null;
      return {
        run() {
          adv?.dispose();
          let x = x0;
          for (let t = 0; t < d.steps; t++) {
            const next = tidy(() => minimum(maximum(add(x, mul(sign(lossGrad(x) as Tensor), d.alpha)), lo), hi));
            if (x !== x0) x.dispose();
            x = next;
          }
          adv = x;
        },
        async check() {
          return Float32Array.from(adv!.dataSync());
        },
        dispose() {
          dispose([params, x0, y, lo, hi, adv]);
        },
      };
    },

    gp(d: GpData): Case {
      const { n } = d;
      const X = fromTypedArray(d.x, [n, d.d], { dtype: 'float64' });
      const Y = fromTypedArray(d.y, [n, 1], { dtype: 'float64' });
      // Squared distances are data, computed once: sum_k (x_ik - x_jk)^2.
      const diff = sub(X.reshape([n, 1, d.d]), X.reshape([1, n, d.d]));
      const D2 = sum(mul(diff, diff), -1);
      diff.dispose();
      const I = eye(n, n, { dtype: 'float64' });
      const halfLog2Pi = 0.5 * n * Math.log(2 * Math.PI);
      const nll = (theta: Tensor): Tensor => {
        const [le, lsf, lsn] = [theta.slice(0), theta.slice(1), theta.slice(2)];
        const K = add(mul(exp(lsf), exp(mul(D2, mul(exp(mul(le, -2)), -0.5)))), mul(I, exp(lsn)));
        const L = linalg.cholesky(K);
        const alpha = linalg.triangularSolve(L, Y);
        return add(add(mul(sum(mul(alpha, alpha)), 0.5), sum(log(linalg.diagonal(L)))), halfLog2Pi);
      };
      const step = vg(nll);
      const theta = fromTypedArray(d.theta, [3], { dtype: 'float64' });
      let out: Float32Array | null = null;
      return {
        run() {
          out = tidy(() => {
            const [v, g] = step(theta) as [Tensor, Tensor];
            return Float32Array.from([...v.dataSync(), ...g.dataSync()]);
          });
        },
        async check() {
          return out!;
        },
        dispose() {
          dispose([X, Y, D2, I, theta]);
        },
      };
    },
  };
}

/** The library default: min(cores, 4) threads. */
export const difflab = difflabOn('auto', Math.min(availableParallelism(), 4), '@difflab/tensor');
export const difflab1t = difflabOn('auto', 1, 'difflab 1 thread');
export const difflabTs = difflabOn('ts', 1, 'difflab TS kernels');
