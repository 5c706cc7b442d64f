/**
 * Why a compute backend does or does not load, as a pure function of facts the engine gathered
 * (engine/compute/doctor.ts): whether each native package is installed and the error loading it
 * threw, which CUDA libraries the dynamic loader can find, whether a GPU and its driver are visible.
 * `fedmem doctor` and the Compute panel in Settings both show what `diagnoseCompute` returns.
 *
 * The versions that work together come from @tensorflow/tfjs-node-gpu 4.22.0 itself: its
 * scripts/deps-constants.js downloads libtensorflow 2.9.1, and the tfjs-node README
 * (github.com/tensorflow/tfjs, tfjs-node/README.md) lists CUDA Toolkit 11.2, cuDNN SDK 8.1.0 and an
 * NVIDIA driver above 450.x for the GPU package on Linux and Windows x86_64. CUDA 11.x minor-version
 * compatibility needs driver 450.80.02 (Linux) / 452.39 (Windows) or newer.
 */
import type { ProbeReport } from './backend-probe';
import type { TrainStepResult } from './compute-bench';
import { withCuda11Wheels } from './cuda-wheels';
import { diagnoseWebGpu, type WebGpuFacts, type WebGpuProblemCode } from './webgpu-doctor';

export type { TrainStepResult } from './compute-bench';

export type ComputeBackend = 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
export type NativeBackend = 'tensorflow-gpu' | 'tensorflow';

/**
 * The order `compute.backend: "auto"` tries backends in (the engine's backend.ts uses this list). WebGPU counts only
 * with a hardware adapter (shared/webgpu.ts): a software one is slower than wasm.
 */
export const AUTO_BACKEND_ORDER: readonly ComputeBackend[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];

export const NATIVE_PACKAGES: Record<NativeBackend, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

export const GPU_STACK = {
  tfjsNode: '4.22.0',
  libtensorflow: '2.9.1',
  cuda: '11.2',
  cudnn: '8.1',
  driverLinux: '450.80.02',
  driverWindows: '452.39',
} as const;

/** The CUDA libraries libtensorflow 2.9 opens, by platform: the runtime, cuDNN and cuBLAS. */
export const CUDA_LIBRARIES = {
  linux: { cudart: 'libcudart.so.11.0', cudnn: 'libcudnn.so.8', cublas: 'libcublas.so.11' },
  win32: { cudart: 'cudart64_110.dll', cudnn: 'cudnn64_8.dll', cublas: 'cublas64_11.dll' },
} as const;
export type CudaLibrary = keyof (typeof CUDA_LIBRARIES)['linux'];

export interface NativeProbe {
  name: NativeBackend;
  installed: boolean;
  version?: string;
  /** Loaded and initialised in the doctor's process. */
  loaded: boolean;
  /** The error loading or initialising it threw (absent when it loaded or was not tried). */
  loadError?: string;
  /** Why loading was not tried (only one native package can live in a process). */
  notTried?: string;
  /** Whether libtensorflow is in the package's own library folder (undefined: not checked). */
  libtensorflowPresent?: boolean;
  /** tensorflow-gpu only, once loaded: whether TensorFlow placed work on a GPU. */
  gpuDevice?: boolean;
}

export interface GpuFacts {
  platform: string;
  /** Where the dynamic loader would find each CUDA library, or null (Linux and Windows only). */
  libraries: Partial<Record<CudaLibrary, string | null>>;
  /** NVIDIA device files (/dev/nvidia0, ...): a GPU the kernel driver exposes (Linux). */
  devices: string[];
  nvidiaSmi: { found: boolean; driverVersion?: string; gpus?: string[] };
  /** Where the loader finds libcudart.so.12 (Linux): a CUDA 12 set-up, beside which the CUDA 11 wheels go. */
  cuda12Runtime?: string | null;
}

