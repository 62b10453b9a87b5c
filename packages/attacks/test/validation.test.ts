import { describe, expect, it } from 'vitest';
import { DifflabError, DTypeError, ShapeError, ValueError, tensor, zeros, type Tensor } from '@difflab/tensor';
import * as A from '../src/index.js';
import { catalog } from './helpers/catalog.js';
import { correctDigits, fixtureMlp } from './helpers/model.js';

describe('bad input is rejected with a DifflabError naming the op', () => {
  const { model } = fixtureMlp();
  const { x, y } = correctDigits(model, 4);
  const x4 = x.reshape([4, 1, 8, 8]);

  for (const entry of catalog(1)) {
    const xx = entry.images ? x4 : x;
    it(`${entry.name}: inputs outside the bounds`, () => {
      expect(() => entry.run(model, xx.add(0.5), y, [0, 1])).toThrow(/outside bounds \[0, 1\]/);
    });
    it(`${entry.name}: label shape mismatch`, () => {
      expect(() => entry.run(model, xx, tensor([1, 2, 3], { dtype: 'int32' }), [0, 1])).toThrow(ShapeError);
      expect(() => entry.run(model, xx, tensor([1, 2, 3], { dtype: 'int32' }), [0, 1])).toThrow(
        /must have shape \[4\] to match x/,
      );
    });
  }

  it('negative, NaN or infinite eps', () => {
    const bad = [-0.1, NaN, Infinity];
    for (const eps of bad) {
      expect(() => A.fgsm(model, x, y, { eps })).toThrow(/fgsm: eps must be a finite number >= 0/);
      expect(() => A.pgd(model, x, y, { eps })).toThrow(/pgd: eps/);
      expect(() => A.apgd(model, x, y, { eps })).toThrow(/apgd: eps/);
      expect(() => A.square(model, x4, y, { eps })).toThrow(/square: eps/);
      expect(() => A.mifgsm(model, x, y, { eps })).toThrow(/mifgsm: eps/);
      expect(() => A.spsa(model, x, y, { eps })).toThrow(/spsa: eps/);
      expect(() => A.cw(model, x, y, { eps })).toThrow(/cw: eps/);
      expect(() => A.fab(model, x, y, { eps })).toThrow(/fab: eps/);
      expect(() => A.ibp(A.fromMlp(fixtureMlp().params), x, eps)).toThrow(/ibp: eps/);
      expect(() => A.crown(A.fromMlp(fixtureMlp().params), x, eps)).toThrow(/crown: eps/);
    }
  });

  it('labels of the wrong dtype or out of range, and mismatched targets', () => {
    expect(() => A.fgsm(model, x, tensor([0, 1, 2, 3]), { eps: 0.1 })).toThrow(DTypeError);
    expect(() => A.fgsm(model, x, [0, 1, 2, 10], { eps: 0.1 })).toThrow(/label 10 at index 3 is outside \[0, 10\)/);
    expect(() => A.pgd(model, x, y, { eps: 0.1, targets: [1, 2] })).toThrow(/targets must have shape \[4\]/);
    expect(() => A.fgsm(model, x, [0.5, 1, 2, 3], { eps: 0.1 })).toThrow(/integer class indices/);
  });

  it('inputs that are not a float batch', () => {
    expect(() => A.fgsm(model, tensor([0.1, 0.2]), [0], { eps: 0.1 })).toThrow(
      /x must be a non-empty batch \[N, \.\.\.\]/,
    );
    expect(() => A.fgsm(model, x.astype('int32'), y, { eps: 0.1 })).toThrow(DTypeError);
    expect(() => A.fgsm(model, x.mul(NaN), y, { eps: 0.1 })).toThrow(/contains NaN/);
  });

  it('models that do not return [N, C] logits', () => {
    expect(() => A.fgsm((z: Tensor) => z.sum(1), x, y, { eps: 0.1 })).toThrow(
      /the model must return logits \[N, C\] = \[4, C\], got \[4\]/,
    );
    expect(() => A.fgsm('nope' as unknown as A.Model, x, y, { eps: 0.1 })).toThrow(/model must be a function/);
  });

  it('invalid options', () => {
    expect(() => A.pgd(model, x, y, { eps: 0.1, norm: 'l3' as 'l2' })).toThrow(
      /pgd: norm must be one of 'linf', 'l2', 'l1'/,
    );
    expect(() => A.pgd(model, x, y, { eps: 0.1, steps: 1.5 })).toThrow(/steps must be an integer/);
    expect(() => A.pgd(model, x, y, { eps: 0.1, bounds: [1, 0] })).toThrow(
      /bounds must be \[lower, upper\] with lower < upper/,
    );
    expect(() => A.pgd(model, x, y, { eps: 0.1, loss: 'hinge' as 'ce' })).toThrow(
      /loss must be 'ce', 'dlr', 'margin' or a function/,
    );
    expect(() => A.rfgsm(model, x, y, { eps: 0.1, alpha: 0.2 })).toThrow(/eps - alpha must be a finite number >= 0/);
    expect(() => A.tifgsm(model, x4, y, { eps: 0.1, kernelSize: 4 })).toThrow(/kernelSize must be odd/);
    expect(() => A.apgd(model, x, y, { eps: 0.1, loss: 'dlr' }).dispose()).not.toThrow();
    expect(() => A.dlrLoss(zeros([2, 2]), tensor([0, 1], { dtype: 'int32' }))).toThrow(/needs at least 3 classes/);
    expect(() => A.autoAttack(model, x, y, { eps: 0.1, attacks: ['pgd' as 'fab'] })).toThrow(/unknown member 'pgd'/);
    expect(() => A.cw(model, x, y, { bounds: [0, Infinity] })).toThrow(/needs finite bounds/);
  });

  it('image-only attacks reject flat inputs', () => {
    expect(() => A.difgsm(model, x, y, { eps: 0.1 })).toThrow(
      /needs image batches \[N, C, H, W\], got x of shape \[4, 64\]/,
    );
    expect(() => A.tifgsm(model, x, y, { eps: 0.1 })).toThrow(ShapeError);
  });

  it('robustAccuracy and ensembles validate their arguments', async () => {
    await expect(A.robustAccuracy(model, x, y, {})).rejects.toThrow(/needs at least one attack/);
    await expect(A.robustAccuracy(model, x, [1, 2], (m, a) => a)).rejects.toThrow(/must have shape \[4\]/);
    await expect(A.robustAccuracy(model, x, y, (m, a) => a.slice({ start: 0, stop: 2 }))).rejects.toThrow(
      /returned \[2, 64\] for inputs \[4, 64\]/,
    );
    expect(() => A.worstCase(model, x, y, {})).toThrow(/ensemble: needs at least one attack/);
    expect(() => A.robustAccuracySync(model, x, y, (m, a) => a, { batchSize: 0 })).toThrow(
      /batchSize must be an integer >= 1/,
    );
  });

  it('certification and attribution errors', () => {
    const net = A.fromMlp(fixtureMlp().params);
    expect(() =>
      A.crown([{ type: 'linear', w: zeros([3, 64]) }, { type: 'tanh' }, { type: 'linear', w: zeros([2, 3]) }], x, 0.1),
    ).toThrow(/only ReLU activations/);
    expect(() => A.ibp([{ type: 'softmax' } as unknown as A.Layer], x, 0.1)).toThrow(
      /layer 0 has unknown type "softmax"/,
    );
    expect(() => A.crown(net, x, 0.1, { spec: zeros([3, 4]) })).toThrow(
      /spec must be \[S, 10\] or \[4, S, 10\], got \[3, 4\]/,
    );
    expect(() => A.certify(net, x, y, 0.1, { method: 'lp' as 'ibp' })).toThrow(/method must be 'ibp' or 'crown'/);
    expect(() => A.integratedGradients(model, x, [1, 2])).toThrow(/target must have shape \[4\]/);
    expect(() => A.integratedGradients(model, x, undefined, { method: 'trapezoid', steps: 1 })).toThrow(
      /needs steps >= 2/,
    );
    expect(() => A.saliency(model, x, undefined, { output: 'prob' as 'logit' })).toThrow(
      /output must be 'logit' or 'probability'/,
    );
    expect(() => A.occlusion(model, x, undefined, { window: [2, 2] })).toThrow(/window \[2, 2\] is larger/);
  });

  it('every error is a DifflabError subclass', () => {
    const attempts = [
      () => A.fgsm(model, x, y, { eps: -1 }),
      () => A.pgd(model, x.add(2), y, { eps: 0.1 }),
      () => A.pgd(model, x, [1], { eps: 0.1 }),
      () => A.fab(model, x, y, { norm: 'l7' as 'l2' }),
    ];
    for (const f of attempts) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DifflabError);
      expect(err instanceof ValueError || err instanceof ShapeError || err instanceof DTypeError).toBe(true);
    }
  });
});
