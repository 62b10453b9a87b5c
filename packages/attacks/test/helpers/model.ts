import { argmax, nn, tensor, type Tensor } from '@difflab/tensor';
import type { Model } from '../../src/index.js';
import { digitsTensors, loadFixture } from './fixtures.js';

/** The 64-32-10 ReLU MLP of the parity fixture (trained by PyTorch on digits, ~97% test accuracy). */
export function fixtureMlp(dtype: 'float32' | 'float64' = 'float32') {
  const fx = loadFixture('attacks-parity.json');
  const params = fx.params.map((l: any) => ({ w: tensor(l.w, { dtype }), b: tensor(l.b, { dtype }) }));
  const net = nn.mlp([64, 32, 10]);
  const flat: Model = (x: Tensor) => net.apply(params, x.reshape([x.shape[0]!, 64]));
  return { params, apply: net.apply, model: flat };
}

/** Test digits the fixture model classifies correctly (first n of them), flat [n, 64]. */
export function correctDigits(model: Model, n: number, dtype: 'float32' | 'float64' = 'float32', offset = 0) {
  const { x, y } = digitsTensors('test', undefined, dtype);
  const pred = argmax(model(x), 1).dataSync();
  const yd = y.dataSync();
  const idx: number[] = [];
  for (let i = offset; i < yd.length && idx.length < n; i++) if (pred[i] === yd[i]) idx.push(i);
  const rows = x.gather(idx, 0);
  return {
    x: rows,
    y: tensor(
      idx.map((i) => yd[i]!),
      { dtype: 'int32' },
    ),
  };
}

export function accuracy(model: Model, x: Tensor, y: Tensor): number {
  const p = argmax(model(x), 1).dataSync();
  const t = y.dataSync();
  let k = 0;
  for (let i = 0; i < t.length; i++) k += +(p[i] === t[i]);
  return k / t.length;
}
