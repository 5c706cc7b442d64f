import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseCompute, type ComputeFacts } from '../../../src/shared/compute-doctor';
import { fixStepsFor } from '../../../src/shared/compute-doctor-text';
import type { WebGpuAdapter, WebGpuProbe } from '../../../src/shared/webgpu';
import {
  adapterRows,
  diagnoseWebGpu,
  releaseMajor,
  webGpuProblems,
  type WebGpuFacts,
} from '../../../src/shared/webgpu-doctor';

/** This machine: Mesa's llvmpipe through OpenGL ES, no libvulkan. */
const llvmpipe: WebGpuAdapter = {
  api: 'opengles',
  vendor: '',
  architecture: '',
  device: 'llvmpipe-llvm-15-0-6-256-bits',
  description: 'OpenGL ES 3.2 Mesa 22.3.6',
  software: true,
  featureLevel: 'compatibility',
};
const nvidia: WebGpuAdapter = {
  api: 'vulkan',
  vendor: 'nvidia',
  architecture: 'ampere',
  device: 'NVIDIA GeForce RTX 3080',
  description: 'NVIDIA 535.104.05',
  software: false,
  featureLevel: 'core',
};
const noVulkan: WebGpuProbe = {
  api: 'vulkan',
  error: 'libvulkan.so.1 is not installed',
  missingLibrary: 'libvulkan.so.1',
};
const noEgl: WebGpuProbe = { api: 'opengles', error: 'libEGL.so.1 is not installed', missingLibrary: 'libEGL.so.1' };

function linux(probes: WebGpuProbe[], over: Partial<WebGpuFacts> = {}): WebGpuFacts {
  const adapter =
    probes.find((p) => p.adapter && !p.adapter.software)?.adapter ?? probes.find((p) => p.adapter)?.adapter;
  return { platform: 'linux', probes, loaded: adapter != null, ...(adapter && { adapter }), ...over };
}
const codes = (f: WebGpuFacts) => webGpuProblems(f).map((p) => p.code);

