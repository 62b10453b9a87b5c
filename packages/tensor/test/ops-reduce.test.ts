import { describe, expect, it } from 'vitest';
import * as dl from '../src/index.js';
import { fromTypedArray, grad, sum, tensor, type Tensor } from '../src/index.js';
import { gradcheck } from './helpers/gradcheck.js';
import { fixtureSuite } from './helpers/ops-suite.js';

fixtureSuite('reduce');

function grid(shape: number[], lo = -2, hi = 2): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = lo + (hi - lo) * ((i * 0.618034 + 0.1) % 1);
  return fromTypedArray(d, shape, { dtype: 'float64' });
}

describe('reductions: second derivatives (float64 finite differences)', () => {
  const cases: [string, (x: Tensor) => Tensor][] = [
    ['sum', (x) => dl.sum(x, 1)],
    ['mean', (x) => dl.mean(x, [0, 2])],
    ['prod', (x) => dl.prod(x, -1)],
    ['var', (x) => dl.var(x, 1)],
    ['std', (x) => dl.std(x, [0, 1], true)],
    ['logsumexp', (x) => dl.logsumexp(x, 2)],
    ['norm 2', (x) => dl.norm(x, 2, 1)],
    ['norm 3', (x) => dl.norm(x, 3, [0, 2])],
    ['max', (x) => dl.max(x, 1)],
  ];
  for (const [name, f] of cases) {
    it(name, () => {
      gradcheck((x) => grad((y: Tensor) => sum(f(y).mul(f(y))))(x) as Tensor, [grid([2, 3, 2])], {
        rtol: 1e-5,
        atol: 1e-6,
      });
    });
  }
});

describe('reduction edge cases', () => {
  it('empty reductions: sum 0, prod 1; max/min/mean/argmax of nothing throw ValueError', () => {
    const z = dl.zeros([0, 3]);
    expect(dl.sum(z).item()).toBe(0);
    expect(dl.sum(z, 0).toArray()).toEqual([0, 0, 0]);
    expect(dl.prod(z).item()).toBe(1);
    expect(dl.sum(z, 1).shape).toEqual([0]);
    expect(() => dl.max(z)).toThrow(dl.ValueError);
    expect(() => dl.min(z, 0)).toThrow(/min: .*\[0, 3\]/);
    expect(() => dl.mean(z, 0)).toThrow(dl.ValueError);
    expect(() => dl.argmax(z)).toThrow(dl.ValueError);
  });
  it('NaN propagates through max/min and wins argmax/argmin (NumPy)', () => {
    const x = tensor([1, NaN, 3]);
    expect(Number.isNaN(dl.max(x).item())).toBe(true);
    expect(Number.isNaN(dl.min(x).item())).toBe(true);
    expect(dl.argmax(x).item()).toBe(1);
    expect(dl.argmin(x).item()).toBe(1);
  });
  it('argmax/argmin return the first extreme index as int32', () => {
    const x = tensor([
      [3, 7, 7],
      [1, 1, 0],
    ]);
    const am = dl.argmax(x, 1);
    expect(am.dtype).toBe('int32');
    expect(am.toArray()).toEqual([1, 0]);
    expect(dl.argmin(x, 1).toArray()).toEqual([0, 2]);
    expect(dl.argmax(x).item()).toBe(1);
    expect(dl.argmax(x, 0, true).shape).toEqual([1, 3]);
  });
  it('dtypes: int sums stay int32, bool sums count, mean of ints is float32', () => {
    const i = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'int32' },
    );
    expect(dl.sum(i).dtype).toBe('int32');
    expect(dl.sum(i).item()).toBe(10);
    expect(dl.prod(i).item()).toBe(24);
    expect(dl.sum(tensor([true, true, false])).item()).toBe(2);
    expect(dl.mean(i).dtype).toBe('float32');
    expect(dl.mean(i).item()).toBe(2.5);
    expect(dl.max(i, 0).toArray()).toEqual([3, 4]);
  });
  it('float32 sums accumulate accurately', () => {
    const n = 1 << 20;
    const x = dl.full([n], 0.1);
    expect(Math.abs(dl.sum(x).item() - n * Math.fround(0.1))).toBeLessThan(1e-2);
  });
  it('logsumexp: all -inf rows give -inf, +inf entries give +inf', () => {
    const x = tensor(
      [
        [-Infinity, -Infinity],
        [0, Infinity],
      ],
      { dtype: 'float64' },
    );
    expect(dl.logsumexp(x, 1).toArray()).toEqual([-Infinity, Infinity]);
    const g = grad((v: Tensor) => sum(dl.logsumexp(v, 1)))(
      tensor(
        [
          [1000, 1000],
          [-1000, -1000],
        ],
        { dtype: 'float64' },
      ),
    ) as Tensor;
    expect(g.toArray()).toEqual([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
  });
  it('norm: the 2-norm has gradient 0 at the origin (not NaN); other ords and errors', () => {
    const g = grad((v: Tensor) => dl.norm(v))(dl.zeros([3], { dtype: 'float64' })) as Tensor;
    expect(g.toArray()).toEqual([0, 0, 0]);
    const x = tensor([3, -4], { dtype: 'float64' });
    expect(dl.norm(x).item()).toBe(5);
    expect(dl.norm(x, 1).item()).toBe(7);
    expect(dl.norm(x, Infinity).item()).toBe(4);
    expect(dl.norm(x, '-inf').item()).toBe(3);
    expect(dl.norm(tensor([0, 2, 0, 1]), 0).item()).toBe(2);
    expect(x.norm().item()).toBe(5);
    expect(() => dl.norm(x, 'nuc' as never)).toThrow(dl.ValueError);
    expect(() => dl.norm(tensor([1, 2], { dtype: 'int32' }))).toThrow(dl.DTypeError);
  });
  it('var/std: PyTorch Bessel correction by default, NumPy population with correction 0', () => {
    const x = tensor([1, 2, 3, 4], { dtype: 'float64' });
    expect(dl.var(x).item()).toBeCloseTo(5 / 3, 15);
    expect(dl.var(x, undefined, false, 0).item()).toBe(1.25);
    expect(dl.std(x, 0, true).shape).toEqual([1]);
    expect(dl.std(x).item()).toBeCloseTo(Math.sqrt(5 / 3), 15);
  });
  it('max gradient is shared evenly between tied maxima (as torch.amax)', () => {
    const g = grad((v: Tensor) => dl.max(v))(tensor([1, 3, 3, 2], { dtype: 'float64' })) as Tensor;
    expect(g.toArray()).toEqual([0, 0.5, 0.5, 0]);
  });
  it('prod gradient with one or two zeros is exact', () => {
    const g1 = grad((v: Tensor) => dl.prod(v))(tensor([2, 0, 3], { dtype: 'float64' })) as Tensor;
    expect(g1.toArray()).toEqual([0, 6, 0]);
    const g2 = grad((v: Tensor) => dl.prod(v))(tensor([2, 0, 0], { dtype: 'float64' })) as Tensor;
    expect(g2.toArray()).toEqual([0, 0, 0]);
  });
  it('method forms match the functions', () => {
    const x = grid([2, 3]);
    expect(x.sum(1).toArray()).toEqual(dl.sum(x, 1).toArray());
    expect(x.mean(0, true).toArray()).toEqual(dl.mean(x, 0, true).toArray());
    expect(x.logsumexp(-1).toArray()).toEqual(dl.logsumexp(x, -1).toArray());
    expect(x.argmin(1).toArray()).toEqual(dl.argmin(x, 1).toArray());
    expect(x.prod().item()).toBe(dl.prod(x).item());
  });
});
