import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { MlpData, PgdData } from '../data.js';
import { concat, type Case, type Library } from './types.js';

/**
 * TensorFlow.js on one of its CPU backends. Both run every kernel synchronously when the op is
 * called (cpu: JS loops, wasm: XNNPACK), so a returned tensor is already computed.
 */
function tfjsOn(backend: 'cpu' | 'wasm'): Library {
  return {
    label: `tfjs ${backend}`,

    async init() {
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend '${backend}' failed to initialise`);
      await tf.ready();
    },

    matmul(n, aData, bData) {
      const a = tf.tensor2d(aData, [n, n]);
      const b = tf.tensor2d(bData, [n, n]);
      let out: tf.Tensor | null = null;
      return {
        run() {
          out?.dispose();
          out = tf.matMul(a, b);
        },
        async check() {
          return out!.dataSync() as Float32Array;
        },
        dispose() {
          tf.dispose([a, b, out!]);
        },
      };
    },

    chain([r, c], xData, yData) {
      const x = tf.tensor2d(xData, [r, c]);
      const y = tf.tensor2d(yData, [r, c]);
      let out: tf.Tensor | null = null;
      return {
        run() {
          out?.dispose();
          out = tf.tidy(() => tf.sigmoid(tf.tanh(x.mul(y).add(0.5)).sub(y)).mul(x));
        },
        async check() {
          return out!.dataSync() as Float32Array;
        },
        dispose() {
          tf.dispose([x, y, out!]);
        },
      };
    },

    mlp(d: MlpData): Case {
      const s = d.sizes;
      const ws = d.weights.map((w, l) => tf.variable(tf.tensor2d(w, [s[l]!, s[l + 1]!])));
      const bs = d.biases.map((b) => tf.variable(tf.tensor1d(b)));
      const x = tf.tensor2d(d.x, [d.batch, s[0]!]);
      const y = tf.tensor2d(d.yOneHot, [d.batch, s[s.length - 1]!]);
      const opt = tf.train.sgd(d.lr);
      const vars = ws.flatMap((w, l) => [w, bs[l]!]);
      let loss: tf.Scalar | null = null;
      const objective = (): tf.Scalar => {
        let h: tf.Tensor2D = x;
        for (let l = 0; l < ws.length; l++) {
          h = tf.add(tf.matMul(h, ws[l]!), bs[l]!);
          if (l + 1 < ws.length) h = tf.relu(h);
        }
        return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
      };
      return {
        run() {
          loss?.dispose();
          loss = opt.minimize(objective, true, vars);
        },
        async check() {
          const parts: ArrayLike<number>[] = [loss!.dataSync()];
          for (let l = 0; l < ws.length; l++) parts.push(ws[l]!.dataSync(), bs[l]!.dataSync());
          return concat(parts);
        },
        dispose() {
          tf.dispose([...vars, x, y, loss!]);
          opt.dispose();
        },
      };
    },

    pgd(d: PgdData): Case {
      const s = d.sizes;
      const ws = d.weights.map((w, l) => tf.tensor2d(w, [s[l]!, s[l + 1]!]));
      const bs = d.biases.map((b) => tf.tensor1d(b));
      const x0 = tf.tensor2d(d.x, [d.batch, s[0]!]);
      const y = tf.tensor2d(d.yOneHot, [d.batch, s[s.length - 1]!]);
      const lo = tf.maximum(x0.sub(d.eps), 0);
      const hi = tf.minimum(x0.add(d.eps), 1);
      const lossGrad = tf.grad((x: tf.Tensor) => {
        let h = x as tf.Tensor2D;
        for (let l = 0; l < ws.length; l++) {
          h = tf.add(tf.matMul(h, ws[l]!), bs[l]!);
          if (l + 1 < ws.length) h = tf.relu(h);
        }
        return tf.losses.softmaxCrossEntropy(y, h);
      });
      let adv: tf.Tensor | null = null;
      return {
        run() {
          adv?.dispose();
          let x: tf.Tensor = x0;
          for (let t = 0; t < d.steps; t++) {
            const next = tf.tidy(() => tf.minimum(tf.maximum(x.add(tf.sign(lossGrad(x)).mul(d.alpha)), lo), hi));
            if (x !== x0) x.dispose();
            x = next;
          }
          adv = x;
        },
        async check() {
          return adv!.dataSync() as Float32Array;
        },
        dispose() {
          tf.dispose([...ws, ...bs, x0, y, lo, hi, adv!]);
        },
      };
    },
  };
}

export const tfjsCpu = tfjsOn('cpu');
export const tfjsWasm = tfjsOn('wasm');
