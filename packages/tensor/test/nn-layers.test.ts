import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  DifflabError,
  ShapeError,
  ValueError,
  fromTypedArray,
  grad,
  mean,
  mlp,
  mul,
  nn,
  ones,
  random,
  sin,
  sub,
  sum,
  tensor,
  valueAndGrad,
  zeros,
  type DenseParams,
  type Tensor,
} from '../src/index.js';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const d = t.dataSync();
  let s = 0;
  let s2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of d) {
    s += v;
    s2 += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const m = s / d.length;
  return { mean: m, std: Math.sqrt(s2 / d.length - m * m), min, max };
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

function expectError(fn: () => unknown, cls: new (...a: any[]) => DifflabError, ...parts: string[]): void {
  const e = thrown(fn);
  expect(e, e.message).toBeInstanceOf(cls);
  expect(e).toBeInstanceOf(DifflabError);
  for (const p of parts) expect(e.message).toContain(p);
}

describe('dropout', () => {
  const x = ones([100, 200]);

  it('zeroes a fraction p, scales survivors by 1/(1-p), and is reproducible from its key', () => {
    const y = nn.dropout(x, { p: 0.3, key: random.key(12) });
    const d = y.dataSync();
    let zerosCount = 0;
    for (const v of d) {
      if (v === 0) zerosCount++;
      else expect(v).toBeCloseTo(1 / 0.7, 6);
    }
    expect(zerosCount / d.length).toBeGreaterThan(0.28);
    expect(zerosCount / d.length).toBeLessThan(0.32);
    expect(mean(y).item()).toBeCloseTo(1, 1);
    const again = nn.dropout(x, { p: 0.3, key: random.key(12) });
    expect(Array.from(again.dataSync())).toEqual(Array.from(d));
    const other = nn.dropout(x, { p: 0.3, key: random.key(13) }).dataSync();
    const y64 = nn.dropout(ones([50], { dtype: 'float64' }), { p: 0.3, key: 5 }).dataSync();
    expect(y64.every((v) => v === 0 || v === 1 / 0.7)).toBe(true);
    expect(other.some((v, i) => v !== d[i])).toBe(true);
  });

  it('draws its keep-mask with random.bernoulli(key, 1 - p, x.shape); a numeric key means random.key(seed)', () => {
    const k = random.key(3);
    const kept = Array.from(nn.dropout(x, { p: 0.25, key: k }).dataSync(), (v) => (v !== 0 ? 1 : 0));
    expect(kept).toEqual(Array.from(random.bernoulli(k, 0.75, x.shape).dataSync()));
    expect(Array.from(nn.dropout(x, { p: 0.25, key: 3 }).dataSync())).toEqual(
      Array.from(nn.dropout(x, { p: 0.25, key: k }).dataSync()),
    );
  });

  it('has the mask times the scale as its gradient', () => {
    const key = 42;
    const y = nn.dropout(x, { p: 0.5, key });
    const g = grad((z: Tensor) => sum(nn.dropout(z, { p: 0.5, key })))(x) as Tensor;
    expect(Array.from(g.dataSync())).toEqual(Array.from(y.dataSync()));
  });

  it('is the identity in eval mode or with p = 0, and zero with p = 1', () => {
    expect(nn.dropout(x, { p: 0.5, training: false })).toBe(x);
    expect(nn.dropout(x, { p: 0 })).toBe(x);
    expect(sum(nn.dropout(x, { p: 1 })).item()).toBe(0);
  });

  it('accepts an explicit keep-mask (broadcast, e.g. per channel) or a mask function', () => {
    const img = ones([2, 3, 2, 2]);
    const mask = tensor([
      [[[true]], [[false]], [[true]]],
      [[[false]], [[true]], [[true]]],
    ]);
    const y = nn.dropout(img, { p: 0.5, mask });
    expect(y.toArray()).toEqual([
      [
        [
          [2, 2],
          [2, 2],
        ],
        [
          [0, 0],
          [0, 0],
        ],
        [
          [2, 2],
          [2, 2],
        ],
      ],
      [
        [
          [0, 0],
          [0, 0],
        ],
        [
          [2, 2],
          [2, 2],
        ],
        [
          [2, 2],
          [2, 2],
        ],
      ],
    ]);
    const viaFn = nn.dropout(img, { p: 0.5, mask: (shape) => ones([shape[0]!, shape[1]!, 1, 1]).greater(0) });
    expect(sum(viaFn).item()).toBe(48);
  });

  it('rejects bad p, a missing key and bad masks', () => {
    expectError(() => nn.dropout(x, { p: NaN, key: 1 }), ValueError, 'dropout', 'p');
    expectError(() => nn.dropout(x, { p: 1.5, key: 1 }), ValueError, 'dropout');
    expectError(() => nn.dropout(x, { p: -0.1, key: 1 }), ValueError, 'dropout');
    expectError(() => nn.dropout(x, { p: 0.5 }), ValueError, 'dropout', 'key');
    expectError(() => nn.dropout(x, { p: 0.5, mask: ones([100, 200]) }), ValueError, 'dropout', 'bool');
    expectError(
      () => nn.dropout(x, { p: 0.5, mask: ones([3, 200]).greater(0) }),
      ShapeError,
      'dropout',
      '[3, 200]',
      '[100, 200]',
    );
    expectError(() => nn.dropout(x, { p: 0.5, key: tensor([1.5]) }), DTypeError, 'dropout', 'int32');
    expectError(() => nn.dropout(x, { p: 0.5, key: random.split(random.key(0), 3) }), ShapeError, 'dropout', '[3, 2]');
    expectError(() => nn.dropout(x, { p: 0.5, key: 0.5 }), ValueError, 'dropout', 'seed');
  });
});

describe('initializers', () => {
  const big = [300, 200, 3, 3];

  it('compute fan-in / fan-out like PyTorch for linear [out, in] and conv [out, in, kh, kw] weights', () => {
    expect(nn.fans([4, 7])).toEqual({ fanIn: 7, fanOut: 4 });
    expect(nn.fans([4, 3, 2, 5])).toEqual({ fanIn: 30, fanOut: 40 });
    expectError(() => nn.fans([5]), ShapeError, '[5]');
    expectError(() => nn.glorotUniform(0, [5]), ShapeError, 'glorotUniform', '[5]');
  });

  it('glorotUniform / glorotNormal scale with fan-in + fan-out', () => {
    const [fi, fo] = [200 * 9, 300 * 9];
    const a = Math.sqrt(6 / (fi + fo));
    const u = stats(nn.glorotUniform(1, big));
    expect(u.min).toBeGreaterThanOrEqual(-a);
    expect(u.max).toBeLessThanOrEqual(a);
    expect(u.std).toBeCloseTo(a / Math.sqrt(3), 3);
    expect(Math.abs(u.mean)).toBeLessThan(1e-3);
    const n = stats(nn.glorotNormal(2, big, { gain: 2 }));
    expect(n.std / (2 * Math.sqrt(2 / (fi + fo)))).toBeCloseTo(1, 2);
  });

  it("heNormal / heUniform follow kaiming_* (gain √2 for ReLU; a = √5 gives nn.Linear's U(±1/√in))", () => {
    const fi = 200 * 9;
    expect(stats(nn.heNormal(3, big)).std / Math.sqrt(2 / fi)).toBeCloseTo(1, 2);
    expect(stats(nn.heNormal(3, big, { mode: 'fanOut' })).std / Math.sqrt(2 / (300 * 9))).toBeCloseTo(1, 2);
    const hu = stats(nn.heUniform(4, big));
    expect(hu.max).toBeLessThanOrEqual(Math.sqrt(6 / fi));
    expect(hu.std / Math.sqrt(2 / fi)).toBeCloseTo(1, 2);
    const torchDefault = stats(nn.heUniform(5, [64, 50], { nonlinearity: 'leakyRelu', a: Math.sqrt(5) }));
    expect(torchDefault.max).toBeLessThanOrEqual(1 / Math.sqrt(50));
    expect(torchDefault.max).toBeGreaterThan(0.95 / Math.sqrt(50));
    expect(nn.calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(nn.calculateGain('leakyRelu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(nn.calculateGain('selu')).toBe(0.75);
  });

  it('lecunNormal has std 1/√fanIn; zerosInit is zero; keys and dtypes are honoured', () => {
    expect(stats(nn.lecunNormal(6, big)).std * Math.sqrt(200 * 9)).toBeCloseTo(1, 2);
    expect(stats(nn.lecunUniform(6, big)).max).toBeLessThanOrEqual(Math.sqrt(3 / (200 * 9)));
    const z = nn.zerosInit(0, [3, 4], { dtype: 'float64' });
    expect(z.dtype).toBe('float64');
    expect(sum(z).item()).toBe(0);
    const k = random.key(78);
    const a = nn.heNormal(k, [5, 6], { dtype: 'float64' });
    expect(a.dtype).toBe('float64');
    expect(Array.from(nn.heNormal(k, [5, 6], { dtype: 'float64' }).dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(nn.heNormal(random.key(79), [5, 6], { dtype: 'float64' }).dataSync())).not.toEqual(
      Array.from(a.dataSync()),
    );
    expectError(() => nn.heNormal(0, [4, 4], { gain: NaN }), ValueError, 'heNormal', 'gain');
  });
});

describe('mlp', () => {
  it('builds [{w: [out, in], b: [out]}] with PyTorch nn.Linear init and applies linear layers', () => {
    const net = mlp([3, 5, 2], { key: 1 });
    expect(net.params.map((p) => [p.w.shape, p.b.shape])).toEqual([
      [[5, 3], [5]],
      [[2, 5], [2]],
    ]);
    expect(stats(net.params[0]!.w).max).toBeLessThanOrEqual(1 / Math.sqrt(3));
    expect(stats(net.params[1]!.b).max).toBeLessThanOrEqual(1 / Math.sqrt(5));
    const x = tensor([
      [0.1, -0.2, 0.3],
      [1, 2, 3],
    ]);
    const manual = nn.linear(
      nn.linear(x, net.params[0]!.w, net.params[0]!.b).relu(),
      net.params[1]!.w,
      net.params[1]!.b,
    );
    expect(net.apply(net.params, x).toArray()).toEqual(manual.toArray());
    expect(nn.mlp).toBe(mlp);
    expect(Array.from(mlp([3, 5, 2], { key: 1 }).params[0]!.w.dataSync())).toEqual(
      Array.from(net.params[0]!.w.dataSync()),
    );
  });

  it('honours activation names/functions, outputActivation, init and dtype', () => {
    const x = tensor([[0.5, -1]], { dtype: 'float64' });
    for (const activation of ['relu', 'tanh', 'gelu', 'silu', 'sigmoid', (t: Tensor) => mul(t, 2)] as const) {
      const y = mlp([2, 4, 1], { activation, dtype: 'float64', key: 3 }).apply(
        mlp([2, 4, 1], { dtype: 'float64', key: 3 }).params,
        x,
      );
      expect(y.shape).toEqual([1, 1]);
      expect(y.dtype).toBe('float64');
    }
    const sig = mlp([2, 4, 3], { outputActivation: 'sigmoid', key: 2 });
    const s = stats(sig.apply(sig.params, tensor([[10, -10]])));
    expect(s.min).toBeGreaterThan(0);
    expect(s.max).toBeLessThan(1);
    const g = mlp([4, 6, 2], { init: nn.glorotUniform, key: 9 });
    expect(sum(g.params[0]!.b).item()).toBe(0);
    expect(stats(g.params[0]!.w).max).toBeLessThanOrEqual(Math.sqrt(6 / 10));
  });

  it('trains: gradient descent on a toy regression lowers the loss', () => {
    const n = 64;
    const xs = new Float32Array(n * 2);
    for (let i = 0; i < n * 2; i++) xs[i] = Math.sin(i * 12.9898) * 1.5;
    const X = fromTypedArray(xs, [n, 2]);
    const Y = sin(X.slice(':', '0:1')).add(X.slice(':', '1:2').mul(0.5));
    const net = mlp([2, 16, 1], { activation: 'tanh', key: 0 });
    const loss = (p: DenseParams[]) => {
      const d = sub(net.apply(p, X), Y);
      return mean(mul(d, d));
    };
    const step = valueAndGrad(loss);
    let params = net.params;
    const history: number[] = [];
    for (let it = 0; it < 150; it++) {
      const [v, g] = step(params) as [Tensor, DenseParams[]];
      history.push(v.item());
      params = params.map((p, l) => ({ w: p.w.sub(g[l]!.w.mul(0.2)), b: p.b.sub(g[l]!.b.mul(0.2)) }));
    }
    const last = loss(params).item();
    expect(last).toBeLessThan(history[0]! * 0.1);
    expect(last).toBeLessThan(0.02);
  });

  it('rejects bad sizes, activations and parameter lists', () => {
    expectError(() => mlp([3]), ValueError, 'mlp', 'sizes');
    expectError(() => mlp([3, 0, 1]), ValueError, 'mlp');
    expectError(() => mlp([3, 2], { activation: 'swish' as any }), ValueError, 'mlp', 'swish');
    const net = mlp([3, 2, 1]);
    expectError(() => net.apply(net.params.slice(0, 1), zeros([1, 3])), ValueError, 'mlp.apply');
    expectError(() => net.apply(net.params, zeros([1, 4])), ShapeError, 'linear', '[1, 4]');
    expectError(() => mlp([3, 2], { init: (_k, s) => zeros([s[1]!, s[0]!]) }), ShapeError, 'mlp', '[3, 2]');
  });
});

describe('bad input throws DifflabError naming the op and shapes', () => {
  const x = zeros([2, 3, 5, 5]);
  const w = zeros([4, 3, 3, 3]);

  it('convolutions', () => {
    expectError(() => nn.conv2d(x, zeros([4, 2, 3, 3])), ShapeError, 'conv2d', '[2, 3, 5, 5]', '[4, 2, 3, 3]');
    expectError(
      () => nn.conv2d(x, zeros([4, 3, 7, 3])),
      ShapeError,
      'conv2d',
      'larger than the padded input',
      '[2, 3, 5, 5]',
    );
    expect(nn.conv2d(x, zeros([4, 3, 7, 3]), null, { padding: 1 }).shape).toEqual([2, 4, 1, 5]);
    expectError(() => nn.conv2d(x, w, null, { padding: -1 }), ValueError, 'conv2d', 'padding');
    expectError(() => nn.conv2d(x, w, null, { padding: [1, -2] }), ValueError, 'conv2d', 'padding');
    expectError(() => nn.conv2d(x, w, null, { stride: 0 }), ValueError, 'conv2d', 'stride');
    expectError(() => nn.conv2d(x, w, null, { dilation: 1.5 }), ValueError, 'conv2d', 'dilation');
    expectError(() => nn.conv2d(x, w, null, { padding: 'same', stride: 2 }), ValueError, 'conv2d', 'same');
    expectError(() => nn.conv2d(x, w, null, { padding: 'full' as any }), ValueError, 'conv2d');
    expectError(() => nn.conv2d(x, zeros([4, 1, 3, 3]), null, { groups: 2 }), ShapeError, 'conv2d', 'groups=2');
    expectError(() => nn.conv2d(x, w, null, { groups: 0 }), ValueError, 'conv2d', 'groups');
    expectError(() => nn.conv2d(x, w, zeros([3])), ShapeError, 'conv2d', 'bias', '[3]');
    expectError(() => nn.conv2d(zeros([3, 5]), w), ShapeError, 'conv2d', '[3, 5]');
    expectError(() => nn.conv2d(x, zeros([4, 3, 3])), ShapeError, 'conv2d', '[4, 3, 3]');
    expectError(() => nn.conv2d(x.astype('int32'), w), DTypeError, 'conv2d', 'int32');
    expectError(() => nn.conv1d(zeros([2, 3, 8]), zeros([4, 2, 3])), ShapeError, 'conv1d', '[2, 3, 8]', '[4, 2, 3]');
    expectError(() => nn.conv1d(zeros([2, 3, 2]), zeros([4, 3, 3])), ShapeError, 'conv1d', 'larger', '[2, 3, 2]');
    expectError(
      () => nn.conv1d(zeros([2, 3, 8]), zeros([4, 3, 3]), null, { padding: -1 }),
      ValueError,
      'conv1d',
      'padding',
    );
  });

  it('linear, unfold, fold', () => {
    expectError(() => nn.linear(zeros([2, 4]), zeros([3, 5])), ShapeError, 'linear', '[2, 4]', '[3, 5]');
    expectError(() => nn.linear(zeros([2, 5]), zeros([3, 5]), zeros([4])), ShapeError, 'linear', 'bias');
    expectError(() => nn.unfold(zeros([2, 5]), 2), ShapeError, 'unfold', '[2, 5]');
    expectError(() => nn.unfold(x, 7), ShapeError, 'unfold', 'larger');
    expectError(() => nn.unfold(x, 2, { padding: -1 }), ValueError, 'unfold', 'padding');
    expectError(() => nn.fold(zeros([1, 12, 5]), [4, 5], [2, 2]), ShapeError, 'fold', '[1, 12, 5]');
    expectError(() => nn.fold(zeros([1, 10, 12]), [4, 5], [2, 2]), ShapeError, 'fold', 'multiple');
  });

  it('pooling', () => {
    expectError(() => nn.maxPool2d(x, { kernelSize: 2, padding: 2 }), ValueError, 'maxPool2d', 'half');
    expectError(() => nn.maxPool2d(x, { kernelSize: 6 }), ShapeError, 'maxPool2d', 'larger', '[2, 3, 5, 5]');
    expectError(() => nn.maxPool2d(x, { kernelSize: 2, padding: -1 }), ValueError, 'maxPool2d', 'padding');
    expectError(() => nn.maxPool2d(x, { kernelSize: 2, stride: 0 }), ValueError, 'maxPool2d', 'stride');
    expectError(() => nn.maxPool2d(zeros([5, 5]), { kernelSize: 2 }), ShapeError, 'maxPool2d', '[5, 5]');
    expectError(() => nn.avgPool2d(x, { kernelSize: 3, padding: 2 }), ValueError, 'avgPool2d');
    expectError(
      () => nn.avgPool2d(x, { kernelSize: 2, divisorOverride: 0 }),
      ValueError,
      'avgPool2d',
      'divisorOverride',
    );
    expectError(() => nn.adaptiveAvgPool2d(x, 0), ValueError, 'adaptiveAvgPool2d');
  });

  it('normalisation', () => {
    const h = zeros([4, 3, 2]);
    expectError(() => nn.layerNorm(h, [3], null, null, NaN), ValueError, 'layerNorm', 'eps');
    expectError(() => nn.layerNorm(h, [3]), ShapeError, 'layerNorm', '[3]', '[4, 3, 2]');
    expectError(() => nn.layerNorm(h, [2], zeros([3])), ShapeError, 'layerNorm', 'weight');
    const rm = zeros([3]);
    const rv = ones([3]);
    expectError(() => nn.batchNorm(h, rm, rv, null, null, { eps: NaN }), ValueError, 'batchNorm', 'eps');
    expectError(
      () => nn.batchNorm(h, rm, rv, null, null, { training: true, momentum: NaN }),
      ValueError,
      'batchNorm',
      'momentum',
    );
    expectError(() => nn.batchNorm(h, null, null), ValueError, 'batchNorm', 'running');
    expectError(
      () => nn.batchNorm(zeros([1, 3]), rm, rv, null, null, { training: true }),
      ValueError,
      'batchNorm',
      '[1, 3]',
    );
    expectError(() => nn.batchNorm(h, zeros([4]), rv), ShapeError, 'batchNorm', 'runningMean', '[4]');
    expectError(() => nn.groupNorm(h, 2), ShapeError, 'groupNorm', 'numGroups=2', '[4, 3, 2]');
    expectError(() => nn.groupNorm(h, 3, null, null, -1), ValueError, 'groupNorm', 'eps');
  });

  it('batchNorm without running statistics in training returns nulls; its stats carry no gradient', () => {
    const xb = tensor(
      [
        [1, 2],
        [3, 5],
        [4, 9],
      ],
      { dtype: 'float64' },
    );
    const r = nn.batchNorm(xb, null, null, null, null, { training: true });
    expect(r.runningMean).toBeNull();
    expect(r.runningVar).toBeNull();
    const g = grad((z: Tensor) =>
      sum(
        nn.batchNorm(z, zeros([2], { dtype: 'float64' }), ones([2], { dtype: 'float64' }), null, null, {
          training: true,
        }).runningMean!,
      ),
    )(xb) as Tensor;
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