describe('webGpuProblems: each problem read from its facts', () => {
  it('a software adapter only (this machine): software-only first, then why no GPU was reached', () => {
    const f = linux([noVulkan, { api: 'opengles', adapter: llvmpipe }]);
    assert.deepEqual(codes(f), ['webgpu-software-only', 'vulkan-missing']);
    const [software, vulkan] = webGpuProblems(f);
    assert.match(software.message, /only a software adapter .*llvmpipe.*auto skips it/);
    assert.match(fixStepsFor(software, 'linux').join('\n'), /nothing to fix for tests/);
    assert.match(fixStepsFor(vulkan, 'linux')[0], /sudo apt-get install libvulkan1 mesa-vulkan-drivers/);
    assert.match(fixStepsFor(vulkan, 'linux')[1], /NVIDIA's proprietary driver ships its own Vulkan ICD/);
  });

  it('headless without EGL and without Vulkan: both libraries named, with their packages', () => {
    const f = linux([noVulkan, noEgl]);
    assert.deepEqual(codes(f), ['vulkan-missing', 'egl-missing']);
    const egl = webGpuProblems(f)[1];
    assert.match(egl.message, /libEGL\.so\.1 is not installed/);
    assert.match(fixStepsFor(egl, 'linux')[0], /sudo apt-get install libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri/);
    const gles = linux([noVulkan, { api: 'opengles', error: 'x', missingLibrary: 'libGLESv2.so.2' }]);
    assert.match(webGpuProblems(gles)[1].message, /libGLESv2\.so\.2/);
  });

  it('no adapter at all with every library present: no-adapter, naming what each API said', () => {
    const f = linux([
      { api: 'vulkan', error: 'no adapter' },
      { api: 'opengles', error: 'eglInitialize failed' },
    ]);
    assert.deepEqual(codes(f), ['webgpu-no-adapter']);
    assert.match(webGpuProblems(f)[0].message, /Vulkan: no adapter; OpenGL ES: eglInitialize failed/);
    assert.match(fixStepsFor(webGpuProblems(f)[0], 'linux')[0], /libvulkan1 mesa-vulkan-drivers/);
  });

  it('Vulkan installed but listing no GPU, beside a software adapter: both said', () => {
    const f = linux([
      { api: 'vulkan', error: 'no adapter' },
      { api: 'opengles', adapter: llvmpipe },
    ]);
    assert.deepEqual(codes(f), ['webgpu-software-only', 'webgpu-no-adapter']);
    assert.match(
      webGpuProblems(f)[1].message,
      /^no WebGPU hardware adapter was found \(Vulkan: no adapter; OpenGL ES: software adapter\)/,
    );
  });

  it('a hardware adapter: no problem, even where another API is missing', () => {
    const f = linux([{ api: 'vulkan', adapter: nvidia }, noEgl]);
    assert.deepEqual(codes(f), []);
    assert.equal(diagnoseWebGpu(f).autoEligible, true);
    assert.match(
      diagnoseWebGpu(f).summary,
      /^loads on nvidia ampere NVIDIA GeForce RTX 3080.*hardware, through Vulkan/,
    );
  });

  it('Windows without Direct3D 12: the Windows driver steps', () => {
    const f: WebGpuFacts = {
      platform: 'win32',
      osRelease: '10.0.19045',
      probes: [
        { api: 'd3d12', error: 'no adapter' },
        { api: 'vulkan', error: 'no adapter' },
      ],
      loaded: false,
    };
    assert.deepEqual(codes(f), ['d3d12-unavailable']);
    const p = webGpuProblems(f)[0];
    assert.match(fixStepsFor(p, 'win32')[0], /update the GPU's driver.*Windows 10 and 11/);
    assert.match(webGpuProblems({ ...f, osRelease: '6.1.7601' })[0].message, /older than Windows 10/);
  });

  it('macOS without a Metal adapter: the macOS steps, and the version when it is too old', () => {
    const f: WebGpuFacts = {
      platform: 'darwin',
      osRelease: '19.6.0',
      probes: [{ api: 'metal', error: 'no adapter' }],
      loaded: false,
    };
    assert.deepEqual(codes(f), ['metal-unavailable']);
    const p = webGpuProblems(f)[0];
    assert.match(p.message, /older than 11/);
    assert.match(
      fixStepsFor(p, 'darwin')[0],
      /macOS 11 \(Big Sur\) or newer on Apple Silicon or on a Mac with a Metal GPU/,
    );
    assert.doesNotMatch(webGpuProblems({ ...f, osRelease: '23.1.0' })[0].message, /older/);
  });

  it('the webgpu package failing to load: reinstall, nothing else', () => {
    const f: WebGpuFacts = {
      platform: 'linux',
      probes: [],
      loaded: false,
      packageError: 'Cannot find module dawn.node',
    };
    assert.deepEqual(codes(f), ['webgpu-package-failed']);
    assert.match(fixStepsFor(webGpuProblems(f)[0], 'darwin')[0], /reinstall the app \(npm ci\).*macOS/);
  });

  it('a platform Dawn has no build for', () => {
    assert.deepEqual(codes({ platform: 'freebsd', probes: [], loaded: false }), ['webgpu-unsupported-platform']);
  });

  it('an adapter whose device will not open: load-failed with the error', () => {
    const f = linux([{ api: 'vulkan', adapter: nvidia }], { loaded: false, loadError: 'device lost' });
    delete f.adapter;
    assert.deepEqual(codes(f), ['webgpu-load-failed']);
    assert.match(diagnoseWebGpu(f).summary, /does not load: .*device lost/);
  });
});

describe('diagnoseCompute with WebGPU', () => {
  const builtins: ComputeFacts['builtins'] = [
    { name: 'wasm', loaded: true },
    { name: 'cpu', loaded: true },
  ];
  const noGpu: ComputeFacts['gpu'] = { platform: 'linux', libraries: {}, devices: [], nvidiaSmi: { found: false } };
  const facts = (webgpu: WebGpuFacts): ComputeFacts => ({
    natives: [{ name: 'tensorflow-gpu', installed: false, loaded: false }],
    builtins,
    gpu: noGpu,
    benchmarks: {},
    webgpu,
  });

  it('never picks webgpu on a software-only machine, though it loads', () => {
    const r = diagnoseCompute(facts(linux([noVulkan, { api: 'opengles', adapter: llvmpipe }])));
    const webgpu = r.backends.find((b) => b.name === 'webgpu')!;
    assert.equal(webgpu.loads, true);
    assert.equal(webgpu.autoEligible, false);
    assert.equal(webgpu.inUse, false);
    assert.equal(r.inUse, 'wasm');
    assert.match(webgpu.summary, /software adapter, for tests: auto passes it over/);
    assert.deepEqual(r.webgpu?.probes.length, 2);
    assert.deepEqual(
      r.backends.map((b) => b.name),
      ['tensorflow-gpu', 'webgpu', 'wasm', 'cpu'],
    );
  });

  it('picks webgpu on a hardware adapter, before the CPU backends', () => {
    assert.equal(diagnoseCompute(facts(linux([{ api: 'vulkan', adapter: nvidia }]))).inUse, 'webgpu');
  });
});

describe('adapterRows', () => {
  it('one row per API: the adapter, or why there was none', () => {
    assert.deepEqual(adapterRows([noVulkan, { api: 'opengles', adapter: llvmpipe }]), [
      {
        api: 'Vulkan',
        vendor: '',
        architecture: '',
        device: '',
        driver: 'libvulkan.so.1 is not installed',
        kind: 'none',
      },
      {
        api: 'OpenGL ES',
        vendor: '',
        architecture: '',
        device: 'llvmpipe-llvm-15-0-6-256-bits',
        driver: 'OpenGL ES 3.2 Mesa 22.3.6',
        kind: 'software',
      },
    ]);
  });

  it('reads the OS release', () => {
    assert.equal(releaseMajor('20.6.0'), 20);
    assert.equal(releaseMajor('10.0.19045'), 10);
    assert.equal(releaseMajor(undefined), undefined);
  });
});
