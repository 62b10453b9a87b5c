import { beforeAll, describe, expect, it } from 'vitest';
import { dispose, fromTypedArray, grad, hessian, tidy, type Tensor } from '@difflab/tensor';
import {
  conv2dPenalty,
  differentiable,
  mlpFlatLoss,
  nnCall,
  nnCaseGrads,
  nnFixture,
  type Arr,
} from '../../tensor/test/helpers/nn-fixture.js';
import { gpu } from './helpers/setup.js';

/** The tensor package's nn fixtures (torch.nn.functional, float32 references) on the webgpu device. */
const fixture = nnFixture;

const TOL = 1e-5;
const t = (a: Arr, device: string): Tensor =>
  fromTypedArray(Float32Array.from(a.data), a.shape, { dtype: 'float32', device });

/**
 * |a - e| / (1 + |e|) <= tol, the tensor package's nn comparison; where the float64 reference
 * `exact` is given, being as close to it is also accepted (the CPU float32 result is one rounding
 * of many possible, not the truth).
 */
function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  label: string,
  exact?: ArrayLike<number>,
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const err = (a: number, e: number) => Math.abs(a - e) / (1 + Math.abs(e));
  for (let i = 0; i < expected.length; i++) {
    const e1 = err(actual[i]!, expected[i]!);
    if (e1 <= tol || (exact && err(actual[i]!, exact[i]!) <= tol)) continue;
    expect.fail(`${label}[${i}]: got ${actual[i]}, expected ${expected[i]} (error ${e1} > ${tol})`);
  }
}

beforeAll(gpu);

describe('nn layers on webgpu match torch.nn.functional float32 (forward and gradients)', () => {
  for (const c of fixture.cases) {
    it(c.name, async () => {
      const ref = c.f32;
      const diff = differentiable(c);
      const extra: Record<string, Tensor> = {};
      for (const k of Object.keys(c.inputs)) if (!diff.includes(k)) extra[k] = t(c.inputs[k]!, 'webgpu');
      const vals = diff.map((k) => t(c.inputs[k]!, 'webgpu'));
      const asObj = (xs: Tensor[]) => Object.fromEntries(diff.map((k, i) => [k, xs[i]!]));
      const cot = t(c.cot, 'webgpu');
      const { res, gs } = tidy(() => ({
        res: nnCall(c, asObj(vals), extra),
        gs: nnCaseGrads(c, vals, extra, cot),
      }));
      try {
        expect(res.out.device).toBe('webgpu');
        expect(res.out.shape).toEqual(ref.outShape);
        expectClose(await res.out.data(), ref.out, TOL, 'out');
        if (ref.runningMean) {
          expectClose(await res.rm!.data(), ref.runningMean, TOL, 'runningMean');
          expectClose(await res.rv!.data(), ref.runningVar!, TOL, 'runningVar');
        }
        for (let i = 0; i < diff.length; i++)
          expectClose(await gs[i]!.data(), ref.grads[diff[i]!]!, TOL, `grad ${diff[i]}`);
      } finally {
        dispose([vals, extra, cot, res, gs]);
      }
    });
  }
});

/**
 * Second-order results through convolutions sum many float32 products with cancellation, so
 * entries far below the array's largest are compared normwise: |a - e| <= 1e-5 (|e| + max|e|).
 * Being that close to the float64 reference `exact` is also accepted.
 */
function expectNormwiseClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  label: string,
  exact?: ArrayLike<number>,
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) {
    const tol = TOL * (Math.abs(expected[i]!) + scale);
    if (Math.abs(actual[i]! - expected[i]!) <= tol || (exact && Math.abs(actual[i]! - exact[i]!) <= tol)) continue;
    expect.fail(
      `${label}[${i}]: got ${actual[i]}, expected ${expected[i]} (|diff| ${Math.abs(actual[i]! - expected[i]!)} > ${tol})`,
    );
  }
}

/** Runs `f` on both devices in float32 and compares the webgpu results with the CPU ones. */
async function sameOnBothDevices(
  f: (device: string) => Tensor[],
  exact: (ArrayLike<number> | undefined)[] = [],
): Promise<void> {
  const cpu = tidy(() => f('cpu'));
  const dev = tidy(() => f('webgpu'));
  try {
    for (let i = 0; i < cpu.length; i++) {
      expect(dev[i]!.device).toBe('webgpu');
      expect(dev[i]!.shape).toEqual(cpu[i]!.shape);
      expectNormwiseClose(await dev[i]!.data(), cpu[i]!.dataSync(), `result ${i}`, exact[i]);
    }
  } finally {
    dispose([cpu, dev]);
  }
}

describe('second order through conv2d on webgpu', () => {
  for (const c of fixture.penalty) {
    it(`gradient of a gradient-norm penalty (${c.name}) matches the CPU`, () =>
      sameOnBothDevices(
        (device) => {
          const [x, w, b, r] = [t(c.x, device), t(c.w, device), t(c.b, device), t(c.r, device)];
          const penalty = conv2dPenalty(c, r);
          return [penalty(x, w, b), ...(grad(penalty, { argnums: [1, 2, 0] })(x, w, b) as Tensor[])];
        },
        [[c.penalty], c.dw, c.db, c.dx],
      ));
  }
});

describe('Hessian of an MLP loss on webgpu', () => {
  for (const c of fixture.hessian) {
    it(`${c.name}: loss, gradient and Hessian match the CPU`, () =>
      sameOnBothDevices((device) => {
        const { loss, size: n4 } = mlpFlatLoss(c, t(c.X, device), t(c.Y, device), { dtype: 'float32', device });
        const theta = fromTypedArray(Float32Array.from(c.theta), [n4], { dtype: 'float32', device });
        return [loss(theta), grad(loss)(theta) as Tensor, hessian(loss)(theta) as Tensor];
      }));
  }
});
