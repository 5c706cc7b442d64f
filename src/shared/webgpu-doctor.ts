/**
 * The WebGPU part of the compute doctor: why the webgpu backend does or does not load, as a pure function of the
 * probes the engine made (engine/compute/webgpu.ts tries each API of the platform and, on Linux, checks the system
 * libraries first), so every problem is read from a fact: a library the loader cannot find, an API that gave no
 * adapter, an adapter that is a CPU rasteriser, a device that would not open. diagnoseCompute calls this.
 */
import type { BackendReport, Problem } from './compute-doctor';
import { WEBGPU_API_NAMES, WEBGPU_APIS, describeAdapter, type WebGpuAdapter, type WebGpuProbe } from './webgpu';

export interface WebGpuFacts {
  platform: string;
  /** os.release(): the Darwin kernel (20 is macOS 11) or the Windows version (10.0.x is Windows 10 and 11). */
  osRelease?: string;
  /** The version of the webgpu package (Dawn), when installed. */
  dawnVersion?: string;
  /** Importing the webgpu package failed: its error (nothing was probed then). */
  packageError?: string;
  /** One per API tried, in the platform's order (WEBGPU_APIS). */
  probes: WebGpuProbe[];
  /** Whether initBackend('webgpu') opened a device and ran on it (not tried without an adapter). */
  loaded: boolean;
  loadError?: string;
  /** The adapter the device was opened on. */
  adapter?: WebGpuAdapter;
}

export type WebGpuProblemCode =
  | 'webgpu-package-failed'
  | 'webgpu-unsupported-platform'
  | 'webgpu-no-adapter'
  | 'vulkan-missing'
  | 'egl-missing'
  | 'webgpu-software-only'
  | 'd3d12-unavailable'
  | 'metal-unavailable'
  | 'webgpu-load-failed';

export const WEBGPU_PACKAGES = 'webgpu (Dawn) + @tensorflow/tfjs-backend-webgpu';

const RETRY = 'restart the app (or run fedmem doctor again)';
const VULKAN_APT = 'sudo apt-get install libvulkan1 mesa-vulkan-drivers';
const EGL_APT = 'sudo apt-get install libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri';
const LINUX_DRIVER = `install your GPU's driver with its Vulkan support: NVIDIA's proprietary driver ships its own Vulkan ICD (Debian: sudo apt-get install nvidia-driver; Ubuntu: sudo ubuntu-drivers install); AMD and Intel use Mesa's (${VULKAN_APT})`;
const WINDOWS_DRIVER =
  "update the GPU's driver from its vendor (NVIDIA, AMD, Intel) or Windows Update; WebGPU needs Direct3D 12, which Windows 10 and 11 have";
const MAC_METAL =
  'Metal is built into macOS: WebGPU needs macOS 11 (Big Sur) or newer on Apple Silicon or on a Mac with a Metal GPU; update macOS';

