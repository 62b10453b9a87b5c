import { describe, expect, it } from 'vitest';
import * as dl from '../src/index.js';
import { arange, fromTypedArray, grad, sum, tensor, type Tensor } from '../src/index.js';
import { gradcheck } from './helpers/gradcheck.js';
import { fixtureSuite } from './helpers/ops-suite.js';

fixtureSuite('shape');

function grid(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = -2 + 4 * ((i * 0.618034 + 0.1) % 1);
  return fromTypedArray(d, shape, { dtype: 'float64' });
}

describe('views share storage', () => {
  it('reshape of contiguous data, transpose, slice, flip, broadcastTo and expandDims do not copy', () => {
    const x = arange(24).reshape([2, 3, 4]);
    for (const v of [
      x.reshape([6, 4]),
      x.T,
      x.slice(1, '::2'),
      x.flip(0),
      x.slice(0).broadcastTo([5, 3, 4]),
      x.expandDims(1),
      x.squeeze(),
    ])
      expect(v.storage).toBe(x.storage);
    // A transposed view is not contiguous, so reshaping it copies.
    expect(x.T.reshape([-1]).storage).not.toBe(x.storage);
    expect((x.T.reshape([-1]).toArray() as number[]).slice(0, 4)).toEqual([0, 12, 4, 16]);
  });
  it('a view of a view composes offsets and strides', () => {
    const x = arange(30).reshape([5, 6]);
    const v = x.slice('1:4', '::-2').slice('::-1', 1);
    expect(v.toArray()).toEqual([21, 15, 9]);
  });
});

