import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  add,
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
  type Tensor,
} from '../src/index.js';

interface Arr {
  shape: number[];
  data: number[];
}
interface Result {
  out: number[];
  outShape: number[];
  grads: Record<string, number[]>;
  runningMean?: number[];
  runningVar?: number[];
}
interface Case {
  name: string;
  op: string;
  opts: Record<string, any>;
  inputs: Record<string, Arr>;
  cot: Arr;
  f64: Result;
  f32: Result;
}
interface Penalty {
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
}
interface HessianCase {
  name: string;
  sizes: [number, number, number];
  activation: 'tanh' | 'gelu';
  X: Arr;
  Y: Arr;
  theta: number[];
  loss: number;
  grad: number[];
  hessian: number[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/nn.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  penalty: Penalty[];
  hessian: HessianCase[];
};

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

/** The difflab call for a fixture case; `p` holds the differentiable tensors (x, w, b). */
function call(
  c: Case,
  p: Record<string, Tensor>,
  extra: Record<string, Tensor>,
): { out: Tensor; rm?: Tensor | null; rv?: Tensor | null } {
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

const TOL: Record<Dt, number> = { float64: 1e-10, float32: 1e-5 };

describe('nn layers match torch.nn.functional (forward and input/weight gradients)', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    for (const c of fixture.cases) {
      it(`${c.name} (${dtype})`, () => {
        const ref = dtype === 'float64' ? c.f64 : c.f32;
        const diff = Object.keys(c.inputs).filter((k) => ['x', 'w', 'b'].includes(k));
        const extra: Record<string, Tensor> = {};
        for (const k of Object.keys(c.inputs)) if (!diff.includes(k)) extra[k] = t(c.inputs[k]!, dtype);
        const vals = diff.map((k) => t(c.inputs[k]!, dtype));
        const asObj = (xs: Tensor[]) => Object.fromEntries(diff.map((k, i) => [k, xs[i]!]));
        const res = call(c, asObj(vals), extra);
        expect(res.out.shape).toEqual(ref.outShape);
        expect(res.out.dtype).toBe(dtype);
        expectClose(res.out.dataSync(), ref.out, TOL[dtype], 'out');
        if (ref.runningMean) {
          expectClose(res.rm!.dataSync(), ref.runningMean, TOL[dtype], 'runningMean');
          expectClose(res.rv!.dataSync(), ref.runningVar!, TOL[dtype], 'runningVar');
        }
        const cot = t(c.cot, dtype);
        const gs = grad((...xs: Tensor[]) => sum(mul(call(c, asObj(xs), extra).out, cot)), {
          argnums: diff.map((_, i) => i),
        })(...vals) as Tensor[];
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
      const penalty = (x: Tensor, w: Tensor, b: Tensor) => {
        const gx = grad((xx: Tensor) => sum(mul(tanh(nn.conv2d(xx, w, b, c.opts)), r)))(x) as Tensor;
        return sum(mul(gx, gx));
      };
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
      const [fin, hid, fout] = c.sizes;
      const X = t(c.X, 'float64');
      const Y = t(c.Y, 'float64');
      const n1 = hid * fin;
      const n2 = n1 + hid;
      const n3 = n2 + fout * hid;
      const n4 = n3 + fout;
      const net = nn.mlp(c.sizes, { activation: c.activation, dtype: 'float64' });
      const loss = (theta: Tensor) => {
        const params = [
          { w: reshape(slice(theta, `0:${n1}`), [hid, fin]), b: slice(theta, `${n1}:${n2}`) },
          { w: reshape(slice(theta, `${n2}:${n3}`), [fout, hid]), b: slice(theta, `${n3}:${n4}`) },
        ];
        const d = add(net.apply(params, X), mul(Y, -1));
        return mean(mul(d, d));
      };
      const theta = fromTypedArray(Float64Array.from(c.theta), [n4], { dtype: 'float64' });
      expect(loss(theta).item()).toBeCloseTo(c.loss, 12);
      expectClose((grad(loss)(theta) as Tensor).dataSync(), c.grad, 1e-10, 'gradient');
      const h = hessian(loss)(theta) as Tensor;
      expect(h.shape).toEqual([n4, n4]);
      expectClose(h.dataSync(), c.hessian, 1e-10, 'hessian');
    });
  }
});
