import { describe, expect, it } from 'vitest';
import * as dl from '../src/index.js';
import { arange, einsum, fromTypedArray, grad, matmul, sum, tensor, type Tensor } from '../src/index.js';
import { gradcheck } from './helpers/gradcheck.js';
import { fixtureSuite } from './helpers/ops-suite.js';

fixtureSuite('matmul');

function grid(shape: number[], phase = 0.1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = -2 + 4 * ((i * 0.618034 + phase) % 1);
  return fromTypedArray(d, shape, { dtype: 'float64' });
}

function expectAllClose(a: Tensor, b: Tensor, tol = 1e-12): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]!)));
}

describe('matmul details', () => {
  it('strided operands (transposed, sliced, broadcast) match contiguous copies', () => {
    const a = grid([4, 3]);
    const b = grid([4, 5], 0.4);
    expectAllClose(matmul(a.T, b), matmul(dl.contiguous(a.T), b));
    expectAllClose(matmul(b.slice('::-1').T, a), matmul(dl.contiguous(b.slice('::-1').T), a));
    const batchA = a.T.expandDims(0).broadcastTo([2, 3, 4]);
    expectAllClose(matmul(batchA, b), dl.stack([matmul(a.T, b), matmul(a.T, b)]));
  });
  it('integer matmul stays int32; float32 x float64 promotes and each input keeps its gradient dtype', () => {
    const i = arange(6).reshape([2, 3]);
    expect(matmul(i, i.T).dtype).toBe('int32');
    expect(matmul(i, i.T).toArray()).toEqual([
      [5, 14],
      [14, 50],
    ]);
    const a = tensor([[1, 2]]);
    const b = tensor([[3], [4]], { dtype: 'float64' });
    expect(matmul(a, b).dtype).toBe('float64');
    const [ga, gb] = grad((x: Tensor, y: Tensor) => sum(matmul(x, y)), { argnums: [0, 1] })(a, b) as Tensor[];
    expect(ga!.dtype).toBe('float32');
    expect(gb!.dtype).toBe('float64');
    expect(ga!.toArray()).toEqual([[3, 4]]);
  });
  it('empty inner dimension gives zeros', () => {
    expect(matmul(dl.zeros([2, 0]), dl.zeros([0, 3])).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });
  it('second derivatives through batched broadcasting matmul (float64 finite differences)', () => {
    const f = (a: Tensor, b: Tensor) =>
      grad((x: Tensor, y: Tensor) => sum(dl.tanh(matmul(x, y))), { argnums: [0, 1] })(a, b) as Tensor[];
    const a = grid([2, 1, 2, 3]).mul(0.5);
    const b = grid([3, 3, 2], 0.7).mul(0.5);
    gradcheck((x, y) => f(x, y)[0]!, [a, b], { rtol: 1e-5, atol: 1e-6 });
    gradcheck((x, y) => f(x, y)[1]!, [a, b], { rtol: 1e-5, atol: 1e-6 });
  });
});

describe('einsum', () => {
  const A = grid([2, 3, 4]);
  const B = grid([2, 4, 5], 0.3);
  it('agrees with matmul, transpose and sums', () => {
    expectAllClose(einsum('bij,bjk->bik', A, B), matmul(A, B));
    expectAllClose(einsum('...ij,...jk->...ik', A, B), matmul(A, B));
    expectAllClose(einsum('ij,jk->ki', A.slice(0), B.slice(1)), matmul(A.slice(0), B.slice(1)).T);
    expectAllClose(einsum('bij->', A), sum(A));
    expectAllClose(einsum('bij->jb', A), sum(A, 1).T);
    expectAllClose(einsum('ij,ij->', A.slice(0), A.slice(0)), sum(A.slice(0).mul(A.slice(0))));
  });
  it('ellipsis broadcasts leading axes and implicit output puts them first', () => {
    const x = grid([3, 4]);
    const y = grid([2, 1, 4, 2], 0.2);
    expectAllClose(einsum('...ij,...jk', x, y), matmul(x, y));
    expect(einsum('i...->...i', grid([2, 3, 4])).shape).toEqual([3, 4, 2]);
  });
  it('diagonals and traces from repeated indices', () => {
    const m = arange(9).reshape([3, 3]).astype('float64');
    expect(einsum('ii->i', m).toArray()).toEqual([0, 4, 8]);
    expect(einsum('ii', m).item()).toBe(12);
    expect(einsum('bii->b', dl.stack([m, m.mul(2)])).toArray()).toEqual([12, 24]);
    const g = grad((v: Tensor) => einsum('ii', v))(m) as Tensor;
    expect(g.toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });
  it('three operands contract pairwise, in any index order', () => {
    const x = grid([2, 3]);
    const y = grid([3, 4], 0.5);
    const z = grid([4, 2], 0.9);
    expectAllClose(einsum('ij,jk,kl->il', x, y, z), matmul(matmul(x, y), z));
    expectAllClose(einsum('ij,jk,kl->li', x, y, z), matmul(matmul(x, y), z).T);
    expectAllClose(
      einsum('i,j,k->ijk', grid([2]), grid([3]), grid([4])).reshape([-1]),
      dl.outer(dl.outer(grid([2]), grid([3])).reshape([-1]), grid([4])).reshape([-1]),
    );
  });
  it('second derivatives of a three-operand contraction (float64 finite differences)', () => {
    const f = (x: Tensor, y: Tensor) =>
      grad((p: Tensor, q: Tensor) => sum(dl.sin(einsum('ij,jk,ik->i', p, q, p))), { argnums: [0, 1] })(
        x,
        y,
      ) as Tensor[];
    gradcheck((x, y) => f(x, y)[0]!, [grid([2, 3]), grid([3, 3], 0.6)], { rtol: 1e-5, atol: 1e-6 });
  });
  it('rejects malformed subscripts with errors naming einsum and the shapes', () => {
    const m = grid([2, 3]);
    expect(() => einsum('ij,jk->ik', m)).toThrow(/^einsum: .*2 operands but 1/);
    expect(() => einsum('ijk->i', m)).toThrow(dl.ShapeError);
    expect(() => einsum('ij,jk->ik', m, grid([4, 2]))).toThrow(
      /einsum: index 'j' has sizes 3 and 4 .*\[2, 3\], \[4, 2\]/,
    );
    expect(() => einsum('ii->i', m)).toThrow(dl.ShapeError);
    expect(() => einsum('ij->iz', m)).toThrow(dl.ValueError);
    expect(() => einsum('ij->ii', m)).toThrow(/repeated output index/);
    expect(() => einsum('i1->i', m)).toThrow(dl.ValueError);
  });
});

describe('softmax and logSoftmax', () => {
  it('rows sum to one, logSoftmax = log(softmax), and both are shift-invariant', () => {
    const x = grid([3, 5]).mul(10);
    expectAllClose(sum(dl.softmax(x), -1), dl.ones([3], { dtype: 'float64' }));
    expectAllClose(dl.logSoftmax(x, 0), dl.log(dl.softmax(x, 0)), 1e-12);
    expectAllClose(dl.softmax(x.add(1000)), dl.softmax(x), 1e-12);
  });
  it('float32 logSoftmax keeps full precision for large logits (regression: lost ~5 digits)', () => {
    const x = tensor([1000, 1001, 999]);
    const out = dl.logSoftmax(x).dataSync();
    const lse = 1001 + Math.log(Math.exp(-1) + 1 + Math.exp(-2));
    [1000, 1001, 999].forEach((v, i) => expect(Math.abs(out[i]! - (v - lse))).toBeLessThan(1e-6));
  });
  it('logSoftmax of a row with -inf entries is -inf there and finite elsewhere', () => {
    const out = dl.logSoftmax(tensor([-Infinity, 0, 0], { dtype: 'float64' })).toArray() as number[];
    expect(out[0]).toBe(-Infinity);
    expect(out[1]).toBeCloseTo(Math.log(0.5), 15);
  });
  it('second derivatives (float64 finite differences)', () => {
    for (const f of [(v: Tensor) => dl.softmax(v, 0), (v: Tensor) => dl.logSoftmax(v, 1)]) {
      gradcheck((x) => grad((y: Tensor) => sum(f(y).mul(f(y))))(x) as Tensor, [grid([3, 4])], {
        rtol: 1e-5,
        atol: 1e-6,
      });
    }
  });
  it('rejects integer input', () => {
    expect(() => dl.softmax(tensor([1, 2], { dtype: 'int32' }))).toThrow(/^softmax: .*int32.*\[2\]/);
  });
});