export interface BenchmarkResult {
  /** Square matrices of this side were multiplied. */
  size: number;
  iterations: number;
  seconds: number;
  gflops: number;
}

export interface ComputeFacts {
  natives: NativeProbe[];
  /** wasm and cpu: loaded, or the error. */
  builtins: { name: 'wasm' | 'cpu'; loaded: boolean; error?: string; detail?: string }[];
  gpu: GpuFacts;
  benchmarks: Partial<Record<ComputeBackend, BenchmarkResult>>;
  /** A conv net's training step timed on each backend that loads. */
  trainSteps?: Partial<Record<ComputeBackend, TrainStepResult>>;
  /** Absent from engines older than the webgpu backend. */
  webgpu?: WebGpuFacts;
}

export type ProblemCode =
  | 'not-installed'
  | 'unsupported-platform'
  | 'addon-missing'
  | 'libtensorflow-missing'
  | 'cuda-missing'
  | 'cudnn-missing'
  | 'cublas-missing'
  | 'no-gpu'
  | 'driver-too-old'
  | 'gpu-not-used'
  | 'other-native-loaded'
  | 'load-failed'
  | WebGpuProblemCode;

export interface Problem {
  code: ProblemCode;
  message: string;
  /** Steps per OS; `mac` where macOS differs from Linux (fixStepsFor). */
  fix: { linux: string[]; windows: string[]; mac?: string[] };
}

export interface BackendReport {
  name: ComputeBackend;
  package?: string;
  version?: string;
  loads: boolean;
  inUse: boolean;
  /** One line: what this backend is doing here. */
  summary: string;
  problems: Problem[];
  /** False where the backend loads but `auto` passes it over (WebGPU on a software adapter). */
  autoEligible?: boolean;
  benchmark?: BenchmarkResult;
  trainStep?: TrainStepResult;
}

export interface ComputeReport {
  backends: BackendReport[];
  /** What `compute.backend: "auto"` picks: the first backend in AUTO_BACKEND_ORDER that loads. */
  inUse: ComputeBackend | null;
  gpu: GpuFacts;
  /** The WebGPU probes (one per API) and the adapter the backend opened. */
  webgpu?: WebGpuFacts;
  stack: typeof GPU_STACK;
  /** `auto`'s cached speed probes on this machine (added by the host, which knows the data folder). */
  probes?: ProbeReport;
}

const same = (steps: string[]) => ({ linux: steps, windows: steps });
const CUDA_DIR_WIN = `C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v${GPU_STACK.cuda}\\bin`;
const CUDA_DIR_LINUX = `/usr/local/cuda-${GPU_STACK.cuda}/lib64`;

function reinstall(pkg: string): Problem['fix'] {
  return same([
    `npm rebuild ${pkg} (its install script downloads libtensorflow ${GPU_STACK.libtensorflow} from storage.googleapis.com; behind a mirror set TFJS_NODE_CDN_STORAGE first)`,
    'restart the app (or run fedmem doctor again)',
  ]);
}

const PROBLEMS: Record<
  Exclude<ProblemCode, 'not-installed' | 'addon-missing' | 'libtensorflow-missing' | 'load-failed' | WebGpuProblemCode>,
  Omit<Problem, 'code'>