describe('shape op details', () => {
  it('reshape infers one -1 and accepts size-0 shapes', () => {
    expect(arange(12).reshape([3, -1]).shape).toEqual([3, 4]);
    expect(dl.zeros([0, 4]).reshape([4, 0, 2]).shape).toEqual([4, 0, 2]);
    expect(tensor(5).reshape([1, 1, 1]).toArray()).toEqual([[[5]]]);
  });
  it('slice: numbers drop axes, strings follow Python, object specs and ellipsis', () => {
    const x = arange(24).reshape([2, 3, 4]);
    expect(x.slice(1, -1, '1:').toArray()).toEqual([21, 22, 23]);
    expect(x.slice('...', 0).toArray()).toEqual([
      [0, 4, 8],
      [12, 16, 20],
    ]);
    expect(x.slice(0, { start: 2, step: -1 }, 3).toArray()).toEqual([11, 7, 3]);
    expect(x.slice(0, 0, '10:20').shape).toEqual([0]);
    expect(x.slice(0, 0, '::-3').toArray()).toEqual([3, 0]);
  });
  it('concat promotes dtypes with the usual rules (regression: int32 + bool became float32)', () => {
    expect(dl.concat([tensor([1], { dtype: 'int32' }), tensor([true])]).dtype).toBe('int32');
    expect(dl.concat([tensor([1], { dtype: 'int32' }), tensor([true])]).toArray()).toEqual([1, 1]);
    expect(dl.concat([tensor([1]), tensor([2], { dtype: 'float64' })]).dtype).toBe('float64');
    const [ga] = grad((a: Tensor, b: Tensor) => sum(dl.concat([a, b])), { argnums: [0, 1] })(
      tensor([1]),
      tensor([2], { dtype: 'float64' }),
    ) as Tensor[];
    expect(ga!.dtype).toBe('float32');
  });
  it('split into equal parts and by sizes; pieces are views', () => {
    const x = arange(12).reshape([6, 2]);
    const parts = dl.split(x, 3);
    expect(parts.map((p) => p.shape)).toEqual([
      [2, 2],
      [2, 2],
      [2, 2],
    ]);
    expect(parts[2]!.toArray()).toEqual([
      [8, 9],
      [10, 11],
    ]);
    expect(dl.split(x, [0, 6], 0)[0]!.shape).toEqual([0, 2]);
  });
  it('pad with a constant, then slicing back recovers the input', () => {
    const x = grid([2, 3]);
    const p = dl.pad(
      x,
      [
        [1, 1],
        [2, 0],
      ],
      -7,
    );
    expect(p.shape).toEqual([4, 5]);
    expect(p.slice(0).toArray()).toEqual([-7, -7, -7, -7, -7]);
    expect(p.slice('1:3', '2:').toArray()).toEqual(x.toArray());
  });
  it('gather takes plain index arrays, keeps the index shape and accumulates duplicate gradients', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { dtype: 'float64' },
    );
    expect(dl.gather(x, [2, 2, 0]).toArray()).toEqual([
      [5, 6],
      [5, 6],
      [1, 2],
    ]);
    expect(dl.take(x, tensor([[1], [0]], { dtype: 'int32' }), 1).shape).toEqual([3, 2, 1]);
    expect(x.gather([-1], 0).toArray()).toEqual([[5, 6]]);
    const g = grad((v: Tensor) => sum(dl.gather(v, [2, 2, 0])))(x) as Tensor;
    expect(g.toArray()).toEqual([
      [1, 1],
      [0, 0],
      [2, 2],
    ]);
  });
  it('scatterAdd sums duplicates and is the transpose of gather', () => {
    const src = tensor(
      [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
      { dtype: 'float64' },
    );
    expect(dl.scatterAdd(src, [1, 1, 0], 0, [3, 2]).toArray()).toEqual([
      [3, 3],
      [3, 3],
      [0, 0],
    ]);
    // <gather(x), y> = <x, scatterAdd(y)> for the same indices.
    const x = grid([4, 3]);
    const y = grid([5, 3]).mul(0.5);
    const idx = [3, 0, 3, 1, 2];
    const lhs = sum(dl.gather(x, idx).mul(y)).item();
    const rhs = sum(x.mul(dl.scatterAdd(y, idx, 0, [4, 3]))).item();
    expect(lhs).toBeCloseTo(rhs, 12);
  });
  it('takeAlongAxis accepts negative indices (regression: rejected them although it wrapped them)', () => {
    const x = tensor([
      [10, 11, 12],
      [20, 21, 22],
    ]);
    expect(dl.takeAlongAxis(x, tensor([[-1], [0]], { dtype: 'int32' }), 1).toArray()).toEqual([[12], [20]]);
    expect(() => dl.takeAlongAxis(x, tensor([[-4], [0]], { dtype: 'int32' }), 1)).toThrow(dl.ShapeError);
  });
  it('cumsum: reverse, bool input counts, gradient is the reversed cumsum', () => {
    expect(dl.cumsum(tensor([1, 2, 3]), 0, true).toArray()).toEqual([6, 5, 3]);
    expect(dl.cumsum(tensor([true, false, true]), 0).toArray()).toEqual([1, 1, 2]);
    expect(dl.cumsum(tensor([true]), 0).dtype).toBe('int32');
    const g = grad((v: Tensor) => sum(dl.cumsum(v, 0)))(tensor([1, 2, 3], { dtype: 'float64' })) as Tensor;
    expect(g.toArray()).toEqual([3, 2, 1]);
  });
  it('sort is stable, NaN sorts last ascending and first descending; argsort/topk agree', () => {
    const x = tensor([3, 1, NaN, 1, 2]);
    expect(Array.from(dl.sort(x).dataSync())).toEqual([1, 1, 2, 3, NaN]);
    expect(dl.argsort(x).toArray()).toEqual([1, 3, 4, 0, 2]);
    expect(Array.from(dl.sort(x, -1, true).dataSync())).toEqual([NaN, 3, 2, 1, 1]);
    expect(dl.argsort(x, -1, true).toArray()).toEqual([2, 0, 4, 1, 3]);
    const { values, indices } = dl.topk(tensor([[4, 9, 1, 9]]), 2);
    expect(values.toArray()).toEqual([[9, 9]]);
    expect(indices.toArray()).toEqual([[1, 3]]);
    expect(dl.topk(tensor([4, 9, 1]), 0).values.shape).toEqual([0]);
  });
  it('sort gradient routes each cotangent back to where the value came from', () => {
    const x = tensor(
      [
        [0.3, -1, 2],
        [5, 4, -3],
      ],
      { dtype: 'float64' },
    );
    const w = tensor(
      [
        [1, 10, 100],
        [1, 10, 100],
      ],
      { dtype: 'float64' },
    );
    const g = grad((v: Tensor) => sum(dl.sort(v, 1).mul(w)))(x) as Tensor;
    expect(g.toArray()).toEqual([
      [10, 1, 100],
      [100, 10, 1],
    ]);
    gradcheck((v) => dl.sort(v, 0, true), [grid([3, 4])]);
  });
  it('oneHot in the requested dtype; tile repeats whole blocks', () => {
    const oh = dl.oneHot(tensor([2, 0], { dtype: 'int32' }), 3, 'int32');
    expect(oh.dtype).toBe('int32');
    expect(oh.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(dl.oneHot(tensor([1], { dtype: 'int32' }), 2).dtype).toBe('float32');
    expect(dl.tile(tensor([1, 2]), [2, 2]).toArray()).toEqual([
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
  });
  it('second derivatives through views and copies (float64 finite differences)', () => {
    const f = (v: Tensor) => {
      const a = dl.concat([v.slice('::-1'), dl.pad(v.T, [[1, 0]]).T.slice(null, '1:')], 0);
      return dl.tile(dl.cumsum(a, 1), [1, 2]).mul(a.sum());
    };
    gradcheck((v) => grad((u: Tensor) => sum(f(u).mul(f(u))))(v) as Tensor, [grid([3, 2])], { rtol: 1e-5, atol: 1e-6 });
  });
});

describe('method forms', () => {
  it('match the functions', () => {
    const x = grid([2, 3]);
    expect(x.take([1, 0], 1).toArray()).toEqual(dl.gather(x, [1, 0], 1).toArray());
    expect(x.sort(0, true).toArray()).toEqual(dl.sort(x, 0, true).toArray());
    expect(x.argsort().toArray()).toEqual(dl.argsort(x).toArray());
    expect(x.split(3, 1).map((p) => p.toArray())).toEqual(dl.split(x, 3, 1).map((p) => p.toArray()));
    expect(x.pad([[0, 1]], 2).toArray()).toEqual(dl.pad(x, [[0, 1]], 2).toArray());
    expect(x.tile([2]).toArray()).toEqual(dl.tile(x, [2]).toArray());
    expect(x.var(1).toArray()).toEqual(dl.var(x, 1).toArray());
    expect(x.std(undefined, false, 0).item()).toBe(dl.std(x, undefined, false, 0).item());
    expect(x.atan2(2).toArray()).toEqual(dl.atan2(x, 2).toArray());
    expect(x.mul(0.3).atanh().toArray()).toEqual(dl.atanh(x.mul(0.3)).toArray());
    expect(x.floor().toArray()).toEqual(dl.floor(x).toArray());
  });
});

describe('finite-difference checks of the remaining differentiable helpers', () => {
  it('swapAxes, outer, dot, contiguous, dtype casts and device moves', () => {
    gradcheck((v) => dl.swapAxes(v, 0, -1).mul(v.T), [grid([3, 2])]);
    gradcheck((a, b) => dl.outer(a, b), [grid([3]), grid([4])]);
    gradcheck((a, b) => dl.dot(a, b), [grid([3]), grid([3]).mul(2)]);
    gradcheck((v) => dl.contiguous(v.T).mul(v.T), [grid([2, 3])]);
    // Float32 rounding makes small steps noisy; the function is quadratic, so a wide step is exact.
    gradcheck((v) => v.astype('float32').astype('float64').mul(v), [grid([4])], { eps: 1e-2, rtol: 1e-4, atol: 1e-5 });
    gradcheck((v) => v.to('cpu').mul(v), [grid([4])]);
  });
});
