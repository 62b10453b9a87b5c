import { DeviceError } from '../errors.js';
import type { Backend } from './types.js';
import { cpuBackend } from './cpu/index.js';

const backends = new Map<string, Backend>();
let defaultDevice = 'cpu';

/**
 * Registers (or replaces) a device backend under `name`, e.g. `'webgpu'`.
 *
 * Creation functions with `device: name` then allocate on this backend, and every op on those
 * tensors runs its kernels; a tensor reports its storage backend's `name` as its `device`, so
 * register a backend under its own `name`. `@difflab/gpu` calls this from `initWebGPU()`; call it
 * yourself only to add a device of your own.
 *
 * @param name - the device name.
 * @param backend - the kernel implementation.
 *
 * @example
 * ```ts
 * import { registerBackend, cpuBackend, tensor, type Backend } from '@difflab/tensor';
 * // The host kernels under a second device name (e.g. to test device-mismatch handling).
 * const host2: Backend = Object.create(cpuBackend, { name: { value: 'host2' } });
 * registerBackend('host2', host2);
 * tensor([1, 2], { device: 'host2' }).device; // => 'host2'
 * ```
 */
export function registerBackend(name: string, backend: Backend): void {
  backends.set(name, backend);
}

/**
 * Returns the backend registered as `name`.
 *
 * @param name - a device name.
 * @param op - the op name used in the error message (default `'getBackend'`).
 * @returns the registered backend.
 * @throws {DeviceError} for an unknown device (naming `op` and the registered devices).
 *
 * @example
 * ```ts
 * import { getBackend } from '@difflab/tensor';
 * getBackend('cpu').name; // => 'cpu'
 * getBackend('tpu'); // throws DeviceError
 * ```
 */
export function getBackend(name: string, op = 'getBackend'): Backend {
  const b = backends.get(name);
  if (!b) {
    const hint = name === 'webgpu' ? " (call `await initWebGPU()` from '@difflab/gpu' first)" : '';
    throw new DeviceError(`${op}: unknown device '${name}'${hint}; registered: ${[...backends.keys()].join(', ')}`);
  }
  return b;
}

/**
 * Tells whether a device named `name` is registered.
 *
 * @param name - a device name.
 * @returns true when tensors can be created on it.
 *
 * @example
 * ```ts
 * import { hasBackend } from '@difflab/tensor';
 * hasBackend('cpu'); // => true
 * hasBackend('tpu'); // => false
 * ```
 */
export function hasBackend(name: string): boolean {
  return backends.has(name);
}

/**
 * Lists the names of the registered devices (`'cpu'` always; `'webgpu'` after `initWebGPU()`).
 *
 * @returns the device names, in registration order.
 *
 * @example
 * ```ts
 * import { listDevices } from '@difflab/tensor';
 * listDevices().includes('cpu'); // => true
 * ```
 */
export function listDevices(): string[] {
  return [...backends.keys()];
}

/**
 * Sets the device new tensors are created on when no `device` option is given (like
 * `torch.set_default_device`).
 *
 * @param name - a registered device name.
 * @throws {DeviceError} when no device named `name` is registered.
 *
 * @example
 * ```ts
 * import { setDefaultDevice, tensor } from '@difflab/tensor';
 * setDefaultDevice('cpu');
 * tensor([1]).device; // => 'cpu'
 * setDefaultDevice('tpu'); // throws DeviceError
 * ```
 */
export function setDefaultDevice(name: string): void {
  getBackend(name, 'setDefaultDevice');
  defaultDevice = name;
}

/**
 * Returns the device new tensors are created on when no `device` option is given.
 *
 * @returns the default device name (`'cpu'` unless changed with {@link setDefaultDevice}).
 *
 * @example
 * ```ts
 * import { getDefaultDevice } from '@difflab/tensor';
 * getDefaultDevice(); // => 'cpu'
 * ```
 */
export function getDefaultDevice(): string {
  return defaultDevice;
}

registerBackend('cpu', cpuBackend);
