import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cuda12Runtime,
  cudaLibraries,
  findLibrary,
  parseLdconfig,
  parseNvidiaSmi,
  type LibrarySearch,
} from '../../../../src/main/engine/compute/gpu-facts';

const LDCONFIG = `1234 libs found in cache \`/etc/ld.so.cache'
\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8
\tlibcudart.so.11.0 (libc6) => /usr/lib32/libcudart.so.11.0
\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda-11.2/targets/x86_64-linux/lib/libcudart.so.11.0
\tlibc.so.6 (libc6,x86-64, OS ABI: Linux 3.2.0) => /lib/x86_64-linux-gnu/libc.so.6
`;

function machine(files: string[], over: Partial<LibrarySearch> = {}): LibrarySearch {
  const present = new Set(files);
  return { platform: 'linux', env: {}, ldCache: new Map(), exists: (f) => present.has(f), ...over };
}

describe('parseLdconfig', () => {
  it('maps each soname to its 64-bit path', () => {
    const libs = parseLdconfig(LDCONFIG);
    assert.equal(libs.get('libcudnn.so.8'), '/usr/lib/x86_64-linux-gnu/libcudnn.so.8');
    assert.equal(libs.get('libcudart.so.11.0'), '/usr/local/cuda-11.2/targets/x86_64-linux/lib/libcudart.so.11.0');
    assert.equal(libs.get('libc.so.6'), '/lib/x86_64-linux-gnu/libc.so.6');
    assert.equal(libs.size, 3);
  });
});

describe('parseNvidiaSmi', () => {
  it('reads the driver version and the GPU names', () => {
    assert.deepEqual(parseNvidiaSmi('535.104.05, NVIDIA A100-SXM4-40GB\n535.104.05, NVIDIA A100-SXM4-40GB\n'), {
      driverVersion: '535.104.05',
      gpus: ['NVIDIA A100-SXM4-40GB', 'NVIDIA A100-SXM4-40GB'],
    });
    assert.deepEqual(parseNvidiaSmi(''), { gpus: [] });
  });
});

describe('findLibrary', () => {
  it('searches LD_LIBRARY_PATH first, then the loader cache, then the usual CUDA folders', () => {
    const files = ['/opt/mine/libcudart.so.11.0', '/usr/local/cuda/lib64/libcudart.so.11.0'];
    const ldCache = parseLdconfig(LDCONFIG);
    assert.equal(
      findLibrary('libcudart.so.11.0', machine(files, { env: { LD_LIBRARY_PATH: '/nope:/opt/mine' }, ldCache })),
      '/opt/mine/libcudart.so.11.0',
    );
    assert.equal(
      findLibrary('libcudart.so.11.0', machine(files, { ldCache })),
      '/usr/local/cuda-11.2/targets/x86_64-linux/lib/libcudart.so.11.0',
    );
    assert.equal(findLibrary('libcudart.so.11.0', machine(files)), '/usr/local/cuda/lib64/libcudart.so.11.0');
    assert.equal(findLibrary('libcudart.so.11.0', machine([])), null);
  });

  it('on Windows, searches PATH, CUDA_PATH and the toolkit folder for the DLLs', () => {
    const dll = 'C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v11.2\\bin\\cudart64_110.dll';
    const win = machine([dll, 'D:\\cuda\\bin\\cudnn64_8.dll'], { platform: 'win32', env: { CUDA_PATH: 'D:\\cuda' } });
    assert.deepEqual(cudaLibraries(win), { cudart: dll, cudnn: 'D:\\cuda\\bin\\cudnn64_8.dll', cublas: null });
  });

  it('looks for nothing on macOS (no CUDA there)', () =>
    assert.deepEqual(cudaLibraries(machine([], { platform: 'darwin' })), {}));
});

describe('cuda12Runtime', () => {
  it('finds libcudart.so.12 as the loader would (a CUDA 12 set-up), on Linux only', () => {
    const cache = new Map([['libcudart.so.12', '/usr/local/cuda-12.2/targets/x86_64-linux/lib/libcudart.so.12']]);
    assert.equal(cuda12Runtime(machine([], { ldCache: cache })), cache.get('libcudart.so.12'));
    assert.equal(
      cuda12Runtime(machine(['/usr/local/cuda-12/lib64/libcudart.so.12'])),
      '/usr/local/cuda-12/lib64/libcudart.so.12',
    );
    assert.equal(cuda12Runtime(machine([])), null);
    assert.equal(cuda12Runtime(machine([], { platform: 'win32' })), undefined);
  });
});