> = {
  'unsupported-platform': {
    message: 'the GPU package exists only for Linux and Windows on x86_64',
    fix: same(['use the tensorflow backend (npm install @tensorflow/tfjs-node) on this machine']),
  },
  'cuda-missing': {
    message: `the CUDA ${GPU_STACK.cuda} runtime (${CUDA_LIBRARIES.linux.cudart} / ${CUDA_LIBRARIES.win32.cudart}) is not on the library path`,
    fix: {
      linux: [
        `install CUDA Toolkit ${GPU_STACK.cuda} (developer.nvidia.com/cuda-toolkit-archive; any 11.x provides ${CUDA_LIBRARIES.linux.cudart})`,
        `export LD_LIBRARY_PATH=${CUDA_DIR_LINUX}:$LD_LIBRARY_PATH (or add that folder to /etc/ld.so.conf.d/cuda.conf and run sudo ldconfig)`,
        'restart the app (or run fedmem doctor again)',
      ],
      windows: [
        `install CUDA Toolkit ${GPU_STACK.cuda} for Windows (developer.nvidia.com/cuda-toolkit-archive)`,
        `make sure ${CUDA_DIR_WIN} (it holds ${CUDA_LIBRARIES.win32.cudart}) is on PATH, then open a new terminal`,
        'restart the app (or run fedmem doctor again)',
      ],
    },
  },
  'cudnn-missing': {
    message: `cuDNN ${GPU_STACK.cudnn} (${CUDA_LIBRARIES.linux.cudnn} / ${CUDA_LIBRARIES.win32.cudnn}) is not on the library path`,
    fix: {
      linux: [
        `download cuDNN ${GPU_STACK.cudnn}.x for CUDA 11.x (developer.nvidia.com/rdp/cudnn-archive)`,
        `copy its lib files (libcudnn*.so.8*) into ${CUDA_DIR_LINUX} and run sudo ldconfig`,
        'restart the app (or run fedmem doctor again)',
      ],
      windows: [
        `download cuDNN ${GPU_STACK.cudnn}.x for CUDA 11.x (developer.nvidia.com/rdp/cudnn-archive)`,
        `copy the files of its bin folder (${CUDA_LIBRARIES.win32.cudnn} and the others) into ${CUDA_DIR_WIN}`,
        'restart the app (or run fedmem doctor again)',
      ],
    },
  },
  'cublas-missing': {
    message: `cuBLAS for CUDA 11 (${CUDA_LIBRARIES.linux.cublas} / ${CUDA_LIBRARIES.win32.cublas}) is not on the library path`,
    fix: {
      linux: [
        `install the full CUDA Toolkit ${GPU_STACK.cuda} (cuBLAS is part of it) and put ${CUDA_DIR_LINUX} on LD_LIBRARY_PATH`,
      ],
      windows: [
        `install the full CUDA Toolkit ${GPU_STACK.cuda} (cuBLAS is part of it) and put ${CUDA_DIR_WIN} on PATH`,
      ],
    },
  },
  'no-gpu': {
    message: 'no NVIDIA GPU is visible (no /dev/nvidia* device, no nvidia-smi)',
    fix: {
      linux: [
        'install the NVIDIA driver (Debian: sudo apt-get install nvidia-driver; Ubuntu: sudo ubuntu-drivers install) and reboot',
        'check that nvidia-smi lists the card',
        'in a container, start it with --gpus all (NVIDIA Container Toolkit)',
      ],
      windows: [
        'install the NVIDIA driver from nvidia.com/Download and reboot',
        'check that nvidia-smi lists the card',
      ],
    },
  },
  'driver-too-old': {
    message: `the NVIDIA driver is older than CUDA ${GPU_STACK.cuda} needs (${GPU_STACK.driverLinux} on Linux, ${GPU_STACK.driverWindows} on Windows)`,
    fix: {
      linux: [
        `install NVIDIA driver ${GPU_STACK.driverLinux} or newer (Debian: sudo apt-get install nvidia-driver) and reboot`,
        'check the version nvidia-smi prints',
      ],
      windows: [
        `install NVIDIA driver ${GPU_STACK.driverWindows} or newer from nvidia.com/Download and reboot`,
        'check the version nvidia-smi prints',
      ],
    },
  },
  'gpu-not-used': {
    message: 'libtensorflow loaded but placed no work on a GPU (its log names the library it could not open)',
    fix: same([
      `check that CUDA ${GPU_STACK.cuda} and cuDNN ${GPU_STACK.cudnn} are on the library path and nvidia-smi lists the card`,
    ]),
  },
  'other-native-loaded': {
    message: 'not tried: the other native package is loaded in this process (both register the same backend)',
    fix: same(['nothing to fix; a run uses one of them (compute.backend picks which)']),
  },
};

