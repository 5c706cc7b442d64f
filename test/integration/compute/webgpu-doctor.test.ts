/**
 * The real `fedmem doctor --json` on a machine whose only WebGPU adapter is Mesa's llvmpipe (CI, and this
 * container: Mesa's EGL and GLES, no libvulkan): the adapter is listed as software, the webgpu backend loads on it
 * and trains a conv step, and `auto` still does not pick it. Without Mesa's libEGL there is no adapter to test on:
 * skipped, or failed where FEDMEM_TOOLS_REQUIRED=1 (.ci/run installs the Mesa packages).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findLibrary, librarySearch } from '../../../src/main/engine/compute/gpu-facts';
import type { ComputeReport } from '../../../src/shared/compute-doctor';
import { WEBGPU_LINUX_LIBRARIES } from '../../../src/shared/webgpu';
import { skipOrFail } from '../support/required-tool';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-webgpu-doctor-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test(
  'doctor --json: a software adapter is listed as software, webgpu loads on it, and auto does not use it',
  { timeout: 240_000 },
  (t) => {
    if (process.platform !== 'linux') return t.skip('Mesa software adapters are a Linux set-up');
    const search = librarySearch();
    const missing = (WEBGPU_LINUX_LIBRARIES.opengles ?? []).find((lib) => findLibrary(lib, search) == null);
    if (missing != null) {
      return skipOrFail(
        t,
        `${missing} (Mesa's EGL/GLES: apt-get install libegl1 libgles2 libegl-mesa0) is not installed`,
      );
    }
    const r = spawnSync(
      process.execPath,
      [bin, 'doctor', '--json', '--seconds', '0.2', '--data-dir', path.join(tmp, 'data')],
      { encoding: 'utf8', timeout: 200_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ComputeReport;
    const probes = report.webgpu?.probes ?? [];
    if (probes.some((p) => p.adapter != null && !p.adapter.software)) {
      return t.skip('this machine has a hardware WebGPU adapter; the test is about a software-only one');
    }
    const gles = probes.find((p) => p.api === 'opengles');
    assert.ok(gles?.adapter, `no OpenGL ES adapter although EGL is installed: ${JSON.stringify(probes)}`);
    assert.equal(gles.adapter.software, true, JSON.stringify(gles.adapter));
    assert.match(gles.adapter.description, /Mesa/);

    const webgpu = report.backends.find((b) => b.name === 'webgpu');
    assert.ok(webgpu, 'the report has a webgpu entry');
    assert.equal(webgpu.loads, true, webgpu.summary);
    assert.equal(webgpu.inUse, false);
    assert.equal(webgpu.autoEligible, false);
    assert.ok(webgpu.problems.some((p) => p.code === 'webgpu-software-only'));
    assert.equal(report.webgpu?.adapter?.software, true);
    assert.notEqual(report.inUse, 'webgpu');
    assert.ok(report.inUse != null, 'some backend is in use');
    // The conv step ran on the device: a finite loss read back with data().
    assert.ok(Number.isFinite(webgpu.trainStep?.loss), JSON.stringify(webgpu.trainStep));
  },
);
