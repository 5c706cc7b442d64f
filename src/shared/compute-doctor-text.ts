/**
 * The compute doctor's report in words: the same lines in `fedmem doctor` and the Compute panel.
 */
export { formatTrainStep } from './compute-bench';
import {
  CUDA_LIBRARIES,
  GPU_STACK,
  type BenchmarkResult,
  type CudaLibrary,
  type GpuFacts,
  type Problem,
} from './compute-doctor';

/** "30.7 GFLOP/s (512×512 matrix product, 115 times in 1.0 s)": the same words in the app and the CLI. */
export function formatBenchmark(b: BenchmarkResult): string {
  const rate = b.gflops >= 10 ? b.gflops.toFixed(1) : b.gflops.toPrecision(2);
  return `${rate} GFLOP/s (${b.size}×${b.size} matrix product, ${b.iterations} times in ${b.seconds.toFixed(1)} s)`;
}

/** The fix steps for the OS the report is read on (on macOS the Linux ones where a problem has no `mac` steps). */
export function fixStepsFor(p: Problem, platform: string): string[] {
  if (platform === 'win32') return p.fix.windows;
  return platform === 'darwin' ? (p.fix.mac ?? p.fix.linux) : p.fix.linux;
}

/** One line on what the GPU facts show. */
export function describeGpu(gpu: GpuFacts): string {
  const card = gpu.nvidiaSmi.found
    ? `nvidia-smi: ${gpu.nvidiaSmi.gpus?.length ? gpu.nvidiaSmi.gpus.join(', ') : 'no GPU listed'}, driver ${gpu.nvidiaSmi.driverVersion ?? 'unknown'}`
    : 'nvidia-smi not found';
  const devices =
    gpu.platform === 'linux' ? `${gpu.devices.length ? gpu.devices.join(', ') : 'no /dev/nvidia* device'}; ` : '';
  const names = gpu.platform === 'win32' ? CUDA_LIBRARIES.win32 : CUDA_LIBRARIES.linux;
  const libs = (Object.keys(gpu.libraries) as CudaLibrary[])
    .map((k) => `${names[k]} ${gpu.libraries[k] ?? 'not found'}`)
    .join('; ');
  const cuda12 = gpu.cuda12Runtime ? `; libcudart.so.12 ${gpu.cuda12Runtime}` : '';
  return `${devices}${card}${libs ? `; ${libs}` : ''}${cuda12}`;
}

/**
 * "tfjs-node-gpu 4.22.0 = libtensorflow 2.9.1 + CUDA 11.2 + cuDNN 8.1 + NVIDIA driver 450.80.02+ (Linux) / 452.39+
 * (Windows)".
 */
export function describeStack(s: typeof GPU_STACK = GPU_STACK): string {
  return `@tensorflow/tfjs-node-gpu ${s.tfjsNode} = libtensorflow ${s.libtensorflow} + CUDA ${s.cuda} + cuDNN ${s.cudnn} + NVIDIA driver ${s.driverLinux}+ (Linux) / ${s.driverWindows}+ (Windows)`;
}
