import { DeviceError, registerBackend } from '@difflab/tensor';
import { WebGPUBackend } from './backend.js';
import { Runtime } from './runtime.js';

/**
 * Options of {@link initWebGPU} and {@link requestWebGPUAdapter}; every field is optional.
 *
 * @example
 * ```ts
 * import { initWebGPU, type InitWebGPUOptions } from '@difflab/gpu';
 * const opts: InitWebGPUOptions = { powerPreference: 'high-performance', fusion: true, poolLimitBytes: 64 << 20 };
 * const info = await initWebGPU(opts);
 * ```
 */
export interface InitWebGPUOptions {
  /** Use this adapter instead of requesting one (e.g. a specific GPU chosen by the caller). */
  adapter?: GPUAdapter;
  /** Passed to `requestAdapter` when no adapter is given. */
  powerPreference?: GPUPowerPreference;
  /** Node only: flags for the `webgpu` package's `create()` (Dawn toggles such as `backend=vulkan`). */
  dawnOptions?: string[];
  /** Fuse chains of elementwise ops into single kernels (default true). */
  fusion?: boolean;
  /** Idle bytes the buffer pool may keep for reuse (default 256 MiB). */
  poolLimitBytes?: number;
}

/**
 * What {@link initWebGPU} found: the adapter, the limits the device was created with, its
 * features, where the implementation came from and the registered backend.
 *
 * @example
 * ```ts
 * import { initWebGPU, type WebGPUInfo } from '@difflab/gpu';
 * const info: WebGPUInfo = await initWebGPU();
 * console.log(info.adapter.description, info.limits.maxStorageBufferBindingSize, info.source);
 * ```
 */
export interface WebGPUInfo {
  /** Adapter description as reported by the implementation (vendor, architecture, …). */
  adapter: {
    /** Vendor name, e.g. `'nvidia'` or `'mesa'` (may be empty). */
    vendor: string;
    /** GPU architecture family (may be empty). */
    architecture: string;
    /** Device identifier (may be empty). */
    device: string;
    /** Human-readable description, e.g. `'llvmpipe (LLVM 15.0.6, 256 bits)'` (may be empty). */
    description: string;
  };
  /** Limits the device was created with (the adapter's maxima for buffer sizes and bindings). */
  limits: {
    /** Largest GPUBuffer in bytes. */
    maxBufferSize: number;
    /** Largest storage binding in bytes: the largest tensor a kernel can read or write. */
    maxStorageBufferBindingSize: number;
    /** Storage buffers one kernel may bind (capped at 16): bounds the inputs of a fused kernel. */
    maxStorageBuffersPerShaderStage: number;
    /** Workgroup shared memory in bytes. */
    maxComputeWorkgroupStorageSize: number;
    /** Threads per workgroup. */
    maxComputeInvocationsPerWorkgroup: number;
  };
  /** Optional WebGPU features the adapter offers (e.g. `'shader-f16'`). */
  features: string[];
  /** Where the WebGPU implementation came from. */
  source: 'adapter' | 'navigator.gpu' | 'webgpu (Dawn for Node)';
  /** The backend registered as device `'webgpu'` with @difflab/tensor. */
  backend: WebGPUBackend;
}

let current: WebGPUInfo | null = null;
/**
 * Dawn for Node tears the instance down when its GPU object is garbage-collected, crashing any
 * device made from it, so the objects behind the registered device are kept reachable here.
 */
const keepAlive: unknown[] = [];

const SETUP_HINT =
  'On Linux without a GPU, install Mesa lavapipe (a Vulkan driver on the CPU) with `sudo scripts/setup-webgpu.sh` ' +
  'from the difflab repository and set XDG_RUNTIME_DIR (e.g. /tmp)';

async function findGPU(opts: InitWebGPUOptions): Promise<{ gpu: GPU; source: WebGPUInfo['source'] }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, source: 'navigator.gpu' };
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  const isNode = !!proc?.versions?.node;
  if (!isNode) throw new DeviceError('initWebGPU: this browser has no WebGPU (navigator.gpu is undefined)');
  // A variable module name keeps browser bundlers from trying to resolve the Node-only package.
  const name = 'webgpu';
  let mod: { create: (options: string[]) => GPU };
  try {
    mod = (await import(/* @vite-ignore */ name)) as typeof mod;
  } catch (e) {
    throw new DeviceError(
      `initWebGPU: no WebGPU implementation in Node; install the optional dependency 'webgpu' (Dawn) — ${(e as Error).message}`,
    );
  }
  return { gpu: mod.create(opts.dawnOptions ?? []), source: 'webgpu (Dawn for Node)' };
}

