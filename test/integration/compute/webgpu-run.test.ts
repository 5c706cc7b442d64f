/**
 * A whole run on the WebGPU backend, through the CLI and the engine process as a user's would go: training,
 * FedMemEraser and retraining, GME's evaluation. Here the adapter is Mesa's software one (.ci/run installs
 * it); on a user's machine the same code runs on their GPU. The run must end done, record the adapter in its
 * provenance, and land within a few points of the same config on wasm: the GPU's float32 sums run in
 * another order, so the numbers are close, not equal (the README says what reproducibility means on a GPU).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listWebGpuAdapters } from '../../../src/main/engine/compute/webgpu';
import { skipOrFail } from '../support/required-tool';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-webgpu-run-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const dataDir = path.join(tmp, 'data');

/** Test accuracy may differ from wasm's by at most this (a few test examples of 100). */
const ACCURACY_POINTS = 0.05;

function fedmem(args: string[]): string {
  const r = spawnSync(process.execPath, [bin, ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  assert.equal(r.status, 0, `fedmem ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

function run(backend: string): { runId: string; accuracy: number[] } {
  const file = path.join(tmp, `${backend}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      name: `webgpu-run-${backend}`,
      seed: 11,
      dataset: { id: 'mnist', trainSize: 150, testSize: 100 },
      partition: { clients: 3 },
      training: { rounds: 2, batchSize: 25, lr: 3e-3 },
      compute: { backend, workers: 1 },
      unlearning: {
        request: { kind: 'clients', clients: [0] },
        methods: [{ id: 'fedmemeraser', rho: 0.3, rounds: 1 }],
      },
      evaluation: { retrainModels: 1 },
    }),
  );
  const events = fedmem(['run', '--config', file, '--json'])
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const finished = events.find((e) => e.type === 'finished');
  assert.equal(finished?.status, 'done', JSON.stringify(finished));
  const accuracy = events.filter((e) => e.type === 'round').map((e) => e.testAccuracy as number);
  return { runId: String(finished?.runId), accuracy };
}

test(
  'a run on webgpu ends done, records its adapter, and lands within a few points of wasm',
  { timeout: 900_000 },
  async (t) => {
    const probes = await listWebGpuAdapters();
    if (!probes.some((p) => p.adapter != null)) return skipOrFail(t, 'no WebGPU adapter (Mesa EGL/GLES missing)');
    const t0 = performance.now();
    const gpu = run('webgpu');
    const t1 = performance.now();
    const cpu = run('wasm');
    t.diagnostic(
      `webgpu run ${((t1 - t0) / 1000).toFixed(0)} s, wasm run ${((performance.now() - t1) / 1000).toFixed(0)} s`,
    );
    assert.equal(gpu.accuracy.length, cpu.accuracy.length);
    assert.ok(gpu.accuracy.length >= 3, 'every stage reports rounds');
    gpu.accuracy.forEach((a, i) =>
      assert.ok(
        Math.abs(a - cpu.accuracy[i]) <= ACCURACY_POINTS,
        `round ${i}: webgpu ${a} vs wasm ${cpu.accuracy[i]} (tolerance ${ACCURACY_POINTS})`,
      ),
    );
    // Training did something: the last original round beats chance on 10 classes.
    assert.ok(cpu.accuracy[1] > 0.2, `wasm accuracy ${cpu.accuracy[1]}`);
    const shown = JSON.parse(fedmem(['show', gpu.runId, '--json'])) as {
      run: { backend: string; versions: Record<string, string> };
    };
    assert.equal(shown.run.backend, 'webgpu');
    assert.match(shown.run.versions['gpu.adapter'], /software, through OpenGL ES|hardware/);
    assert.ok(shown.run.versions['gpu.driver'].length > 0, 'the driver is recorded');
    assert.match(shown.run.versions.reproducible, /this device/);
    t.diagnostic(
      `webgpu ${gpu.accuracy.map((a) => a.toFixed(3)).join(' ')}; wasm ${cpu.accuracy.map((a) => a.toFixed(3)).join(' ')}`,
    );
  },
);
