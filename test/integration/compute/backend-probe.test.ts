/**
 * `auto`'s speed probe, measured for real. Production compares tensorflow (tfjs-node) with wasm, and tfjs-node
 * cannot be installed here, so the runner is given the candidates ['wasm', 'cpu'] instead: on a conv net wasm beats
 * the pure-JS cpu backend on every machine. The cache file is written owner-only, read again on the next call (no
 * second probe), and ignored for another machine or when malformed.
 *
 * The production path (tensorflow vs wasm, the cache in the data folder, the run's provenance, the doctor) is then
 * gone through by `fedmem run` with a stand-in @tensorflow/tfjs-node on NODE_PATH: it registers a 'tensorflow'
 * backend as the real package does, computing with the pure-JS CPU kernels, so wasm wins there too. This says the
 * plumbing works; it says nothing of how fast the real libtensorflow is.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseProbeCache } from '../../../src/shared/backend-probe';
import { resolveAutoBackend, type AutoBackendOptions } from '../../../src/main/engine/compute/backend-probe';
import { thisMachine } from '../../../src/main/machine-cores';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-probe-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const cacheFile = path.join(tmp, 'backend-probes.json');

function options(over: Partial<AutoBackendOptions> = {}): { o: AutoBackendOptions; logs: string[] } {
  const logs: string[] = [];
  const o: AutoBackendOptions = {
    modelId: 'cnn',
    inputShape: [16, 16, 1],
    numClasses: 10,
    batchSize: 8,
    workers: 1,
    optimizer: { optimizer: 'adam', lr: 1e-3, momentum: 0.9 },
    cacheFile,
    log: (level, message) => logs.push(`${level}: ${message}`),
    // Test-only candidates: tfjs-node cannot be installed on the build machine (see the file's comment).
    candidates: ['wasm', 'cpu'],
    seconds: 0.5,
    ...over,
  };
  return { o, logs };
}

const measured = (logs: string[]) => logs.some((l) => l.includes('auto: measuring wasm and cpu'));
const cached = (logs: string[]) => logs.some((l) => /^info: auto: chose wasm .* \(cached in /.test(l));

test('without tfjs-node the production candidates leave nothing to compare: wasm, unmeasured, no file', async () => {
  const { o, logs } = options({ candidates: undefined });
  const info = await resolveAutoBackend(o);
  assert.equal(info.name, 'wasm');
  assert.equal(info.auto, undefined);
  assert.deepEqual(logs, []);
  assert.equal(fs.existsSync(cacheFile), false);
});

test('wasm vs cpu on a conv net: measured, wasm chosen, cached 0600; the next call reads the cache', async (t) => {
  const first = options();
  const info = await resolveAutoBackend(first.o);
  t.diagnostic(info.auto ?? '');
  assert.equal(info.name, 'wasm');
  assert.match(info.auto ?? '', /^auto: chose wasm \(.* samples\/s, 1 worker\) over cpu \(.*\), measured \d{4}-/);
  assert.ok(measured(first.logs), first.logs.join('\n'));
  assert.equal(fs.statSync(cacheFile).mode & 0o777, 0o600);
  const { cache, problems } = parseProbeCache(fs.readFileSync(cacheFile, 'utf8'));
  assert.deepEqual(problems, []);
  assert.equal(cache.entries.length, 1);
  const [entry] = cache.entries;
  assert.equal(entry.chosen, 'wasm');
  assert.equal(entry.versions.tfjsNode, null);
  const speed = (b: string) => entry.figures.find((f) => f.backend === b)!.samplesPerSecond;
  assert.ok(speed('wasm') > speed('cpu'), `wasm ${speed('wasm')} vs cpu ${speed('cpu')} samples/s`);

  const second = options();
  const again = await resolveAutoBackend(second.o);
  assert.equal(again.name, 'wasm');
  assert.equal(again.auto, info.auto, 'the same figures and date: nothing measured');
  assert.ok(cached(second.logs) && !measured(second.logs), second.logs.join('\n'));
});

test('another machine key or a malformed file means a new probe', async () => {
  const other = options({ machine: { ...thisMachine(), cores: thisMachine().cores + 64 } });
  assert.equal((await resolveAutoBackend(other.o)).name, 'wasm');
  assert.ok(measured(other.logs) && !cached(other.logs), other.logs.join('\n'));
  assert.equal(parseProbeCache(fs.readFileSync(cacheFile, 'utf8')).cache.entries.length, 2);

  fs.writeFileSync(cacheFile, '{"__proto__": {"polluted": true}, "version": 1, "entries": []}');
  const broken = options();
  assert.equal((await resolveAutoBackend(broken.o)).name, 'wasm');
  assert.ok(
    broken.logs.some((l) => /^warn: backend probe cache .*"__proto__" is not allowed as a key.*; ignored$/.test(l)),
    broken.logs.join('\n'),
  );
  assert.ok(measured(broken.logs));
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  const rewritten = parseProbeCache(fs.readFileSync(cacheFile, 'utf8'));
  assert.deepEqual(rewritten.problems, []);
  assert.equal(rewritten.cache.entries.length, 1);
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const requireRoot = createRequire(path.join(root, 'package.json'));

/** A stand-in @tensorflow/tfjs-node (as test/integration/compute/native-path.test.ts makes one for tfjs-node-gpu). */
function standInTfjsNode(): string {
  const modules = path.join(tmp, 'node_modules');
  const dir = path.join(modules, '@tensorflow', 'tfjs-node');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: '@tensorflow/tfjs-node', version: '0.0.0-stand-in', main: 'index.js' }),
  );
  const core = JSON.stringify(requireRoot.resolve('@tensorflow/tfjs-core'));
  const cpu = JSON.stringify(requireRoot.resolve('@tensorflow/tfjs-backend-cpu'));
  fs.writeFileSync(
    path.join(dir, 'index.js'),
    `// Stand-in for tests: registers 'tensorflow' as the real package does, computing with the CPU kernels.
const tf = require(${core});
const { MathBackendCPU } = require(${cpu});
tf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);
for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });
module.exports = { version: { 'tfjs-node': '0.0.0-stand-in' } };
`,
  );
  return modules;
}

