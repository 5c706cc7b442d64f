import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classifyLoadError,
  diagnoseCompute,
  gpuProblems,
  versionAtLeast,
  type ComputeFacts,
  type GpuFacts,
  type NativeProbe,
} from '../../../src/shared/compute-doctor';
import { fixStepsFor, formatTrainStep } from '../../../src/shared/compute-doctor-text';

/** A Linux box with a working CUDA 11.2 set-up. */
const goodGpu: GpuFacts = {
  platform: 'linux',
  libraries: {
    cudart: '/usr/local/cuda-11.2/lib64/libcudart.so.11.0',
    cudnn: '/usr/local/cuda-11.2/lib64/libcudnn.so.8',
    cublas: '/usr/local/cuda-11.2/lib64/libcublas.so.11',
  },
  devices: ['/dev/nvidia0'],
  nvidiaSmi: { found: true, driverVersion: '535.104.05', gpus: ['NVIDIA A100'] },
};
/** This machine: no GPU, no CUDA. */
const noGpu: GpuFacts = {
  platform: 'linux',
  libraries: { cudart: null, cudnn: null, cublas: null },
  devices: [],
  nvidiaSmi: { found: false },
};

const builtins: ComputeFacts['builtins'] = [
  { name: 'wasm', loaded: true, detail: 'SIMD, 1 thread' },
  { name: 'cpu', loaded: true },
];

function facts(natives: NativeProbe[], gpu: GpuFacts = goodGpu): ComputeFacts {
  return { natives, builtins, gpu, benchmarks: { wasm: { size: 512, iterations: 100, seconds: 1, gflops: 26.8 } } };
}
const absent = (name: NativeProbe['name']): NativeProbe => ({ name, installed: false, loaded: false });
const codes = (r: ReturnType<typeof diagnoseCompute>, name: string) =>
  r.backends.find((b) => b.name === name)!.problems.map((p) => p.code);

// Loader messages as Node/glibc and Windows print them when tfjs-node(-gpu) cannot open a library.
const LINUX_NO_LIBTF = 'libtensorflow.so.2: cannot open shared object file: No such file or directory';
const NO_ADDON =
  "The Node.js native addon module (tfjs_binding.node) can not be found at path: /app/node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node. \nPlease run command 'npm rebuild @tensorflow/tfjs-node-gpu --build-addon-from-source' to rebuild the native addon module.";
const LINUX_NO_CUDART =
  "Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory";
const LINUX_NO_CUDNN =
  "Could not load dynamic library 'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object file";
const WIN_NO_CUDART = "Could not load dynamic library 'cudart64_110.dll'; dlerror: cudart64_110.dll not found";
const OLD_DRIVER =
  'failed call to cuInit: CUDA_ERROR_SYSTEM_DRIVER_MISMATCH: system has unsupported display driver / cuda driver combination';
const INSUFFICIENT = 'CUDA driver version is insufficient for CUDA runtime version';

describe('classifyLoadError', () => {
  const pkg = '@tensorflow/tfjs-node-gpu';
  it('reads the missing library out of Linux and Windows loader messages', () => {
    assert.equal(classifyLoadError(LINUX_NO_LIBTF, pkg).code, 'libtensorflow-missing');
    assert.equal(
      classifyLoadError(
        'The specified module could not be found.\r\n\\\\?\\C:\\app\\node_modules\\@tensorflow\\tfjs-node\\lib\\napi-v8\\tensorflow.dll',
        pkg,
      ).code,
      'libtensorflow-missing',
    );
    assert.equal(classifyLoadError(NO_ADDON, pkg).code, 'addon-missing');
    assert.equal(classifyLoadError(LINUX_NO_CUDART, pkg).code, 'cuda-missing');
    assert.equal(classifyLoadError(WIN_NO_CUDART, pkg).code, 'cuda-missing');
    assert.equal(classifyLoadError(LINUX_NO_CUDNN, pkg).code, 'cudnn-missing');
    assert.equal(classifyLoadError('cudnn64_8.dll not found', pkg).code, 'cudnn-missing');
    assert.equal(classifyLoadError(OLD_DRIVER, pkg).code, 'driver-too-old');
    assert.equal(classifyLoadError(INSUFFICIENT, pkg).code, 'driver-too-old');
    assert.equal(
      classifyLoadError('failed call to cuInit: CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected', pkg).code,
      'no-gpu',
    );
  });

  it('keeps an unknown error in its message, first line only', () => {
    const p = classifyLoadError('Illegal instruction (AVX not supported)\n    at Module._load', pkg);
    assert.equal(p.code, 'load-failed');
    assert.equal(p.message, '@tensorflow/tfjs-node-gpu failed to load: Illegal instruction (AVX not supported)');
  });

  it('gives fix steps for Linux and Windows naming the exact versions', () => {
    const cuda = classifyLoadError(LINUX_NO_CUDART, pkg);
    assert.match(cuda.fix.linux.join(' '), /CUDA Toolkit 11\.2/);
    assert.match(cuda.fix.linux.join(' '), /LD_LIBRARY_PATH=\/usr\/local\/cuda-11\.2\/lib64/);
    assert.match(cuda.fix.windows.join(' '), /CUDA\\v11\.2\\bin/);
    assert.match(classifyLoadError(LINUX_NO_CUDNN, pkg).fix.linux.join(' '), /cuDNN 8\.1/);
    assert.match(classifyLoadError(LINUX_NO_LIBTF, pkg).fix.linux[0], /^npm rebuild @tensorflow\/tfjs-node-gpu/);
  });
});

