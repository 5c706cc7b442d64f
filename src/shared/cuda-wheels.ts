/**
 * The CUDA 11 runtime for @tensorflow/tfjs-node-gpu on a machine set up for CUDA 12. libtensorflow 2.9 opens the
 * CUDA 11 libraries by soname (libcudart.so.11.0, libcudnn.so.8, libcublas.so.11, ...), which a CUDA 12 toolkit does
 * not provide; a CUDA 12 driver still runs CUDA 11 code, so NVIDIA's CUDA 11 pip wheels can sit beside the CUDA 12
 * install in a venv of their own, found through LD_LIBRARY_PATH, without touching the system's CUDA.
 */

/** CUDA 12.0 needs driver 525.60.13 or newer (Linux): a driver this new means a CUDA 12 set-up is likely. */
export const CUDA12_DRIVER_MAJOR = 525;

/**
 * The wheels and the folder (under site-packages/nvidia) each puts its libraries in. Beyond the runtime, cuDNN and
 * cuBLAS, TensorFlow 2.9 registers the GPU only when cuFFT, cuRAND, cuSOLVER and cuSPARSE load too ("Cannot dlopen
 * some GPU libraries"), so those are listed as well. The versions are the CUDA 11.8 set PyTorch's cu118 builds pin
 * (runtime 11.8.89, cuBLAS 11.11.3.6, cuDNN 8.7.0.84, ...); cuDNN 8.7 provides libcudnn.so.8, the soname
 * libtensorflow 2.9 opens (cuDNN 8 runs code built for 8.1). No pip index is reachable where this was written: the
 * pins are PyTorch's, not installed and tried here.
 */
export const CUDA11_WHEELS: readonly { pin: string; dir: string }[] = [
  { pin: 'nvidia-cuda-runtime-cu11==11.8.89', dir: 'cuda_runtime' },
  { pin: 'nvidia-cudnn-cu11==8.7.0.84', dir: 'cudnn' },
  { pin: 'nvidia-cublas-cu11==11.11.3.6', dir: 'cublas' },
  { pin: 'nvidia-cufft-cu11==10.9.0.58', dir: 'cufft' },
  { pin: 'nvidia-curand-cu11==10.3.0.86', dir: 'curand' },
  { pin: 'nvidia-cusolver-cu11==11.4.1.48', dir: 'cusolver' },
  { pin: 'nvidia-cusparse-cu11==11.7.5.86', dir: 'cusparse' },
];

export const CUDA11_VENV = '~/.fedmem-cuda11';

/** The facts this needs: where the loader finds libcudart.so.12 and libcudart.so.11.0, and the driver's version. */
export interface Cuda12Facts {
  platform: string;
  cuda12Runtime?: string | null;
  libraries: { cudart?: string | null };
  nvidiaSmi: { driverVersion?: string };
}

/**
 * Whether the machine is set up for CUDA 12: its runtime is on the loader's path, or the driver is 525 or newer and
 * no CUDA 11 runtime is installed (a new driver beside a CUDA 11 toolkit is a CUDA 11 machine: its own steps apply).
 */
export function cuda12Present(gpu: Cuda12Facts): boolean {
  if (gpu.platform !== 'linux') return false;
  if (gpu.cuda12Runtime != null) return true;
  const major = Number(gpu.nvidiaSmi.driverVersion?.split('.')[0]);
  return Number.isFinite(major) && major >= CUDA12_DRIVER_MAJOR && gpu.libraries.cudart == null;
}

/** The two commands, word for word: a venv with the wheels, then LD_LIBRARY_PATH pointing at their lib folders. */
export function cuda11WheelCommands(): { install: string; libraryPath: string } {
  const pins = CUDA11_WHEELS.map((w) => w.pin).join(' ');
  const dirs = CUDA11_WHEELS.map((w) => w.dir).join(',');
  return {
    install: `python3 -m venv ${CUDA11_VENV} && ${CUDA11_VENV}/bin/pip install ${pins}`,
    libraryPath: `export LD_LIBRARY_PATH=$(echo ${CUDA11_VENV}/lib/python3*/site-packages/nvidia/{${dirs}}/lib | tr ' ' ':'):$LD_LIBRARY_PATH`,
  };
}

/** The Linux fix steps for a missing CUDA 11 library on a CUDA 12 machine. */
export function cuda11WheelSteps(): string[] {
  const { install, libraryPath } = cuda11WheelCommands();
  return [
    'this machine is set up for CUDA 12; tfjs-node-gpu 4.22 needs the CUDA 11 runtime and cuDNN 8, which install beside it (the CUDA 12 install stays as it is)',
    install,
    `${libraryPath} (in the shell that starts the app; add the line to ~/.profile to keep it)`,
    'restart the app (or run fedmem doctor again)',
  ];
}

const CUDA11_CODES = new Set(['cuda-missing', 'cudnn-missing', 'cublas-missing']);

/** On a CUDA 12 machine, a missing CUDA 11 library is fixed with the wheels, not a second toolkit: swap its steps. */
export function withCuda11Wheels<P extends { code: string; fix: { linux: string[] } }>(p: P, gpu: Cuda12Facts): P {
  if (!CUDA11_CODES.has(p.code) || !cuda12Present(gpu)) return p;
  return { ...p, fix: { ...p.fix, linux: cuda11WheelSteps() } };
}
