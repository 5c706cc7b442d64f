/**
 * The tfjs-node-gpu path, exercised as far as this machine allows (issue 14): no GPU and no
 * libtensorflow here, so a stand-in package named @tensorflow/tfjs-node-gpu is put on NODE_PATH. It
 * does what the real one does to tfjs (registers a backend called 'tensorflow' and reports its
 * version), with the CPU kernels that load here behind it. A run with `compute.backend:
 * 'tensorflow-gpu'` then goes through everything a GPU user's run does: the optional-package loader,
 * the native backend switch, the in-process client pool (native backends train clients in the engine's
 * own thread, not in workers), and the run record of its backend. Its numbers must equal those of the
 * same config on the 'cpu' backend, trained in worker threads: the pools are meant to be interchangeable.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-native-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const requireRoot = createRequire(path.join(root, 'package.json'));

function standInGpuPackage(): string {
  const modules = path.join(tmp, 'node_modules');
  const dir = path.join(modules, '@tensorflow', 'tfjs-node-gpu');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: '@tensorflow/tfjs-node-gpu', version: '0.0.0-stand-in', main: 'index.js' }),
  );
  const core = JSON.stringify(requireRoot.resolve('@tensorflow/tfjs-core'));
  const cpu = JSON.stringify(requireRoot.resolve('@tensorflow/tfjs-backend-cpu'));
  fs.writeFileSync(
    path.join(dir, 'index.js'),
    `// Stand-in for tests: registers 'tensorflow' as the real package does, computing with the CPU kernels.
const tf = require(${core});
const { MathBackendCPU } = require(${cpu});
tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { isUsingGpuDevice: false }), 3);
for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });
module.exports = { version: { 'tfjs-node': '0.0.0-stand-in' } };
`,
  );
  return modules;
}

function run(name: string, backend: string, env: NodeJS.ProcessEnv) {
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      name,
      seed: 4,
      dataset: { id: 'mnist', trainSize: 40, testSize: 20 },
      partition: { clients: 2 },
      training: { rounds: 2, batchSize: 20, lr: 1e-3 },
      compute: { backend, workers: 2 },
    }),
  );
  const r = spawnSync(
    process.execPath,
    [bin, 'run', '--config', file, '--data-dir', path.join(tmp, 'data'), '--json'],
    { encoding: 'utf8', env, timeout: 240_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test(
  "a run on 'tensorflow-gpu' goes through the native loader and the in-process pool, and matches the cpu backend's numbers",
  { timeout: 300_000 },
  () => {
    const env = { ...process.env, NODE_PATH: standInGpuPackage() };
    const gpu = run('gpu-path', 'tensorflow-gpu', env);
    const cpu = run('cpu-path', 'cpu', process.env);
    const started = gpu.find((e) => e.type === 'started')!;
    assert.equal(started.backend, 'tensorflow-gpu');
    assert.equal(started.pool, 'in-process', 'native backends train clients in the engine thread');
    assert.equal(cpu.find((e) => e.type === 'started')!.pool, 'threads');
    const rounds = (events: Record<string, unknown>[]) =>
      events.filter((e) => e.type === 'round').map((e) => [e.round, e.testAccuracy, e.testLoss, e.trainLoss]);
    assert.equal(rounds(gpu).length, 2);
    assert.deepEqual(rounds(gpu), rounds(cpu));
  },
);
