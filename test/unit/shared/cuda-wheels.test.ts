import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseCompute, gpuProblems, type GpuFacts } from '../../../src/shared/compute-doctor';
import { fixStepsFor } from '../../../src/shared/compute-doctor-text';
import { CUDA11_WHEELS, cuda11WheelCommands, cuda12Present } from '../../../src/shared/cuda-wheels';

/** A Linux box set up for CUDA 12 (driver 535, libcudart.so.12 on the loader's path), without the CUDA 11 libraries. */
const cuda12: GpuFacts = {
  platform: 'linux',
  libraries: { cudart: null, cudnn: null, cublas: null },
  devices: ['/dev/nvidia0'],
  nvidiaSmi: { found: true, driverVersion: '535.104.05', gpus: ['NVIDIA A100'] },
  cuda12Runtime: '/usr/local/cuda-12.2/lib64/libcudart.so.12',
};
const INSTALL =
  'python3 -m venv ~/.fedmem-cuda11 && ~/.fedmem-cuda11/bin/pip install nvidia-cuda-runtime-cu11==11.8.89 nvidia-cudnn-cu11==8.7.0.84 nvidia-cublas-cu11==11.11.3.6 nvidia-cufft-cu11==10.9.0.58 nvidia-curand-cu11==10.3.0.86 nvidia-cusolver-cu11==11.4.1.48 nvidia-cusparse-cu11==11.7.5.86';
const LIBRARY_PATH =
  "export LD_LIBRARY_PATH=$(echo ~/.fedmem-cuda11/lib/python3*/site-packages/nvidia/{cuda_runtime,cudnn,cublas,cufft,curand,cusolver,cusparse}/lib | tr ' ' ':'):$LD_LIBRARY_PATH";

const hasRoute = (steps: string[]) => steps.includes(INSTALL) && steps.some((s) => s.startsWith(LIBRARY_PATH));

describe('cuda12Present', () => {
  it('from libcudart.so.12, or a driver of 525 or newer without a CUDA 11 runtime, on Linux only', () => {
    assert.equal(cuda12Present(cuda12), true);
    assert.equal(cuda12Present({ ...cuda12, cuda12Runtime: null }), true, 'driver 535');
    assert.equal(cuda12Present({ ...cuda12, cuda12Runtime: null, nvidiaSmi: { driverVersion: '525.60.13' } }), true);
    assert.equal(cuda12Present({ ...cuda12, cuda12Runtime: null, nvidiaSmi: { driverVersion: '470.199.02' } }), false);
    assert.equal(cuda12Present({ platform: 'linux', libraries: {}, nvidiaSmi: {} }), false);
    const cuda11Toolkit = {
      ...cuda12,
      cuda12Runtime: null,
      libraries: { cudart: '/usr/local/cuda/lib64/libcudart.so.11.0' },
    };
    assert.equal(cuda12Present(cuda11Toolkit), false, 'a new driver beside a CUDA 11 toolkit');
    assert.equal(cuda12Present({ ...cuda11Toolkit, cuda12Runtime: '/usr/lib/libcudart.so.12' }), true);
    assert.equal(cuda12Present({ ...cuda12, platform: 'win32' }), false);
  });
});

describe('the CUDA 11 wheels route', () => {
  it('the commands, word for word', () => {
    assert.deepEqual(cuda11WheelCommands(), { install: INSTALL, libraryPath: LIBRARY_PATH });
    assert.ok(CUDA11_WHEELS.some((w) => w.pin === 'nvidia-cudnn-cu11==8.7.0.84' && w.dir === 'cudnn'));
  });

  it('is the Linux fix for each missing CUDA 11 library on a CUDA 12 machine, and not for the other problems', () => {
    const problems = gpuProblems(cuda12);
    assert.deepEqual(
      problems.map((p) => p.code),
      ['cuda-missing', 'cudnn-missing', 'cublas-missing'],
    );
    for (const p of problems) {
      assert.ok(hasRoute(fixStepsFor(p, 'linux')), p.code);
      assert.doesNotMatch(fixStepsFor(p, 'win32').join('\n'), /fedmem-cuda11/);
    }
  });

  it('reaches tensorflow-gpu whether the package is absent or fails on a library', () => {
    for (const probe of [
      { name: 'tensorflow-gpu' as const, installed: false, loaded: false },
      {
        name: 'tensorflow-gpu' as const,
        installed: true,
        loaded: false,
        loadError: 'libcudnn.so.8: cannot open shared object file',
      },
    ]) {
      const r = diagnoseCompute({ natives: [probe], builtins: [], gpu: cuda12, benchmarks: {} });
      const cudnn = r.backends[0].problems.find((p) => p.code === 'cudnn-missing')!;
      assert.ok(hasRoute(fixStepsFor(cudnn, 'linux')));
    }
  });

  it('is absent where the machine is not on CUDA 12, or where the CUDA 11 libraries are found', () => {
    const cuda11Only: GpuFacts = {
      ...cuda12,
      cuda12Runtime: null,
      nvidiaSmi: { found: true, driverVersion: '470.199.02' },
    };
    for (const p of gpuProblems(cuda11Only)) assert.ok(!hasRoute(fixStepsFor(p, 'linux')), p.code);
    const complete: GpuFacts = {
      ...cuda12,
      libraries: { cudart: '/x/libcudart.so.11.0', cudnn: '/x/libcudnn.so.8', cublas: '/x/libcublas.so.11' },
    };
    assert.deepEqual(gpuProblems(complete), []);
    const noGpu: GpuFacts = {
      platform: 'linux',
      libraries: { cudart: null },
      devices: [],
      nvidiaSmi: { found: false },
    };
    for (const p of gpuProblems(noGpu)) assert.ok(!hasRoute(fixStepsFor(p, 'linux')), p.code);
  });
});
