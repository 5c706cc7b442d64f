/**
 * WebGPU adapters as the engine finds them through Dawn (the `webgpu` npm package), and the rules that
 * choose one: pure, so the doctor, the Compute panel, a run's provenance and the tests share them.
 *
 * Dawn reaches a GPU through one native API per platform (Vulkan on Linux, Metal on macOS, D3D12 on
 * Windows, Vulkan too on Windows where the driver has it) and, where none works, through OpenGL ES,
 * which Mesa provides in software (llvmpipe) on a machine with no GPU at all. A software adapter runs
 * the same shaders and so tests the whole path, but it is slower than the wasm backend: `auto` never
 * picks one; `compute.backend: "webgpu"` does when it is all there is (that is how CI tests this path).
 */

export type WebGpuApi = 'vulkan' | 'metal' | 'd3d12' | 'opengles';

export const WEBGPU_API_NAMES: Record<WebGpuApi, string> = {
  vulkan: 'Vulkan',
  metal: 'Metal',
  d3d12: 'Direct3D 12',
  opengles: 'OpenGL ES',
};

/** The APIs tried on each platform, most capable first; a platform not listed has no Dawn build. */
export const WEBGPU_APIS: Partial<Record<string, readonly WebGpuApi[]>> = {
  linux: ['vulkan', 'opengles'],
  darwin: ['metal'],
  win32: ['d3d12', 'vulkan'],
};

/**
 * The system libraries Dawn opens for an API on Linux (elsewhere they ship with the OS). Where one is missing Dawn
 * finds no adapter and only logs why; the engine checks first, so the doctor can name the library and the package.
 */
export const WEBGPU_LINUX_LIBRARIES: Partial<Record<WebGpuApi, readonly string[]>> = {
  vulkan: ['libvulkan.so.1'],
  opengles: ['libEGL.so.1', 'libGLESv2.so.2'],
};

export interface WebGpuAdapter {
  api: WebGpuApi;
  /** As the adapter reports them (GPUAdapterInfo); OpenGL ES adapters often leave vendor and architecture empty. */
  vendor: string;
  architecture: string;
  device: string;
  /** The driver's own words: Dawn puts the driver's name and version here ("OpenGL ES 3.2 Mesa 22.3.6"). */
  description: string;
  /** A CPU rasteriser (llvmpipe, lavapipe, SwiftShader, WARP): for tests; `auto` never picks it. */
  software: boolean;
  /** 'compatibility' on OpenGL ES (WebGPU's reduced feature level), 'core' elsewhere. */
  featureLevel: 'core' | 'compatibility';
}

/** One attempt to find an adapter through one API: the adapter, or why there was none. */
export interface WebGpuProbe {
  api: WebGpuApi;
  adapter?: WebGpuAdapter;
  /** The error Dawn threw or logged, or "no adapter" in plain words. */
  error?: string;
  /** A system library the API needs that the loader cannot find (not tried then). */
  missingLibrary?: string;
}

const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i;

/** Whether the adapter rasterises on the CPU, from the names drivers give their software renderers. */
export function isSoftwareAdapter(info: {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}): boolean {
  if (info.isFallbackAdapter === true) return true;
  return [info.vendor, info.architecture, info.device, info.description].some(
    (s) => s != null && SOFTWARE_NAMES.test(s),
  );
}

/**
 * The adapter a run uses: the first hardware adapter in API order; a software adapter only when
 * `allowSoftware` (an explicit `compute.backend: "webgpu"`) and no hardware one exists.
 */
export function chooseAdapter(probes: readonly WebGpuProbe[], allowSoftware: boolean): WebGpuAdapter | undefined {
  const found = probes.flatMap((p) => (p.adapter ? [p.adapter] : []));
  return found.find((a) => !a.software) ?? (allowSoftware ? found.find((a) => a.software) : undefined);
}

/** "llvmpipe-llvm-15-0-6-256-bits (OpenGL ES 3.2 Mesa 22.3.6), software, through OpenGL ES". */
export function describeAdapter(a: WebGpuAdapter): string {
  const name = [a.vendor, a.architecture, a.device].filter((s) => s !== '').join(' ') || 'unnamed adapter';
  const driver = a.description !== '' ? ` (${a.description})` : '';
  return `${name}${driver}, ${a.software ? 'software' : 'hardware'}, through ${WEBGPU_API_NAMES[a.api]}`;
}
