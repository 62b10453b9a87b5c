import { expect } from 'vitest';
import { dispose, tidy, type Tensor } from '@difflab/tensor';

export const RTOL = 1e-5;

/**
 * float32 comparison used across the cross-device tests: |a - e| <= rtol (|e| + floor * max|e|),
 * NaN and infinities matching exactly. The floor keeps entries that cancel to ~0 from demanding more
 * digits than float32 carries (the tensor package's fixtures use the same rule with floor 1e-2).
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  label: string,
  rtol = RTOL,
  floor = 1e-2,
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++)
    if (Number.isFinite(expected[i]!)) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e)))
        expect.fail(`${label}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    const tol = rtol * (Math.abs(e) + floor * scale);
    if (!(Math.abs(a - e) <= tol))
      expect.fail(`${label}[${i}]: got ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > ${tol})`);
  }
}

/**
 * Runs `f` once with every tensor on the CPU and once on webgpu (float32 both) and compares each
 * returned tensor; everything created is disposed.
 */
export async function sameOnBothDevices(f: (device: string) => Tensor[], rtol = RTOL, floor = 1e-2): Promise<void> {
  const cpu = tidy(() => f('cpu'));
  const dev = tidy(() => f('webgpu'));
  try {
    expect(dev.length).toBe(cpu.length);
    for (let i = 0; i < cpu.length; i++) {
      expect(dev[i]!.device, `result ${i} device`).toBe('webgpu');
      expect(dev[i]!.shape, `result ${i} shape`).toEqual(cpu[i]!.shape);
      expect(dev[i]!.dtype, `result ${i} dtype`).toBe(cpu[i]!.dtype);
      expectClose(await dev[i]!.data(), cpu[i]!.dataSync(), `result ${i}`, rtol, floor);
    }
  } finally {
    dispose([cpu, dev]);
  }
}
