import { describe, expect, it } from 'vitest';
import * as dl from '../src/index.js';
import {
  contiguous,
  flip,
  fromTypedArray,
  grad,
  sum,
  tensor,
  where,
  type Tensor,
  type TensorLike,
} from '../src/index.js';
import { gradcheck } from './helpers/gradcheck.js';
import { fixtureSuite } from './helpers/ops-suite.js';

fixtureSuite('binary');
fixtureSuite('compare');
fixtureSuite('select');

const ARITH: [string, (a: TensorLike, b: TensorLike) => Tensor][] = [
  ['add', dl.add],
  ['sub', dl.sub],
  ['mul', dl.mul],
  ['div', dl.div],
  ['pow', dl.pow],
  ['maximum', dl.maximum],
  ['minimum', dl.minimum],
  ['atan2', dl.atan2],
  ['mod', dl.mod],
];

function grid(lo: number, hi: number, shape: number[], phase = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = lo + (hi - lo) * (((i * 0.618 + phase) % 1) + 0.01);
  return fromTypedArray(d, shape, { dtype: 'float64' });
}

describe('binary ops on strided and broadcast views', () => {
  for (const [name, f] of ARITH) {
    it(`${name}: transposed / flipped / stride-0 operands match contiguous ones`, () => {
      const a = grid(0.5, 2, [3, 4]);
      const b = grid(0.6, 1.9, [3, 4], 0.37);
      const ref = f(a, b).toArray();
      expect(f(contiguous(a.T).T, flip(contiguous(flip(b, 0)), 0)).toArray()).toEqual(ref);
      const row = b.slice(0);
      const viaBroadcast = f(a, row.broadcastTo([3, 4])).toArray();
      expect(viaBroadcast).toEqual(f(a, row.reshape([1, 4])).toArray());
    });
  }
});

describe('second derivatives of binary ops (float64 finite differences)', () => {
  const domains: Record<string, [number, number, number, number]> = {
    pow: [0.5, 2, -1.5, 1.5],
    div: [-2, 2, 0.5, 2],
    mod: [0.2, 0.9, 1.1, 1.9],
  };
  for (const [name, f] of ARITH) {
    if (name === 'maximum' || name === 'minimum') continue;
    it(name, () => {
      const [alo, ahi, blo, bhi] = domains[name] ?? [-2, 2, -1.5, 1.7];
      const a = grid(alo, ahi, [2, 3]);
      const b = grid(blo, bhi, [3], 0.21);
      const g = (x: Tensor, y: Tensor) =>
        grad((p: Tensor, q: Tensor) => sum(f(p, q).mul(f(p, q))), { argnums: [0, 1] })(x, y) as Tensor[];
      gradcheck((x, y) => g(x, y)[0]!, [a, b], { rtol: 1e-5, atol: 1e-6 });
      gradcheck((x, y) => g(x, y)[1]!, [a, b], { rtol: 1e-5, atol: 1e-6 });
    });
  }
});

describe('dtype promotion', () => {
  const i32 = tensor([1, 2, 3], { dtype: 'int32' });
  const f32 = tensor([0.5, 1.5, 2.5]);
  const f64 = tensor([0.25, 0.5, 0.75], { dtype: 'float64' });
  const b = tensor([true, false, true]);
  it('follows bool < int32 < float32 < float64, numbers adopt the tensor dtype', () => {
    expect(dl.add(b, b).dtype).toBe('int32');
    expect(dl.add(i32, b).dtype).toBe('int32');
    expect(dl.add(i32, f32).dtype).toBe('float32');
    expect(dl.add(f32, f64).dtype).toBe('float64');
    expect(dl.add(f32, 2).dtype).toBe('float32');
    expect(dl.add(i32, 2).dtype).toBe('int32');
    expect(dl.add(i32, 2.5).dtype).toBe('float32');
    expect(dl.add(i32, 2.5).toArray()).toEqual([3.5, 4.5, 5.5]);
    expect(dl.mul(f64, 3).dtype).toBe('float64');
  });
  it('true division of integers gives floats (regression: was truncated to int32)', () => {
    const q = dl.div(i32, 2);
    expect(q.dtype).toBe('float32');
    expect(q.toArray()).toEqual([0.5, 1, 1.5]);
    expect(dl.div(tensor([7], { dtype: 'int32' }), tensor([2], { dtype: 'int32' })).toArray()).toEqual([3.5]);
    expect(dl.atan2(i32, i32).dtype).toBe('float32');
  });
  it('integer arithmetic stays exact', () => {
    expect(dl.mul(i32, i32).toArray()).toEqual([1, 4, 9]);
    expect(dl.pow(i32, 2).toArray()).toEqual([1, 4, 9]);
    expect(dl.mod(tensor([-7, 7, -7], { dtype: 'int32' }), tensor([3, -3, -3], { dtype: 'int32' })).toArray()).toEqual([
      2, -2, -1,
    ]);
  });
  it('a float32 input mixed with float64 gets a float32 gradient (regression: was float64)', () => {
    for (const f of [dl.add, dl.sub, dl.mul, dl.div, dl.pow, dl.maximum, dl.atan2]) {
      const [ga, gb] = grad((x: Tensor, y: Tensor) => sum(f(x, y)), { argnums: [0, 1] })(f32, f64) as Tensor[];
      expect(ga!.dtype).toBe('float32');
      expect(gb!.dtype).toBe('float64');
    }
    const gw = grad((x: Tensor) => sum(where(dl.greater(f64, 0.3), x, f64)))(f32) as Tensor;
    expect(gw.dtype).toBe('float32');
    expect(gw.toArray()).toEqual([0, 1, 1]);
  });
});

