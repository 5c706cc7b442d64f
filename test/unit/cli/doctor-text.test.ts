import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doctorText } from '../../../src/main/cli/doctor-command';
import { diagnoseCompute } from '../../../src/shared/compute-doctor';
import type { WebGpuAdapter } from '../../../src/shared/webgpu';

const llvmpipe: WebGpuAdapter = {
  api: 'opengles',
  vendor: '',
  architecture: '',
  device: 'llvmpipe-llvm-15-0-6-256-bits',
  description: 'OpenGL ES 3.2 Mesa 22.3.6',
  software: true,
  featureLevel: 'compatibility',
};

const report = diagnoseCompute({
  natives: [
    {
      name: 'tensorflow-gpu',
      installed: true,
      loaded: false,
      loadError: 'libcudnn.so.8: cannot open shared object file',
      libtensorflowPresent: true,
    },
    { name: 'tensorflow', installed: false, loaded: false },
  ],
  builtins: [
    { name: 'wasm', loaded: true, detail: 'SIMD, 1 thread' },
    { name: 'cpu', loaded: true },
  ],
  gpu: {
    platform: 'linux',
    libraries: {
      cudart: '/usr/local/cuda/lib64/libcudart.so.11.0',
      cudnn: null,
      cublas: '/usr/local/cuda/lib64/libcublas.so.11',
    },
    devices: ['/dev/nvidia0'],
    nvidiaSmi: { found: true, driverVersion: '535.104.05', gpus: ['NVIDIA T4'] },
  },
  benchmarks: { wasm: { size: 512, iterations: 115, seconds: 1.004, gflops: 30.62 } },
  trainSteps: {
    wasm: {
      batch: 32,
      filters: 32,
      steps: 61,
      seconds: 1.002,
      stepsPerSecond: 60.88,
      samplesPerSecond: 1948.2,
      loss: 0.08,
    },
  },
  webgpu: {
    platform: 'linux',
    probes: [
      { api: 'vulkan', error: 'libvulkan.so.1 is not installed', missingLibrary: 'libvulkan.so.1' },
      { api: 'opengles', adapter: llvmpipe },
    ],
    loaded: true,
    adapter: llvmpipe,
  },
});

describe('doctorText', () => {
  it('names every backend, the one in use, why the native ones are absent with numbered fix steps for this OS', () => {
    const text = doctorText(report, 'linux');
    assert.match(text, /use: wasm\)/);
    for (const name of ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'])
      assert.match(text, new RegExp(`^  ${name} +(loads|absent)`, 'm'));
    assert.match(text, /^ {2}wasm +loads .*<- in use$/m);
    assert.match(text, /why: cuDNN 8\.1 \(libcudnn\.so\.8/);
    assert.match(text, /1\. download cuDNN 8\.1\.x/);
    assert.match(text, /2\. copy its lib files .* sudo ldconfig/);
    assert.match(text, /why: @tensorflow\/tfjs-node is not installed/);
    assert.match(text, /30\.6 GFLOP\/s \(512×512 matrix product, 115 times in 1\.0 s\)/);
    assert.match(
      text,
      /GPU: \/dev\/nvidia0; nvidia-smi: NVIDIA T4, driver 535\.104\.05; libcudart\.so\.11\.0 \/usr\/local\/cuda\/lib64\/libcudart\.so\.11\.0; libcudnn\.so\.8 not found/,
    );
    assert.match(text, /CUDA 11\.2 \+ cuDNN 8\.1/);
  });

  it('shows the conv training step, WebGPU on a software adapter (loads, not in use) and the adapters table', () => {
    const text = doctorText(report, 'linux');
    assert.match(text, /^ +60\.9 steps\/s, 1948 samples\/s \(conv training step, batch 32, 61 steps in 1\.0 s\)$/m);
    assert.match(text, /^ {2}webgpu +loads +loads on a software adapter, for tests: auto passes it over .*llvmpipe/m);
    assert.doesNotMatch(text, /^ {2}webgpu .*<- in use/m);
    assert.match(text, /why: only a software adapter was found/);
    assert.match(text, /why: libvulkan\.so\.1 \(the Vulkan loader\) is not installed/);
    assert.match(text, /1\. Debian\/Ubuntu: sudo apt-get install libvulkan1 mesa-vulkan-drivers/);
    assert.match(text, /^WebGPU adapters:\n {2}API +Vendor +Architecture +Device +Driver +Kind$/m);
    assert.match(text, /^ {2}Vulkan +libvulkan\.so\.1 is not installed +none$/m);
    assert.match(text, /^ {2}OpenGL ES +llvmpipe-llvm-15-0-6-256-bits +OpenGL ES 3\.2 Mesa 22\.3\.6 +software$/m);
  });

  it('gives the Windows steps on Windows', () => {
    assert.match(
      doctorText(report, 'win32'),
      /into C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v11\.2\\bin/,
    );
  });
});