describe('versionAtLeast', () => {
  it('compares driver versions part by part as numbers', () => {
    assert.equal(versionAtLeast('535.104.05', '450.80.02'), true);
    assert.equal(versionAtLeast('450.80.02', '450.80.02'), true);
    assert.equal(versionAtLeast('450.51.06', '450.80.02'), false);
    assert.equal(versionAtLeast('418.87', '450.80.02'), false);
    assert.equal(versionAtLeast('460.9', '460.10'), false); // 9 < 10, not a string comparison
    assert.equal(versionAtLeast('n/a', '450'), false);
  });
});

describe('gpuProblems', () => {
  it('finds nothing wrong with a working set-up', () => assert.deepEqual(gpuProblems(goodGpu), []));
  it('names every missing piece on a machine without GPU or CUDA', () => {
    assert.deepEqual(
      gpuProblems(noGpu).map((p) => p.code),
      ['no-gpu', 'cuda-missing', 'cudnn-missing', 'cublas-missing'],
    );
  });
  it('reports an old driver with its version and the minimum for the platform', () => {
    const linux = gpuProblems({ ...goodGpu, nvidiaSmi: { found: true, driverVersion: '418.87.01' } });
    assert.deepEqual(
      linux.map((p) => p.code),
      ['driver-too-old'],
    );
    assert.match(linux[0].message, /418\.87\.01; CUDA 11\.2 needs 450\.80\.02/);
    const win = gpuProblems({
      ...goodGpu,
      platform: 'win32',
      devices: [],
      nvidiaSmi: { found: true, driverVersion: '451.48' },
    });
    assert.match(win[0].message, /needs 452\.39/);
  });
  it('a Windows machine has no /dev/nvidia*: nvidia-smi alone shows the GPU', () => {
    assert.deepEqual(gpuProblems({ ...goodGpu, platform: 'win32', devices: [] }), []);
  });
  it('has no GPU package on macOS', () =>
    assert.deepEqual(
      gpuProblems({ ...noGpu, platform: 'darwin', libraries: {} }).map((p) => p.code),
      ['unsupported-platform'],
    ));
});

