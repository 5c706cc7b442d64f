/**
 * The WebGPU backend in Node: Dawn (the `webgpu` npm package, dawn.node prebuilt per platform) gives
 * `navigator.gpu`, and @tensorflow/tfjs-backend-webgpu runs tfjs's kernels on the device Dawn opens.
 *
 * Why not the package's own registration: it registers only where `navigator.gpu` exists when it is
 * imported (never in Node), and the device it asks for keeps WebGPU's default workgroup and storage
 * limits, with which tfjs's Conv2DMMProgram is invalid on some adapters (Mesa's among them). We ask
 * for the adapter's own limits and register the backend under tfjs's name, 'webgpu', where its
 * kernels are registered.
 *
 * Each API is tried through its own Dawn instance (`backend=vulkan`, ...): Dawn does not say which API
 * an adapter came through, and this way we know. OpenGL ES needs EGL; with no display (a server, CI)
 * Mesa's EGL must be told to run surfaceless, which we do only when the user has not chosen a platform.
 *
 * Reads from a WebGPU device are asynchronous only (the package's readSync needs OffscreenCanvas, which
 * Node lacks): the engine reads tensors with `await data()` everywhere.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import * as tf from '@tensorflow/tfjs-core';
import { findLibrary, librarySearch, type LibrarySearch } from './gpu-facts';
import {
  WEBGPU_APIS,
  WEBGPU_LINUX_LIBRARIES,
  chooseAdapter,
  isSoftwareAdapter,
  type WebGpuAdapter,
  type WebGpuApi,
  type WebGpuProbe,
} from '../../../shared/webgpu';

interface Dawn {
  create(options: string[]): GPU;
  globals: object;
}

/** The limits tfjs's compute shaders need above WebGPU's defaults; each is asked for at the adapter's own value. */
const NEEDED_LIMITS = [
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
] as const;

let dawn: Promise<Dawn> | undefined;
/** The device in use, kept referenced for the life of the process (and the reason it was lost, if it was). */
interface ActiveDevice {
  adapter: WebGpuAdapter;
  device: GPUDevice;
  lost?: string;
}
let active: ActiveDevice | undefined;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function loadDawn(): Promise<Dawn> {
  dawn ??= import('webgpu').then(
    (m) => {
      // GPUBufferUsage, GPUMapMode, GPUShaderStage...: the constants tfjs-backend-webgpu reads as globals.
      Object.assign(globalThis, m.globals);
      return m;
    },
    (err: unknown) => {
      dawn = undefined;
      throw new Error(`the webgpu package (Dawn) could not load: ${messageOf(err)}; reinstall the app (npm ci)`);
    },
  );
  return dawn;
}

function instanceFor(d: Dawn, api: WebGpuApi): GPU {
  const env = process.env;
  if (api === 'opengles' && env.EGL_PLATFORM == null && env.DISPLAY == null && env.WAYLAND_DISPLAY == null) {
    env.EGL_PLATFORM = 'surfaceless';
  }
  return d.create([`backend=${api}`]);
}

async function requestAdapter(gpu: GPU, api: WebGpuApi): Promise<GPUAdapter | null> {
  // OpenGL ES reaches only WebGPU's compatibility feature level; asking for core there finds nothing.
  const options = api === 'opengles' ? { featureLevel: 'compatibility' } : { powerPreference: 'high-performance' };
  return gpu.requestAdapter(options as GPURequestAdapterOptions);
}

function adapterFacts(adapter: GPUAdapter, api: WebGpuApi): WebGpuAdapter {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return {
    api,
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: (info.device ?? '').replace(/-+$/, ''),
    description: (info.description ?? '').replace(/^OpenGL version /, ''),
    software: isSoftwareAdapter(info),
    featureLevel: api === 'opengles' ? 'compatibility' : 'core',
  };
}

let search: LibrarySearch | undefined;

