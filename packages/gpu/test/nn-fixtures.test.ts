import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  add,
  dispose,
  fromTypedArray,
  grad,
  hessian,
  mean,
  mul,
  nn,
  reshape,
  slice,
  sum,
  tanh,
  tidy,
  type Tensor,
} from '@difflab/tensor';
import { gpu } from './helpers/setup.js';

/** The tensor package's nn fixtures (torch.nn.functional, float32 references) on the webgpu device. */
interface Arr {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  op: string;
  opts: Record<string, any>;
  inputs: Record<string, Arr>;
  cot: Arr;
  f32: {
    out: number[];
    outShape: number[];
    grads: Record<string, number[]>;
    runningMean?: number[];
    runningVar?: number[];
  };
}
const fixture = JSON.parse(readFileSync(new URL('../../tensor/test/fixtures/nn.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  penalty: {
    name: string;
    opts: Record<string, any>;
    x: Arr;
    w: Arr;
    b: Arr;
    r: Arr;
    penalty: number;
    dw: number[];
    db: number[];
    dx: number[];
  }[];
  hessian: {
    name: string;
    sizes: [number, number, number];
    activation: 'tanh' | 'gelu';
    X: Arr;
    Y: Arr;
    theta: number[];
  }[];
};

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

function call(c: Case, p: Record<string, Tensor>, extra: Record<string, Tensor>) {
  const o = c.opts;
  switch (c.op) {
    case 'conv2d':
      return { out: nn.conv2d(p.x!, p.w!, p.b, o) };
    case 'conv1d':
      return { out: nn.conv1d(p.x!, p.w!, p.b, o) };
    case 'linear':
      return { out: nn.linear(p.x!, p.w!, p.b) };
    case 'unfold':
      return { out: nn.unfold(p.x!, o.kernelSize, o) };
    case 'fold':
      return { out: nn.fold(p.x!, o.outputSize, o.kernelSize, o) };
    case 'maxPool2d':
      return { out: nn.maxPool2d(p.x!, o as any) };
    case 'avgPool2d':
      return { out: nn.avgPool2d(p.x!, o as any) };
    case 'adaptiveAvgPool2d':
      return { out: nn.adaptiveAvgPool2d(p.x!, o.outputSize) };
    case 'layerNorm':
      return { out: nn.layerNorm(p.x!, o.normalizedShape, p.w, p.b, o.eps) };
    case 'groupNorm':
      return { out: nn.groupNorm(p.x!, o.numGroups, p.w, p.b, o.eps) };
    case 'batchNorm': {
      const r = nn.batchNorm(p.x!, extra.runningMean, extra.runningVar, p.w, p.b, o);
      return { out: r.out, rm: r.runningMean, rv: r.runningVar };
    }
  }
  throw new Error(`unknown op ${c.op}`);
}

beforeAll(gpu);

describe('nn layers on webgpu match torch.nn.functional float32 (forward and gradients)', () => {
  for (const c of fixture.cases) {
    it(c.name, async () => {
      const ref = c.f32;
      const diff = Object.keys(c.inputs).filter((k) => ['x', 'w', 'b'].includes(k));
      const extra: Record<string, Tensor> = {};
      for (const k of Object.keys(c.inputs)) if (!diff.includes(k)) extra[k] = t(c.inputs[k]!, 'webgpu');
      const vals = diff.map((k) => t(c.inputs[k]!, 'webgpu'));
      const asObj = (xs: Tensor[]) => Object.fromEntries(diff.map((k, i) => [k, xs[i]!]));
      const cot = t(c.cot, 'webgpu');
      const { res, gs } = tidy(() => ({
        res: call(c, asObj(vals), extra),
        gs: grad((...xs: Tensor[]) => sum(mul(call(c, asObj(xs), extra).out, cot)), { argnums: diff.map((_, i) => i) })(
          ...vals,
        ) as Tensor[],
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
          const penalty = (x: Tensor, w: Tensor, b: Tensor) => {
            const gx = grad((xx: Tensor) => sum(mul(tanh(nn.conv2d(xx, w, b, c.opts)), r)))(x) as Tensor;
            return sum(mul(gx, gx));
          };
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
        const [fin, hid, fout] = c.sizes;
        const X = t(c.X, device);
        const Y = t(c.Y, device);
        const n1 = hid * fin;
        const n2 = n1 + hid;
        const n3 = n2 + fout * hid;
        const n4 = n3 + fout;
        const net = nn.mlp(c.sizes, { activation: c.activation, dtype: 'float32', device } as any);
        const loss = (theta: Tensor) => {
          const params = [
            { w: reshape(slice(theta, `0:${n1}`), [hid, fin]), b: slice(theta, `${n1}:${n2}`) },
            { w: reshape(slice(theta, `${n2}:${n3}`), [fout, hid]), b: slice(theta, `${n3}:${n4}`) },
          ];
          const d = add(net.apply(params, X), mul(Y, -1));
          return mean(mul(d, d));
        };
        const theta = fromTypedArray(Float32Array.from(c.theta), [n4], { dtype: 'float32', device });
        return [loss(theta), grad(loss)(theta) as Tensor, hessian(loss)(theta) as Tensor];
      }));
  }
});
