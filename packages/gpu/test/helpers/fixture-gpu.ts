import { expect } from 'vitest';
import * as dl from '@difflab/tensor';
import { dispose, fromTypedArray, grad, isFloat, mul, sum, tidy, type Tensor } from '@difflab/tensor';
import { expectClose, inputTensor, num, runOp, type FixtureCase } from '../../../tensor/test/helpers/ops-fixture.js';

/** float32 tolerance of the cross-device comparison (as on the CPU). */
export const RTOL = 1e-5;

const onGpu = (t: Tensor): Tensor => t.to('webgpu');

function floatIdx(c: FixtureCase): number[] {
  return c.inputs.flatMap((inp, i) => (inp.kind === 'float' ? [i] : []));
}

function weights(c: FixtureCase, device: string): Tensor[] {
  return c.weights.map((w) =>
    fromTypedArray(Float64Array.from(w.data, num), w.shape, { dtype: 'float64' }).astype('float32').to(device),
  );
}

/** sum_k sum(out_k * w_k) of the case's float outputs (the fixture's gradient objective). */
function objective(c: FixtureCase, xs: Tensor[], ws: Tensor[], idx: number[]) {
  return (...floats: Tensor[]): Tensor => {
    const all = xs.slice();
    idx.forEach((i, j) => (all[i] = floats[j]!));
    const outs = runOp(c, all, 'float32').filter((o) => isFloat(o.dtype));
    let acc: Tensor | null = null;
    outs.forEach((o, k) => {
      const term = sum(mul(o, ws[k]!));
      acc = acc === null ? term : acc.add(term);
    });
    return acc!;
  };
}

/** Forward values, dtypes and devices, then autograd gradients, of one fixture case run on webgpu. */
export async function checkCaseOnGpu(c: FixtureCase): Promise<void> {
  const xs = tidy(() => c.inputs.map((i) => onGpu(inputTensor(i, 'float32'))));
  const outs = tidy(() => runOp(c, xs, 'float32'));
  try {
    await checkOutputsAndGrads(c, xs, outs);
  } finally {
    dispose([xs, outs]);
  }
}

async function checkOutputsAndGrads(c: FixtureCase, xs: Tensor[], outs: Tensor[]): Promise<void> {
  expect(outs.length, 'number of outputs').toBe(c.outputs.length);
  for (let k = 0; k < outs.length; k++) {
    const o = outs[k]!;
    const ref = c.outputs[k]!;
    expect(o.device, `output ${k} device`).toBe('webgpu');
    expect(o.shape, `output ${k} shape`).toEqual(ref.shape);
    expect(o.dtype, `output ${k} dtype`).toBe(ref.kind === 'float' ? 'float32' : ref.kind);
    const data = await o.data();
    if (ref.kind === 'float') expectClose(data, ref.f32, RTOL, `output ${k}`, ref.f64);
    else expect(Array.from(data), `output ${k}`).toEqual(ref.f32.map(num));
  }
  const idx = floatIdx(c);
  if (c.weights.length === 0 || idx.length === 0) return;
  const gs = tidy(() => {
    const f = objective(c, xs, weights(c, 'webgpu'), idx);
    return grad(f, { argnums: idx.map((_, j) => j) })(...idx.map((i) => xs[i]!)) as Tensor[];
  });
  try {
    for (let j = 0; j < idx.length; j++) {
      const i = idx[j]!;
      const ref = c.grads[i]!;
      expect(gs[j]!.device, `grad ${i} device`).toBe('webgpu');
      expect(gs[j]!.shape, `grad ${i} shape`).toEqual(c.inputs[i]!.shape);
      expectClose(await gs[j]!.data(), ref.f32, RTOL, `grad of input ${i}`, ref.f64);
    }
  } finally {
    dispose(gs);
  }
}

/**
 * Grad-of-grad: the gradient of sum(grad(objective)(x) * v) for a fixed direction v, i.e. a
 * Hessian-vector product, computed on webgpu and on the CPU in float32 and compared.
 */
export async function checkSecondOrderOnGpu(c: FixtureCase): Promise<void> {
  const idx = floatIdx(c);
  const run = (device: string) =>
    tidy(() => {
      const xs = c.inputs.map((i) => inputTensor(i, 'float32').to(device));
      const f = objective(c, xs, weights(c, device), idx);
      const argnums = idx.map((_, j) => j);
      const dirs = idx.map((i) => direction(c.inputs[i]!.shape).to(device));
      const h = (...floats: Tensor[]) => {
        const gs = grad(f, { argnums })(...floats) as Tensor[];
        return gs.map((g, j) => sum(mul(g, dirs[j]!))).reduce((a, b) => a.add(b));
      };
      return grad(h, { argnums })(...idx.map((i) => xs[i]!)) as Tensor[];
    });
  const cpu = run('cpu');
  const gpu = run('webgpu');
  try {
    for (let j = 0; j < idx.length; j++) {
      expect(gpu[j]!.device).toBe('webgpu');
      const ref = Array.from(cpu[j]!.dataSync());
      expectSecondOrderClose(await gpu[j]!.data(), ref, `second-order grad of input ${idx[j]}`);
    }
  } finally {
    dispose([cpu, gpu]);
  }
}

/**
 * Second derivatives of piecewise ops (mod, clamp, relu, …) are rounding noise around zero on both
 * devices, so next to the relative bound an absolute floor of 1e-5 (float32 noise of O(1)
 * quantities) applies.
 */
function expectSecondOrderClose(actual: ArrayLike<number>, expected: number[], label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let scale = 0;
  for (const e of expected) if (Number.isFinite(e)) scale = Math.max(scale, Math.abs(e));
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e)))
        expect.fail(`${label}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    const tol = RTOL * (Math.abs(e) + 1e-2 * scale) + 1e-5;
    if (!(Math.abs(a - e) <= tol))
      expect.fail(`${label}[${i}]: got ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > ${tol})`);
  }
}

/** Deterministic direction in [-1, 1) for Hessian-vector products. */
function direction(shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  let s = 987654321;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    d[i] = (2 * s) / 2147483648 - 1;
  }
  return dl.fromTypedArray(d, [...shape], { dtype: 'float32' });
}