function problem(code: keyof typeof PROBLEMS): Problem {
  return { code, ...PROBLEMS[code] };
}

/** "535.104.05" >= "450.80.02", compared as numbers part by part. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (Number.isNaN(x)) return false;
    if (x !== y) return x > y;
  }
  return true;
}

/** What a loader's error text says, most specific first. */
export function classifyLoadError(error: string, pkg: string): Problem {
  const e = error.toLowerCase();
  if (/tfjs_binding\.node/.test(e) && /(can ?not be found|cannot find module)/.test(e)) {
    return {
      code: 'addon-missing',
      message: `the native addon of ${pkg} was never downloaded or built (its install script did not finish)`,
      fix: reinstall(pkg),
    };
  }
  if (/libtensorflow|tensorflow\.dll/.test(e)) {
    return {
      code: 'libtensorflow-missing',
      message: `libtensorflow is missing from ${pkg} (its install script could not download it)`,
      fix: reinstall(pkg),
    };
  }
  if (/libcudnn|cudnn64_/.test(e)) return problem('cudnn-missing');
  if (/libcublas|cublas64_/.test(e)) return problem('cublas-missing');
  if (/libcudart|cudart64_|libcuda\.so/.test(e)) return problem('cuda-missing');
  if (/driver version is insufficient|cuda_error_system_driver_mismatch|cuda driver version/.test(e))
    return problem('driver-too-old');
  if (/no cuda-capable device|cuda_error_no_device|failed call to cuinit/.test(e)) return problem('no-gpu');
  return { code: 'load-failed', message: `${pkg} failed to load: ${error.split('\n')[0]}`, fix: reinstall(pkg) };
}

/** Problems of the GPU set-up the facts show, whatever the loader said. */
export function gpuProblems(gpu: GpuFacts): Problem[] {
  if (gpu.platform !== 'linux' && gpu.platform !== 'win32') return [problem('unsupported-platform')];
  const out: Problem[] = [];
  const noDevice = gpu.platform === 'linux' ? gpu.devices.length === 0 && !gpu.nvidiaSmi.found : !gpu.nvidiaSmi.found;
  if (noDevice) out.push(problem('no-gpu'));
  const driver = gpu.nvidiaSmi.driverVersion;
  const minimum = gpu.platform === 'win32' ? GPU_STACK.driverWindows : GPU_STACK.driverLinux;
  if (driver != null && !versionAtLeast(driver, minimum))
    out.push({
      ...problem('driver-too-old'),
      message: `the NVIDIA driver is ${driver}; CUDA ${GPU_STACK.cuda} needs ${minimum} or newer`,
    });
  if (gpu.libraries.cudart === null) out.push(problem('cuda-missing'));
  if (gpu.libraries.cudnn === null) out.push(problem('cudnn-missing'));
  if (gpu.libraries.cublas === null) out.push(problem('cublas-missing'));
  return out.map((p) => withCuda11Wheels(p, gpu));
}

