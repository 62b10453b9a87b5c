import { describe, expect, it } from 'vitest';
import { DTypeError, DifflabError, ShapeError, ValueError, grad, tensor, zeros, type Tensor } from '@difflab/tensor';
import * as L from '../src/index.js';

const x = tensor([
  [1, 2, 3],
  [0.5, -1, 2],
]);
const y = tensor([2, 0], { dtype: 'int32' });

describe('PyTorch parity set: bad input throws DifflabErrors naming the op and shapes', () => {
  it('crossEntropy / nllLoss', () => {
    expect(() => L.crossEntropy(x, tensor([2, 0, 1], { dtype: 'int32' }))).toThrow(ShapeError);
    expect(() => L.crossEntropy(x, tensor([2, 0, 1], { dtype: 'int32' }))).toThrow(
      /crossEntropy: input of shape \[2, 3\].*targets of shape \[2\], got \[3\]/,
    );
    expect(() => L.crossEntropy(x, tensor([3, 0], { dtype: 'int32' }))).toThrow(
      /crossEntropy: target 3 is out of range for 3 classes/,
    );
    expect(() => L.crossEntropy(x, tensor([-1, 0], { dtype: 'int32' }))).toThrow(ValueError);
    expect(() => L.crossEntropy(x, tensor([2, 0]))).toThrow(
      /crossEntropy: class-index targets must be int32, got float32 of shape \[2\]/,
    );
    expect(() =>
      L.crossEntropy(
        x,
        tensor([
          [0.5, 0.5, 0.5],
          [1, 0, 0],
        ]),
      ),
    ).toThrow(/crossEntropy: target of shape \[2, 3\] must sum to 1 along axis 1, found a sum of 1.5/);
    expect(() =>
      L.crossEntropy(
        x,
        tensor([
          [1.5, -0.5, 0],
          [1, 0, 0],
        ]),
      ),
    ).toThrow(/target of shape \[2, 3\] must lie in \[0, 1\]/);
    expect(() =>
      L.crossEntropy(
        x,
        tensor([
          [1, 0],
          [1, 0],
        ]),
      ),
    ).toThrow(/probabilities of shape \[2, 3\]/);
    expect(() => L.crossEntropy(x, y, { weight: tensor([1, -1, 1]) })).toThrow(
      /crossEntropy: weight of shape \[3\] must be non-negative, found -1/,
    );
    expect(() => L.crossEntropy(x, y, { weight: tensor([1, 1]) })).toThrow(/weight must have shape \[3\].*got \[2\]/);
    expect(() => L.crossEntropy(x, y, { weight: tensor([1, 1, 1], { dtype: 'float64' }) })).toThrow(DTypeError);
    expect(() => L.crossEntropy(x, y, { labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be in \[0, 1\]/);
    expect(() => L.crossEntropy(x, y, { reduction: 'avg' as never })).toThrow(
      /reduction must be one of 'mean', 'sum', 'none'/,
    );
    expect(() => L.crossEntropy(tensor([[1, 2]], { dtype: 'int32' }), y)).toThrow(/input must be float32 or float64/);
    expect(() => L.nllLoss(x.logSoftmax(1), tensor([5, 0], { dtype: 'int32' }))).toThrow(
      /nllLoss: target 5 is out of range/,
    );
    // ignoreIndex values are allowed outside the range.
    expect(Number.isFinite(L.crossEntropy(x, tensor([-100, 1], { dtype: 'int32' })).item())).toBe(true);
  });
  it('binary and regression losses', () => {
    expect(() => L.bce(tensor([0.5, 1.2]), tensor([0, 1]))).toThrow(
      /bce: input of shape \[2\] must lie in \[0, 1\], found 1.2/,
    );
    expect(() => L.bce(tensor([0.5, 0.2]), tensor([0, 1, 1]))).toThrow(
      /bce: input of shape \[2\] and target of shape \[3\] must have the same shape/,
    );
    expect(() => L.bce(tensor([0.5, 0.2]), tensor([0, 1]), { weight: tensor([1, 2, 3]) })).toThrow(
      /weight of shape \[3\] does not broadcast to \[2\]/,
    );
    expect(() => L.bceWithLogits(x, zeros([2, 3]), { posWeight: tensor([1, -2, 1]) })).toThrow(
      /posWeight.*non-negative/,
    );
    expect(() => L.mse(x, zeros([3, 2]))).toThrow(/mse: input of shape \[2, 3\] and target of shape \[3, 2\]/);
    expect(() => L.huber(x, zeros([2, 3]), { delta: -1 })).toThrow(/huber: delta must be a positive/);
    expect(() => L.smoothL1(x, zeros([2, 3]), { beta: -1 })).toThrow(DifflabError);
    expect(() => L.l1(x, y)).toThrow(/l1: target must be float32 or float64, got int32/);
  });
  it('klDiv, poissonNll, gaussianNll', () => {
    expect(() => L.klDiv(x, zeros([2, 2]))).toThrow(ShapeError);
    expect(() => L.klDiv(x, zeros([2, 3]), { reduction: 'avg' as never })).toThrow(/'batchmean'/);
    expect(() =>
      L.poissonNll(
        x,
        tensor([
          [1, -1, 0],
          [0, 0, 0],
        ]),
      ),
    ).toThrow(/poissonNll: target of shape \[2, 3\] must be non-negative/);
    expect(() => L.poissonNll(x, zeros([2, 3]), { logInput: false })).toThrow(/rate when logInput is false/);
    expect(() =>
      L.gaussianNll(
        x,
        x,
        tensor([
          [1, 1, 1],
          [1, -1, 1],
        ]),
      ),
    ).toThrow(/gaussianNll: var of shape \[2, 3\] must be non-negative/);
    expect(() => L.gaussianNll(x, x, zeros([3]))).toThrow(/var of shape \[3\] must match input \[2, 3\]/);
  });
  it('margin and embedding losses', () => {
    expect(() => L.marginRanking(tensor([1, 2]), tensor([1, 2]), tensor([1, 0]))).toThrow(
      /marginRanking: target of shape \[2\] must contain only -1 and 1, found 0/,
    );
    expect(() => L.hingeEmbedding(tensor([1, 2]), tensor([1]))).toThrow(ShapeError);
    expect(() => L.multiMargin(x, y, { p: 3 as never })).toThrow(/p must be 1 or 2/);
    expect(() => L.multiMargin(x, tensor([0, 4], { dtype: 'int32' }))).toThrow(/multiMargin: target 4 is out of range/);
    expect(() =>
      L.multiLabelSoftMargin(
        x,
        tensor([
          [0, 2, 1],
          [0, 0, 1],
        ]),
      ),
    ).toThrow(/target of shape \[2, 3\] must lie in \[0, 1\]/);
    expect(() => L.cosineEmbedding(x, x, tensor([1, 1, 1]))).toThrow(
      /cosineEmbedding: target of shape \[3\] must have shape \[2\]/,
    );
    expect(() => L.tripletMargin(x, x, zeros([2, 4]))).toThrow(
      /tripletMargin: anchor of shape \[2, 3\] and negative of shape \[2, 4\]/,
    );
  });
});

describe('numerical robustness', () => {
  it('logits of ±1e4 never give NaN in the losses or their gradients (float32)', () => {
    const big = tensor([
      [1e4, -1e4, 0],
      [-1e4, -1e4, -1e4],
      [0, 1e4, 1e4],
    ]);
    const lbl = tensor([1, 2, 0], { dtype: 'int32' });
    const cases: [string, (z: Tensor) => Tensor][] = [
      ['crossEntropy', (z) => L.crossEntropy(z, lbl, { labelSmoothing: 0.1 })],
      [
        'crossEntropy probabilities',
        (z) =>
          L.crossEntropy(
            z,
            tensor([
              [0, 1, 0],
              [0.2, 0.3, 0.5],
              [1, 0, 0],
            ]),
          ),
      ],
      [
        'bceWithLogits',
        (z) =>
          L.bceWithLogits(
            z,
            tensor([
              [1, 0, 1],
              [0, 1, 0],
              [1, 1, 0],
            ]),
            { posWeight: tensor([2, 1, 0.5]) },
          ),
      ],
      [
        'softMargin',
        (z) =>
          L.softMargin(
            z,
            tensor([
              [1, -1, 1],
              [-1, 1, 1],
              [1, 1, -1],
            ]),
          ),
      ],
      [
        'multiLabelSoftMargin',
        (z) =>
          L.multiLabelSoftMargin(
            z,
            tensor([
              [1, 0, 1],
              [0, 1, 0],
              [1, 1, 0],
            ]),
          ),
      ],
      ['multiMargin', (z) => L.multiMargin(z, lbl, { p: 2 })],
      ['poissonNll (log input below overflow)', (z) => L.poissonNll(z.div(200), zeros([3, 3]).add(2))],
    ];
    for (const [name, f] of cases) {
      const v = f(big).item();
      expect(Number.isNaN(v), `${name} value`).toBe(false);
      const g = grad(f)(big) as Tensor;
      expect(
        Array.from(g.dataSync()).every((e) => !Number.isNaN(e)),
        `${name} gradient`,
      ).toBe(true);
    }
  });
  it('float32 in, float32 out; float64 in, float64 out', () => {
    expect(L.crossEntropy(x, y).dtype).toBe('float32');
    expect(L.crossEntropy(x.astype('float64'), y).dtype).toBe('float64');
    expect(L.bce(tensor([0.2], { dtype: 'float64' }), tensor([1], { dtype: 'float64' })).dtype).toBe('float64');
  });
});