type Fix = Problem['fix'];
const FIX: Record<'reinstall' | 'noAdapter' | 'vulkan' | 'egl' | 'software' | 'd3d12' | 'metal', Fix> = {
  reinstall: {
    linux: ['reinstall the app (npm ci): the webgpu package ships dawn.node for Linux x64', RETRY],
    windows: ['reinstall the app (npm ci): the webgpu package ships dawn.node for Windows x64', RETRY],
    mac: ['reinstall the app (npm ci): the webgpu package ships dawn.node for macOS', RETRY],
  },
  noAdapter: {
    linux: [
      `${VULKAN_APT} (the Vulkan loader and Mesa's Vulkan drivers)`,
      LINUX_DRIVER,
      'check with vulkaninfo --summary (package vulkan-tools)',
      RETRY,
    ],
    windows: [WINDOWS_DRIVER, RETRY],
    mac: [MAC_METAL, RETRY],
  },
  vulkan: {
    linux: [`Debian/Ubuntu: ${VULKAN_APT} (libvulkan1 is the loader, libvulkan.so.1)`, LINUX_DRIVER, RETRY],
    windows: [WINDOWS_DRIVER, RETRY],
    mac: [MAC_METAL, RETRY],
  },
  egl: {
    linux: [
      `Debian/Ubuntu: ${EGL_APT} (Mesa's EGL runs headless, with no display, and gives at least its llvmpipe software adapter)`,
      RETRY,
    ],
    windows: [WINDOWS_DRIVER, RETRY],
    mac: [MAC_METAL, RETRY],
  },
  software: {
    linux: [
      'nothing to fix for tests: compute.backend "webgpu" uses this adapter; auto runs on wasm, which is faster than a CPU rasteriser',
      `for a GPU: ${LINUX_DRIVER}`,
      RETRY,
    ],
    windows: ['nothing to fix for tests: auto runs on wasm instead', `for a GPU: ${WINDOWS_DRIVER}`, RETRY],
    mac: ['nothing to fix for tests: auto runs on wasm instead', `for a GPU: ${MAC_METAL}`, RETRY],
  },
  d3d12: {
    linux: [WINDOWS_DRIVER, RETRY],
    windows: [WINDOWS_DRIVER, 'on Windows older than 10, WebGPU cannot run: use the wasm backend', RETRY],
    mac: [WINDOWS_DRIVER, RETRY],
  },
  metal: { linux: [MAC_METAL, RETRY], windows: [MAC_METAL, RETRY], mac: [MAC_METAL, RETRY] },
};

function problem(code: WebGpuProblemCode, message: string, fix: Fix): Problem {
  return { code, message, fix };
}

/** The leading number of os.release() ("20.6.0" -> 20, "10.0.19045" -> 10), or undefined. */
export function releaseMajor(release: string | undefined): number | undefined {
  const n = Number(release?.split('.')[0]);
  return release != null && Number.isFinite(n) ? n : undefined;
}

const found = (p: WebGpuProbe) => p.adapter != null;
const why = (p: WebGpuProbe) =>
  `${WEBGPU_API_NAMES[p.api]}: ${p.adapter ? `${p.adapter.software ? 'software' : 'hardware'} adapter` : (p.error ?? 'no adapter')}`;

/** Why the platform's native API gave no adapter, read from its probe; only asked when no hardware adapter exists. */
function apiProblems(f: WebGpuFacts): Problem[] {
  const out: Problem[] = [];
  for (const p of f.probes) {
    if (found(p)) continue;
    if (p.missingLibrary === 'libvulkan.so.1') {
      out.push(
        problem(
          'vulkan-missing',
          'libvulkan.so.1 (the Vulkan loader) is not installed: Dawn cannot reach a GPU',
          FIX.vulkan,
        ),
      );
    } else if (p.missingLibrary != null && p.api === 'opengles') {
      const message = `${p.missingLibrary} is not installed: no EGL, so no OpenGL ES adapter (not even Mesa's software one) on a headless machine`;
      out.push(problem('egl-missing', message, FIX.egl));
    } else if (p.api === 'd3d12') {
      const old = (releaseMajor(f.osRelease) ?? 10) < 10 ? ` (Windows ${f.osRelease} is older than Windows 10)` : '';
      out.push(
        problem('d3d12-unavailable', `Direct3D 12 gave no adapter${old}: ${p.error ?? 'no adapter'}`, FIX.d3d12),
      );
    } else if (p.api === 'metal') {
      const kernel = releaseMajor(f.osRelease);
      const old = kernel != null && kernel < 20 ? ' (this macOS is older than 11)' : '';
      out.push(problem('metal-unavailable', `Metal gave no adapter${old}: ${p.error ?? 'no adapter'}`, FIX.metal));
    }
  }
  return out;
}

