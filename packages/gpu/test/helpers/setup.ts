import { initWebGPU, type WebGPUInfo } from '../../src/index.js';

/**
 * Initialises the webgpu device once per test file. A missing adapter fails the file: these tests
 * must run (in CI through Mesa lavapipe, see scripts/setup-webgpu.sh), never silently skip.
 */
export async function gpu(): Promise<WebGPUInfo> {
  return initWebGPU();
}