describe('diagnoseCompute', () => {
  it('on this kind of machine: wasm in use, both native packages absent with their reasons', () => {
    const r = diagnoseCompute(facts([absent('tensorflow-gpu'), absent('tensorflow')], noGpu));
    assert.equal(r.inUse, 'wasm');
    assert.deepEqual(
      r.backends.map((b) => [b.name, b.loads, b.inUse]),
      [
        ['tensorflow-gpu', false, false],
        ['tensorflow', false, false],
        ['wasm', true, true],
        ['cpu', true, false],
      ],
    );
    assert.deepEqual(codes(r, 'tensorflow-gpu'), [
      'not-installed',
      'no-gpu',
      'cuda-missing',
      'cudnn-missing',
      'cublas-missing',
    ]);
    assert.deepEqual(codes(r, 'tensorflow'), ['not-installed']);
    assert.equal(r.backends[0].summary, 'not installed');
    assert.equal(r.backends[2].benchmark?.gflops, 26.8);
  });

  it('GPU package loaded on a GPU: it is in use, no problems, the CPU package not tried', () => {
    const r = diagnoseCompute(
      facts([
        { name: 'tensorflow-gpu', installed: true, loaded: true, gpuDevice: true, libtensorflowPresent: true },
        { name: 'tensorflow', installed: true, loaded: false, notTried: '@tensorflow/tfjs-node-gpu is already loaded' },
      ]),
    );
    assert.equal(r.inUse, 'tensorflow-gpu');
    assert.deepEqual(codes(r, 'tensorflow-gpu'), []);
    assert.equal(r.backends[0].summary, 'loads, running on the GPU');
    assert.deepEqual(codes(r, 'tensorflow'), ['other-native-loaded']);
  });

  it('GPU package loaded but on the CPU because cuDNN is missing: in use, and says why the GPU is not', () => {
    const gpu = { ...goodGpu, libraries: { ...goodGpu.libraries, cudnn: null } };
    const r = diagnoseCompute(
      facts([{ name: 'tensorflow-gpu', installed: true, loaded: true, gpuDevice: false }, absent('tensorflow')], gpu),
    );
    assert.equal(r.inUse, 'tensorflow-gpu');
    assert.deepEqual(codes(r, 'tensorflow-gpu'), ['cudnn-missing']);
    assert.equal(r.backends[0].summary, 'loads, but runs on the CPU: no GPU in use');
  });

  it('GPU package on the CPU with every library found: a generic reason, never silence', () => {
    const r = diagnoseCompute(
      facts([{ name: 'tensorflow-gpu', installed: true, loaded: true, gpuDevice: false }, absent('tensorflow')]),
    );
    assert.deepEqual(codes(r, 'tensorflow-gpu'), ['gpu-not-used']);
  });

  it('install script that never downloaded libtensorflow: the fix is to rebuild the package, not CUDA', () => {
    const r = diagnoseCompute(
      facts(
        [
          {
            name: 'tensorflow-gpu',
            installed: true,
            loaded: false,
            loadError: LINUX_NO_LIBTF,
            libtensorflowPresent: false,
          },
          {
            name: 'tensorflow',
            installed: true,
            loaded: false,
            loadError: LINUX_NO_LIBTF,
            libtensorflowPresent: false,
          },
        ],
        noGpu,
      ),
    );
    assert.equal(r.inUse, 'wasm');
    assert.deepEqual(codes(r, 'tensorflow-gpu'), ['libtensorflow-missing']);
    assert.deepEqual(codes(r, 'tensorflow'), ['libtensorflow-missing']);
    assert.match(r.backends[1].summary, /^does not load: libtensorflow is missing from @tensorflow\/tfjs-node/);
  });

  it('a GPU load error plus facts: the loader message first, then what else the facts show', () => {
    const gpu = {
      ...goodGpu,
      libraries: { cudart: null, cudnn: null, cublas: '/x/libcublas.so.11' },
      nvidiaSmi: { found: true, driverVersion: '440.33.01' },
    };
    const r = diagnoseCompute(
      facts(
        [
          {
            name: 'tensorflow-gpu',
            installed: true,
            loaded: false,
            loadError: LINUX_NO_CUDART,
            libtensorflowPresent: true,
          },
          { name: 'tensorflow', installed: true, loaded: true },
        ],
        gpu,
      ),
    );
    assert.equal(r.inUse, 'tensorflow');
    assert.deepEqual(codes(r, 'tensorflow-gpu'), ['cuda-missing', 'driver-too-old', 'cudnn-missing']);
  });

  it('no backend at all: none in use', () => {
    const f = facts([absent('tensorflow-gpu'), absent('tensorflow')]);
    f.builtins = [
      { name: 'wasm', loaded: false, error: 'no WebAssembly' },
      { name: 'cpu', loaded: false, error: 'broken' },
    ];
    const r = diagnoseCompute(f);
    assert.equal(r.inUse, null);
    assert.equal(r.backends[2].summary, 'does not load: no WebAssembly');
  });
});

describe('fixStepsFor', () => {
  const fix = { linux: ['l'], windows: ['w'], mac: ['m'] };
  it("each OS's steps; macOS falls back to the Linux ones where a problem has none of its own", () => {
    const p = { code: 'load-failed' as const, message: '', fix };
    assert.deepEqual(fixStepsFor(p, 'linux'), ['l']);
    assert.deepEqual(fixStepsFor(p, 'win32'), ['w']);
    assert.deepEqual(fixStepsFor(p, 'darwin'), ['m']);
    assert.deepEqual(fixStepsFor({ ...p, fix: { linux: ['l'], windows: ['w'] } }, 'darwin'), ['l']);
  });
});

describe('the conv training-step figure', () => {
  it('is formatted the same in the app and the CLI, and reaches the backend it was timed on', () => {
    const step = { batch: 32, filters: 32, steps: 4, seconds: 2, stepsPerSecond: 2, samplesPerSecond: 64, loss: 2.3 };
    assert.equal(formatTrainStep(step), '2.0 steps/s, 64.0 samples/s (conv training step, batch 32, 4 steps in 2.0 s)');
    const r = diagnoseCompute({ ...facts([absent('tensorflow-gpu')], noGpu), trainSteps: { wasm: step } });
    assert.deepEqual(r.backends.find((b) => b.name === 'wasm')?.trainStep, step);
    assert.equal(r.backends.find((b) => b.name === 'cpu')?.trainStep, undefined);
  });
});