/** Every problem the facts show, the most telling first. */
export function webGpuProblems(f: WebGpuFacts): Problem[] {
  if (f.packageError != null) {
    return [
      problem('webgpu-package-failed', `the webgpu package (Dawn) failed to load: ${f.packageError}`, FIX.reinstall),
    ];
  }
  if ((WEBGPU_APIS[f.platform] ?? []).length === 0) {
    const message = `Dawn (the webgpu package) has no build for ${f.platform}`;
    return [problem('webgpu-unsupported-platform', message, FIX.noAdapter)];
  }
  const adapters = f.probes.flatMap((p) => (p.adapter ? [p.adapter] : []));
  const out: Problem[] = [];
  if (!adapters.some((a) => !a.software)) {
    if (adapters.length > 0) {
      const message = `only a software adapter was found (${describeAdapter(adapters[0])}): it runs WebGPU on the CPU, fine for tests but slower than wasm, so auto skips it`;
      out.push(problem('webgpu-software-only', message, FIX.software));
    }
    out.push(...apiProblems(f));
    // Vulkan loaded but listed no GPU (Linux): no GPU, or no Vulkan driver (ICD) for it; said beside a software one.
    const vulkanFoundNone =
      f.platform === 'linux' && f.probes.some((p) => p.api === 'vulkan' && !found(p) && p.missingLibrary == null);
    if ((adapters.length === 0 && out.length === 0) || vulkanFoundNone) {
      const kind = adapters.length > 0 ? 'hardware ' : '';
      const message = `no WebGPU ${kind}adapter was found (${f.probes.map(why).join('; ') || 'nothing to try'})`;
      out.push(problem('webgpu-no-adapter', message, FIX.noAdapter));
    }
  }
  if (adapters.length > 0 && !f.loaded) {
    const message = `the adapter was found but the webgpu backend did not start on it: ${f.loadError ?? 'unknown reason'}`;
    const steps = ['update the GPU driver (a device that will not open is most often a driver problem)', RETRY];
    out.push(problem('webgpu-load-failed', message, { linux: steps, windows: steps, mac: steps }));
  }
  return out;
}

/** Only a hardware adapter makes WebGPU worth more than wasm: auto passes a software one over. */
export function webGpuAutoEligible(f: WebGpuFacts): boolean {
  return f.loaded && f.adapter != null && !f.adapter.software;
}

function summary(f: WebGpuFacts, problems: Problem[]): string {
  if (f.loaded && f.adapter != null) {
    const on = describeAdapter(f.adapter);
    return f.adapter.software
      ? `loads on a software adapter, for tests: auto passes it over (${on})`
      : `loads on ${on}`;
  }
  return `does not load: ${problems[0]?.message ?? 'no adapter'}`;
}

/** The webgpu row of the report (diagnoseCompute adds inUse). */
export function diagnoseWebGpu(f: WebGpuFacts): Omit<BackendReport, 'inUse'> {
  const problems = webGpuProblems(f);
  return {
    name: 'webgpu',
    package: WEBGPU_PACKAGES,
    ...(f.dawnVersion && { version: f.dawnVersion }),
    loads: f.loaded,
    autoEligible: webGpuAutoEligible(f),
    summary: summary(f, problems),
    problems,
  };
}

export interface AdapterRow {
  api: string;
  vendor: string;
  architecture: string;
  device: string;
  driver: string;
  /** 'hardware', 'software', or 'none' where the API gave no adapter (`driver` then says why). */
  kind: 'hardware' | 'software' | 'none';
}

/** One table row per API tried, the same in the app and the CLI. */
export function adapterRows(probes: readonly WebGpuProbe[]): AdapterRow[] {
  return probes.map((p): AdapterRow => {
    const api = WEBGPU_API_NAMES[p.api];
    const a = p.adapter;
    if (a == null)
      return { api, vendor: '', architecture: '', device: '', driver: p.error ?? 'no adapter', kind: 'none' };
    const kind = a.software ? 'software' : 'hardware';
    return { api, vendor: a.vendor, architecture: a.architecture, device: a.device, driver: a.description, kind };
  });
}
