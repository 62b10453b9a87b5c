import { DeviceError } from '../errors.js';
import type { Backend } from './types.js';
import { cpuBackend } from './cpu/index.js';

const backends = new Map<string, Backend>();
let defaultDevice = 'cpu';

/** Registers (or replaces) a device backend under `name`, e.g. `'webgpu'`. */
export function registerBackend(name: string, backend: Backend): void {
  backends.set(name, backend);
}

/** The backend registered as `name`; throws DeviceError (naming `op`) for an unknown device. */
export function getBackend(name: string, op = 'getBackend'): Backend {
  const b = backends.get(name);
  if (!b) {
    const hint = name === 'webgpu' ? " (call `await initWebGPU()` from '@difflab/gpu' first)" : '';
    throw new DeviceError(`${op}: unknown device '${name}'${hint}; registered: ${[...backends.keys()].join(', ')}`);
  }
  return b;
}

/** True when a device named `name` is registered. */
export function hasBackend(name: string): boolean {
  return backends.has(name);
}

/** Names of the registered devices. */
export function listDevices(): string[] {
  return [...backends.keys()];
}

/** Device new tensors are created on when no `device` option is given. */
export function setDefaultDevice(name: string): void {
  getBackend(name, 'setDefaultDevice');
  defaultDevice = name;
}

/** The device new tensors are created on when no `device` option is given. */
export function getDefaultDevice(): string {
  return defaultDevice;
}

registerBackend('cpu', cpuBackend);
