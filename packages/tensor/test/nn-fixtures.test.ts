import { describe, expect, it } from 'vitest';
import { fromTypedArray, grad, hessian, type Tensor } from '../src/index.js';
import {
  conv2dPenalty,
  differentiable,
  mlpFlatLoss,
  nnCall,
  nnCaseGrads,
  nnFixture,
  type Arr,
} from './helpers/nn-fixture.js';

const fixture = nnFixture;

type Dt = 'float32' | 'float64';
const t = (a: Arr, dtype: Dt): Tensor => fromTypedArray(Float64Array.from(a.data), a.shape, { dtype });

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol: number, label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${label}: worst error at ${at} (${actual[at]} vs ${expected[at]})`).toBeLessThanOrEqual(tol);
}

const TOL: Record<Dt, number> = { float64: 1e-10, float32: 1e-5 };

describe('nn layers match torch.nn.functional (forward and input/weight gradients)', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    for (const c of fixture.cases) {
      it(`${c.name} (${dtype})`, () => {
        const ref = dtype === 'float64' ? c.f64 : c.f32;
        const diff = differentiable(c);
        const extra: Record<string, Tensor> = {};
        for (const k of Object.keys(c.inputs)) if (!diff.includes(k)) extra[k] = t(c.inputs[k]!, dtype);
        const vals = diff.map((k) => t(c.inputs[k]!, dtype));
        const asObj = (xs: Tensor[]) => Object.fromEntries(diff.map((k, i) => [k, xs[i]!]));
        const res = nnCall(c, asObj(vals), extra);
        expect(res.out.shape).toEqual(ref.outShape);
        expect(res.out.dtype).toBe(dtype);
        expectClose(res.out.dataSync(), ref.out, TOL[dtype], 'out');
        if (ref.runningMean) {
          expectClose(res.rm!.dataSync(), ref.runningMean, TOL[dtype], 'runningMean');
          expectClose(res.rv!.dataSync(), ref.runningVar!, TOL[dtype], 'runningVar');
        }
        const cot = t(c.cot, dtype);
        const gs = nnCaseGrads(c, vals, extra, cot);
        diff.forEach((k, i) => {
          expect(gs[i]!.shape, `grad ${k} shape`).toEqual(c.inputs[k]!.shape);
          expectClose(gs[i]!.dataSync(), ref.grads[k]!, TOL[dtype], `grad ${k}`);
        });
      });
    }
  }
});

describe('second order through conv2d', () => {
  for (const c of fixture.penalty) {
    it(`gradient of a gradient-norm penalty (${c.name}) matches torch create_graph`, () => {
      const [x, w, b, r] = [t(c.x, 'float64'), t(c.w, 'float64'), t(c.b, 'float64'), t(c.r, 'float64')];
      const penalty = conv2dPenalty(c, r);
      expect(penalty(x, w, b).item()).toBeCloseTo(c.penalty, 10);
      const [dw, db, dx] = grad(penalty, { argnums: [1, 2, 0] })(x, w, b) as Tensor[];
      expectClose(dw!.dataSync(), c.dw, 1e-10, 'dP/dw');
      expectClose(db!.dataSync(), c.db, 1e-10, 'dP/db');
      expectClose(dx!.dataSync(), c.dx, 1e-10, 'dP/dx');
    });
  }
});

describe('Hessian of an MLP loss', () => {
  for (const c of fixture.hessian) {
    it(`${c.name}: matches torch.autograd.functional.hessian (float64)`, () => {
      const { loss, size: n4 } = mlpFlatLoss(c, t(c.X, 'float64'), t(c.Y, 'float64'), { dtype: 'float64' });
      const theta = fromTypedArray(Float64Array.from(c.theta), [n4], { dtype: 'float64' });
      expect(loss(theta).item()).toBeCloseTo(c.loss, 12);
      expectClose((grad(loss)(theta) as Tensor).dataSync(), c.grad, 1e-10, 'gradient');
      const h = hessian(loss)(theta) as Tensor;
      expect(h.shape).toEqual([n4, n4]);
      expectClose(h.dataSync(), c.hessian, 1e-10, 'hessian');
    });
  }
});