test(
  'fedmem run with auto and a (stand-in) tfjs-node: probed once, cached in the data folder, in the provenance and the doctor',
  { timeout: 300_000 },
  () => {
    const env = { ...process.env, NODE_PATH: standInTfjsNode() };
    const data = path.join(tmp, 'data');
    const config = path.join(tmp, 'auto.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        name: 'auto-probe',
        seed: 4,
        dataset: { id: 'mnist', trainSize: 40, testSize: 20 },
        partition: { clients: 2 },
        training: { rounds: 1, batchSize: 10, lr: 1e-3 },
        compute: { backend: 'auto', workers: 1 },
      }),
    );
    const fedmem = (args: string[]) => {
      const r = spawnSync(process.execPath, [path.join(root, 'bin/fedmem.js'), ...args, '--data-dir', data], {
        encoding: 'utf8',
        env,
        timeout: 240_000,
      });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    const run = () =>
      fedmem(['run', '--config', config, '--json'])
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; message?: string; backend?: string; versions?: object });
    const logs = (events: ReturnType<typeof run>) => events.filter((e) => e.type === 'log').map((e) => e.message);

    const first = run();
    const started = first.find((e) => e.type === 'started')!;
    assert.equal(started.backend, 'wasm');
    const provenance = (started.versions as Record<string, string>)['backend.auto'];
    assert.match(provenance, /^auto: chose wasm \(.*\) over tensorflow \(.* samples\/s, 1 worker\), measured /);
    assert.ok(
      logs(first).some((m) => m?.startsWith('auto: measuring tensorflow and wasm on cnn')),
      logs(first).join('\n'),
    );
    const file = path.join(data, 'backend-probes.json');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const [entry] = parseProbeCache(fs.readFileSync(file, 'utf8')).cache.entries;
    assert.equal(entry.versions.tfjsNode, '0.0.0-stand-in');

    const second = run();
    assert.ok(
      logs(second).some((m) => m?.endsWith(`(cached in ${file})`)),
      logs(second).join('\n'),
    );
    assert.ok(!logs(second).some((m) => m?.startsWith('auto: measuring')));
    assert.equal(
      (second.find((e) => e.type === 'started')!.versions as Record<string, string>)['backend.auto'],
      provenance,
    );

    const doctor = fedmem(['doctor', '--seconds', '0']);
    assert.match(doctor, /@tensorflow\/tfjs-node 0\.0\.0-stand-in is installed/);
    assert.match(doctor, /cnn 28×28×1, 10 classes, batch 10, 1 worker: chose wasm \(/);
  },
);