function nativeProblems(p: NativeProbe, gpu: GpuFacts): Problem[] {
  const pkg = NATIVE_PACKAGES[p.name];
  const gpuPackage = p.name === 'tensorflow-gpu';
  if (gpuPackage && gpu.platform !== 'linux' && gpu.platform !== 'win32') return [problem('unsupported-platform')];
  if (!p.installed) {
    const steps = [
      `npm install ${pkg}@${GPU_STACK.tfjsNode} (it downloads libtensorflow ${GPU_STACK.libtensorflow}; behind a mirror set TFJS_NODE_CDN_STORAGE first)`,
      'restart the app (or run fedmem doctor again)',
    ];
    const missing: Problem = { code: 'not-installed', message: `${pkg} is not installed`, fix: same(steps) };
    // Installing the GPU package alone does not help a machine without CUDA: say so now.
    return gpuPackage ? [missing, ...gpuProblems(gpu)] : [missing];
  }
  if (p.notTried) return [{ ...problem('other-native-loaded'), message: `not tried: ${p.notTried}` }];
  const out: Problem[] = [];
  if (p.loadError != null) out.push(classifyLoadError(p.loadError, pkg));
  else if (!p.loaded) out.push({ code: 'load-failed', message: `${pkg} did not load`, fix: reinstall(pkg) });
  if (
    p.libtensorflowPresent === false &&
    !out.some((x) => x.code === 'libtensorflow-missing' || x.code === 'addon-missing')
  ) {
    out.unshift({
      code: 'libtensorflow-missing',
      message: `libtensorflow is missing from ${pkg} (its install script could not download it)`,
      fix: reinstall(pkg),
    });
  }
  // The GPU package loads on a machine without CUDA (libtensorflow opens the CUDA libraries lazily and
  // falls back to the CPU), so the GPU set-up is checked whenever the GPU is not actually in use.
  if (
    gpuPackage &&
    p.gpuDevice !== true &&
    !out.some((x) => x.code === 'libtensorflow-missing' || x.code === 'addon-missing')
  ) {
    for (const g of gpuProblems(gpu)) if (!out.some((x) => x.code === g.code)) out.push(g);
    if (p.loaded && out.length === 0) out.push(problem('gpu-not-used'));
  }
  return out.map((x) => withCuda11Wheels(x, gpu));
}

function nativeSummary(p: NativeProbe, problems: Problem[]): string {
  if (!p.installed) return 'not installed';
  if (p.notTried) return 'not tried in this process';
  if (!p.loaded) return `does not load: ${problems[0]?.message ?? 'unknown reason'}`;
  if (p.name === 'tensorflow-gpu')
    return p.gpuDevice ? 'loads, running on the GPU' : 'loads, but runs on the CPU: no GPU in use';
  return 'loads (libtensorflow on the CPU)';
}

export function diagnoseCompute(facts: ComputeFacts): ComputeReport {
  const reports = new Map<ComputeBackend, Omit<BackendReport, 'inUse'>>();
  for (const p of facts.natives) {
    const problems = nativeProblems(p, facts.gpu);
    reports.set(p.name, {
      name: p.name,
      package: NATIVE_PACKAGES[p.name],
      ...(p.version && { version: p.version }),
      loads: p.loaded,
      summary: nativeSummary(p, problems),
      problems,
    });
  }
  for (const b of facts.builtins) {
    const problems: Problem[] = b.loaded
      ? []
      : [
          {
            code: 'load-failed',
            message: b.error ?? `the ${b.name} backend did not load`,
            fix: same(['reinstall the app (npm ci)']),
          },
        ];
    reports.set(b.name, {
      name: b.name,
      loads: b.loaded,
      summary: b.loaded ? `loads${b.detail ? ` (${b.detail})` : ''}` : `does not load: ${problems[0].message}`,
      problems,
    });
  }
  if (facts.webgpu) reports.set('webgpu', diagnoseWebGpu(facts.webgpu));
  const inUse =
    AUTO_BACKEND_ORDER.find((name) => {
      const r = reports.get(name);
      return r?.loads === true && r.autoEligible !== false;
    }) ?? null;
  const backends = AUTO_BACKEND_ORDER.filter((name) => reports.has(name)).map((name): BackendReport => {
    const r = reports.get(name)!;
    const benchmark = facts.benchmarks[name];
    const trainStep = facts.trainSteps?.[name];
    return { ...r, inUse: name === inUse, ...(benchmark && { benchmark }), ...(trainStep && { trainStep }) };
  });
  return { backends, inUse, gpu: facts.gpu, ...(facts.webgpu && { webgpu: facts.webgpu }), stack: GPU_STACK };
}