/** CPU implementations of WebGPU (Mesa lavapipe/llvmpipe, SwiftShader, WARP). */
function isSoftware(info: GPUAdapterInfo): boolean {
  const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.device ?? ''} ${info.description ?? ''}`;
  return /llvmpipe|lavapipe|swiftshader|warp|software/i.test(text);
}

/**
 * The adapter {@link initWebGPU} would use: `navigator.gpu` in the browser, the `webgpu` package
 * (Dawn) in Node. Rejects with a DeviceError that says how to get one when none exists.
 *
 * Use it to inspect the adapter before committing to it; nothing is registered with
 * @difflab/tensor until {@link initWebGPU} runs.
 *
 * @param opts - `adapter` short-circuits the search; `powerPreference` and `dawnOptions` steer it.
 * @returns The adapter and where it came from.
 * @throws {DeviceError} when no WebGPU implementation or no adapter is available.
 *
 * @example
 * ```ts
 * import { initWebGPU, requestWebGPUAdapter } from '@difflab/gpu';
 * const { adapter, source } = await requestWebGPUAdapter({ powerPreference: 'low-power' });
 * console.log(source, adapter.info.description);
 * await initWebGPU({ adapter }); // register exactly this adapter
 * ```
 */
export async function requestWebGPUAdapter(opts: InitWebGPUOptions = {}): Promise<{
  /** The adapter found (or the one passed in). */
  adapter: GPUAdapter;
  /** Where it came from. */
  source: WebGPUInfo['source'];
}> {
  if (opts.adapter) return { adapter: opts.adapter, source: 'adapter' };
  const found = await findGPU(opts);
  keepAlive.push(found.gpu);
  const adapter = await found.gpu.requestAdapter(
    opts.powerPreference ? { powerPreference: opts.powerPreference } : undefined,
  );
  if (!adapter)
    throw new DeviceError(
      `initWebGPU: no WebGPU adapter found (${found.source} returned none). ${found.source === 'navigator.gpu' ? 'Enable WebGPU in this browser or use a GPU-capable machine' : SETUP_HINT}`,
    );
  return { adapter, source: found.source };
}

/**
 * Finds a WebGPU adapter (`navigator.gpu` in the browser, the `webgpu` package in Node), creates a
 * device with the adapter's maximum buffer limits and registers it with @difflab/tensor as
 * `'webgpu'`. Rejects with a DeviceError when no adapter exists. Calling it again returns the
 * device already registered (pass `adapter` to switch to another one).
 *
 * On CPU adapters (lavapipe, SwiftShader, WARP) it picks the register-blocked matmul and fewer
 * grid-stride workgroups, because those implementations pay per workgroup and per barrier.
 *
 * @param opts - adapter choice, fusion and buffer-pool settings (see {@link InitWebGPUOptions}).
 * @returns Adapter description, limits, features, source and the registered {@link WebGPUBackend}.
 * @throws {DeviceError} when no adapter exists or the adapter refuses to create a device.
 *
 * @example
 * ```ts
 * import { initWebGPU } from '@difflab/gpu';
 * import { tensor, matmul } from '@difflab/tensor';
 * await initWebGPU();
 * const a = tensor([[1, 2], [3, 4]], { device: 'webgpu' });
 * const c = matmul(a, a);
 * console.log(await c.data()); // Float32Array [7, 10, 15, 22]
 * ```
 */
export async function initWebGPU(opts: InitWebGPUOptions = {}): Promise<WebGPUInfo> {
  if (current && !opts.adapter) return current;
  const { adapter, source } = await requestWebGPUAdapter(opts);
  keepAlive.push(adapter);
  const al = adapter.limits;
  const limits = {
    maxBufferSize: al.maxBufferSize,
    maxStorageBufferBindingSize: al.maxStorageBufferBindingSize,
    maxStorageBuffersPerShaderStage: Math.min(al.maxStorageBuffersPerShaderStage, 16),
    maxComputeWorkgroupStorageSize: al.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: al.maxComputeInvocationsPerWorkgroup,
  };
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits: limits });
  } catch (e) {
    throw new DeviceError(`initWebGPU: the adapter refused to create a device (${(e as Error).message})`);
  }
  if (current) current.backend.rt.destroy();
  const info = adapter.info ?? ({} as GPUAdapterInfo);
  // CPU adapters pay per workgroup and per barrier: few grid-stride groups, register-blocked matmul.
  const software = isSoftware(info);
  const rt = new Runtime(device, { poolLimitBytes: opts.poolLimitBytes, maxStrideGroups: software ? 64 : undefined });
  const backend = new WebGPUBackend(rt);
  if (software) backend.matmulVariant = 'register';
  if (opts.fusion === false) backend.fusion.enabled = false;
  registerBackend('webgpu', backend);
  current = {
    adapter: {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
    },
    limits,
    features: [...adapter.features],
    source,
    backend,
  };
  return current;
}

/**
 * The registered webgpu backend; throws a DeviceError before {@link initWebGPU} has resolved.
 *
 * @returns The backend instance registered as `'webgpu'`.
 * @throws {DeviceError} before {@link initWebGPU} has resolved.
 *
 * @example
 * ```ts
 * import { initWebGPU, webgpuBackend } from '@difflab/gpu';
 * await initWebGPU();
 * webgpuBackend().fusion.maxNodes = 32; // smaller fused kernels
 * ```
 */
export function webgpuBackend(): WebGPUBackend {
  if (!current) throw new DeviceError("webgpu: not initialised; call `await initWebGPU()` from '@difflab/gpu' first");
  return current.backend;
}
