import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as dl from '@difflab/tensor';
import { DTypeError, DeviceError, DisposedError, dispose, linalg, random, tensor, toAsync } from '@difflab/tensor';
import { initWebGPU, requestWebGPUAdapter, type WebGPUInfo } from '../src/index.js';
import { gpu } from './helpers/setup.js';

let info: WebGPUInfo;
beforeAll(async () => {
  info = await gpu();
});

function expectThrow(f: () => unknown, cls: new (...a: never[]) => Error, re: RegExp): void {
  expect(f).toThrow(cls);
  expect(f).toThrow(re);
}

describe('initWebGPU', () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  afterEach(() => {
    if (saved) Object.defineProperty(globalThis, 'navigator', saved);
  });
  it('registers the device and reports the adapter and limits', async () => {
    expect(dl.listDevices()).toContain('webgpu');
    expect(info.backend.name).toBe('webgpu');
    expect(info.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 1024 * 1024);
    expect(await initWebGPU()).toBe(info);
  });
  it('rejects with a DeviceError naming the missing adapter', async () => {
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu: { requestAdapter: async () => null } },
      configurable: true,
    });
    await expect(requestWebGPUAdapter()).rejects.toThrow(DeviceError);
    await expect(requestWebGPUAdapter()).rejects.toThrow(
      /initWebGPU: no WebGPU adapter found \(navigator\.gpu returned none\)/,
    );
  });
});

describe('float64 never reaches the device', () => {
  it('uploads, casts and fills of float64 throw a DTypeError naming the dtype', () => {
    expectThrow(
      () => tensor([1, 2], { dtype: 'float64', device: 'webgpu' }),
      DTypeError,
      /float64 is not supported on the webgpu device.*WGSL has no 64-bit floats/,
    );
    expectThrow(() => tensor([1, 2], { dtype: 'float64' }).to('webgpu'), DTypeError, /dtype float64.*2 elements/);
    const x = tensor([1, 2], { device: 'webgpu' });
    expectThrow(() => x.astype('float64'), DTypeError, /webgpu copy: dtype float64 .*shape \[2\]/);
    expectThrow(
      () => dl.zeros([3], { dtype: 'float64', device: 'webgpu' }),
      DTypeError,
      /webgpu fill: dtype float64.*shape \[3\]/,
    );
    x.dispose();
  });
});

describe('what needs await on webgpu (no synchronous reads)', () => {
  it('dataSync, toArray, item and to("cpu") throw a DeviceError pointing at the async form', async () => {
    const x = tensor([[1, 2]], { device: 'webgpu' });
    expectThrow(
      () => x.dataSync(),
      DeviceError,
      /dataSync: device 'webgpu' cannot be read synchronously; use await t.data\(\)/,
    );
    expectThrow(() => x.toArray(), DeviceError, /use await t.data\(\)/);
    expectThrow(() => dl.sum(x).item(), DeviceError, /cannot be read synchronously/);
    expectThrow(() => x.to('cpu'), DeviceError, /to: device 'webgpu' cannot be read synchronously; use await toAsync/);
    const back = await toAsync(x, 'cpu');
    expect(back.toArray()).toEqual([[1, 2]]);
    expect(await x.toArrayAsync()).toEqual([[1, 2]]);
    expect(x.toString()).toMatch(/device=webgpu/);
    dispose([x, back]);
  });
  it('the gradient of a CPU -> webgpu transfer cannot flow back synchronously', () => {
    const x = tensor([1, 2, 3]);
    expectThrow(
      () => dl.grad((t: dl.Tensor) => dl.sum(t.to('webgpu').square()))(x),
      DeviceError,
      /cannot be read synchronously/,
    );
  });
  it('linalg has no webgpu kernels: a DeviceError asks to move the operands to the CPU', () => {
    const a = dl.eye(3, 3, { device: 'webgpu' });
    expectThrow(
      () => linalg.cholesky(a),
      DeviceError,
      /no 'linalg.cholesky' kernel and cannot be read synchronously; move the operands to the CPU/,
    );
    expectThrow(() => linalg.solve(a, a), DeviceError, /linalg.solve/);
    a.dispose();
  });
  it('random keys stay on the CPU; samples can be placed on webgpu', async () => {
    const k = random.key(1);
    expectThrow(() => random.uniform(k.to('webgpu'), [2]), DeviceError, /keep keys on the CPU/);
    const u = random.uniform(k, [3], { device: 'webgpu' } as never);
    expect(u.device).toBe('webgpu');
    expect(Array.from(await u.data())).toEqual(Array.from(random.uniform(k, [3]).dataSync()));
  });
});

describe('device limits', () => {
  it('an array larger than one storage binding is a DeviceError naming the sizes', () => {
    const n = info.limits.maxStorageBufferBindingSize / 4 + 1;
    const big = dl.zeros([n], { device: 'webgpu' });
    expectThrow(
      () => dl.sum(big),
      DeviceError,
      /webgpu: an array of \d+ elements \(.* MiB\) exceeds this device's maxStorageBufferBindingSize/,
    );
    big.dispose();
  });
});

describe('misuse', () => {
  it('mixing devices and reading disposed tensors', async () => {
    const a = tensor([1, 2], { device: 'webgpu' });
    const b = tensor([1, 2]);
    expectThrow(() => a.add(b), DeviceError, /add: tensors are on different devices \(webgpu \[2\], cpu \[2\]\)/);
    a.dispose();
    expectThrow(() => a.mul(2), DisposedError, /mul: an input of shape \[2\] was used after dispose\(\)/);
    await expect(a.data()).rejects.toThrow(DisposedError);
  });
});