/** The first library the API needs that the loader cannot find (Linux), or undefined. */
function missingLibrary(api: WebGpuApi): string | undefined {
  if (process.platform !== 'linux') return undefined;
  search ??= librarySearch();
  const s = search;
  return (WEBGPU_LINUX_LIBRARIES[api] ?? []).find((lib) => findLibrary(lib, s) == null);
}

async function probe(d: Dawn, api: WebGpuApi): Promise<{ probe: WebGpuProbe; gpu?: GPU; adapter?: GPUAdapter }> {
  const missing = missingLibrary(api);
  if (missing != null) return { probe: { api, error: `${missing} is not installed`, missingLibrary: missing } };
  try {
    const gpu = instanceFor(d, api);
    const adapter = await requestAdapter(gpu, api);
    if (adapter == null) return { probe: { api, error: 'no adapter' } };
    return { probe: { api, adapter: adapterFacts(adapter, api) }, gpu, adapter };
  } catch (err) {
    return { probe: { api, error: messageOf(err) } };
  }
}

/** Every adapter Dawn finds on this machine, one probe per API the platform has (nothing is opened). */
export async function listWebGpuAdapters(): Promise<WebGpuProbe[]> {
  const apis = WEBGPU_APIS[process.platform] ?? [];
  if (apis.length === 0) return [];
  const d = await loadDawn();
  const out: WebGpuProbe[] = [];
  for (const api of apis) out.push((await probe(d, api)).probe);
  return out;
}

function whyNone(probes: WebGpuProbe[], allowSoftware: boolean): string {
  if (probes.length === 0) return `Dawn has no build for ${process.platform}`;
  const software = probes.find((p) => p.adapter?.software);
  if (software && !allowSoftware) {
    return 'only a software adapter was found (for tests; choose compute.backend "webgpu" to use it anyway)';
  }
  return `no WebGPU adapter was found (${probes.map((p) => `${p.api}: ${p.error ?? 'none'}`).join('; ')}); run fedmem doctor`;
}

/**
 * Opens a device on the adapter `chooseAdapter` picks and registers it as tfjs's 'webgpu' backend. The
 * first call decides the device for the life of the process; later calls return the same adapter.
 */
export async function activateWebGpu(allowSoftware: boolean): Promise<WebGpuAdapter> {
  if (active != null) {
    if (active.adapter.software && !allowSoftware)
      throw new Error(whyNone([{ api: active.adapter.api, adapter: active.adapter }], false));
    return active.adapter;
  }
  const d = await loadDawn();
  const found: Awaited<ReturnType<typeof probe>>[] = [];
  for (const api of WEBGPU_APIS[process.platform] ?? []) found.push(await probe(d, api));
  const chosen = chooseAdapter(
    found.map((f) => f.probe),
    allowSoftware,
  );
  const pick = found.find((f) => f.probe.adapter === chosen);
  if (chosen == null || pick?.adapter == null || pick.gpu == null) {
    throw new Error(
      whyNone(
        found.map((f) => f.probe),
        allowSoftware,
      ),
    );
  }
  const limits = pick.adapter.limits as unknown as Record<string, number>;
  const device = await pick.adapter.requestDevice({
    requiredLimits: Object.fromEntries(NEEDED_LIMITS.map((k) => [k, limits[k]])),
  });
  const state: ActiveDevice = { adapter: chosen, device };
  void device.lost.then((info) => {
    state.lost = info.message || info.reason;
  });
  // Node 20 has no navigator; later Node versions have one without `gpu`.
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: GPU };
  if (nav.gpu == null) Object.defineProperty(nav, 'gpu', { value: pick.gpu, configurable: true });
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu') != null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, pick.adapter!.info), 0);
  active = state;
  return chosen;
}

/** Why the device went away (driver reset, out of memory), once it has; a failing run says this. */
export function webGpuDeviceLost(): string | undefined {
  return active?.lost;
}
