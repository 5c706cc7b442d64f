import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doctorText } from '../../../src/main/cli/doctor-command';
import { diagnoseCompute } from '../../../src/shared/compute-doctor';

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
});

describe('doctorText', () => {
  it('names every backend, the one in use, why the native ones are absent with numbered fix steps for this OS', () => {
    const text = doctorText(report, 'linux');
    assert.match(text, /use: wasm\)/);
    for (const name of ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
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

  it('gives the Windows steps on Windows', () => {
    assert.match(
      doctorText(report, 'win32'),
      /into C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v11\.2\\bin/,
    );
  });
});