describe('comparisons, logical ops, where and clamp', () => {
  it('comparisons return bool and broadcast, NaN compares unequal', () => {
    const x = tensor([
      [1, NaN],
      [3, 4],
    ]);
    expect(dl.equal(x, x).toArray()).toEqual([
      [true, false],
      [true, true],
    ]);
    expect(dl.notEqual(x, x).toArray()).toEqual([
      [false, true],
      [false, false],
    ]);
    expect(dl.less(x, tensor([2, 5])).toArray()).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(dl.greaterEqual(3, x).toArray()).toEqual([
      [true, false],
      [true, false],
    ]);
    expect(dl.isclose(tensor([1, 1.000001, 2]), tensor([1, 1, 2.1])).toArray()).toEqual([true, true, false]);
  });
  it('logical ops on bool tensors', () => {
    const a = tensor([true, true, false, false]);
    const b = tensor([true, false, true, false]);
    expect(dl.logicalAnd(a, b).toArray()).toEqual([true, false, false, false]);
    expect(dl.logicalOr(a, b).toArray()).toEqual([true, true, true, false]);
    expect(dl.logicalXor(a, b).toArray()).toEqual([false, true, true, false]);
  });
  it('where takes numbers on either branch and routes gradients', () => {
    const c = tensor([true, false, true]);
    expect(where(c, 1, 0).toArray()).toEqual([1, 0, 1]);
    const x = tensor([1, 2, 3], { dtype: 'float64' });
    expect(where(c, x, -1).toArray()).toEqual([1, -1, 3]);
    const [gx, gy] = grad((p: Tensor, q: Tensor) => sum(where(c, p, q).mul(tensor([1, 2, 3], { dtype: 'float64' }))), {
      argnums: [0, 1],
    })(x, tensor([5], { dtype: 'float64' })) as Tensor[];
    expect(gx!.toArray()).toEqual([1, 0, 3]);
    expect(gy!.toArray()).toEqual([2]);
  });
  it('where does not leak NaN gradients from the unselected branch when guarded', () => {
    const x = tensor([0, 4], { dtype: 'float64' });
    const safe = (v: Tensor) => {
      const pos = dl.greater(v, 0);
      return where(pos, dl.sqrt(where(pos, v, 1)), 0);
    };
    expect((grad((v: Tensor) => sum(safe(v)))(x) as Tensor).toArray()).toEqual([0, 0.25]);
  });
  it('clamp with one or both bounds; gradient is 1 inside and on the boundary, 0 outside (PyTorch)', () => {
    const x = tensor([-2, -1, 0, 1, 2], { dtype: 'float64' });
    expect(dl.clamp(x, -1, 1).toArray()).toEqual([-1, -1, 0, 1, 1]);
    expect(dl.clamp(x, null, 0.5).toArray()).toEqual([-2, -1, 0, 0.5, 0.5]);
    expect(dl.clamp(x, 0).toArray()).toEqual([0, 0, 0, 1, 2]);
    expect(x.clamp(-1.5, 1.5).toArray()).toEqual([-1.5, -1, 0, 1, 1.5]);
    expect((grad((v: Tensor) => sum(dl.clamp(v, -1, 1)))(x) as Tensor).toArray()).toEqual([0, 1, 1, 1, 0]);
    const lo = tensor([0, 0, 0, 0, 3], { dtype: 'float64' });
    expect(dl.clamp(x, lo).toArray()).toEqual([0, 0, 0, 1, 3]);
  });
  it('maximum and minimum propagate NaN like NumPy', () => {
    expect(Array.from(dl.maximum(tensor([NaN, 1]), tensor([0, NaN])).dataSync())).toEqual([NaN, NaN]);
    expect(Array.from(dl.minimum(tensor([NaN, 1]), 0).dataSync())).toEqual([NaN, 0]);
  });
});
