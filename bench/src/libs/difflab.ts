import {
  add,
  dispose,
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
import type { MlpData } from '../data.js';
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

export const difflab: Library = {
  label: '@difflab/tensor',
  async init() {},

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
};
