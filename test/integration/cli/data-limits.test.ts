/**
 * `fedmem run` with a config the data cannot honour: refused in one sentence before a run is stored.
 * And a run the engine fails for its config (what no cheap read can foresee) says to change the config,
 * not to resume it, and `fedmem resume` refuses it. Real processes, a real data directory.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../../src/main/store';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-cli-limits-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fedmem(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: os.tmpdir() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeJson(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

const base = {
  seed: 1,
  dataset: { id: 'mnist', trainSize: 600, testSize: 100 },
  partition: { clients: 3 },
  model: { id: 'mlp' },
  training: { rounds: 1, batchSize: 32, lr: 1e-3 },
  compute: { backend: 'wasm', workers: 1 },
};

test('fedmem run refuses a class MNIST lacks in one sentence, and stores nothing', () => {
  const dataDir = path.join(tmp, 'refused');
  const unlearning = { request: { kind: 'class', class: 99 }, methods: [{ id: 'finetune', rounds: 1 }] };
  const config = { ...base, unlearning };
  const r = fedmem(['run', '--config', writeJson('class99.json', config), '--data-dir', dataDir]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(
    r.stderr,
    'fedmem: invalid config: unlearning.request.class: MNIST has classes 0-9; 99 is not one of them\n',
  );
  assert.equal(r.stdout, '');
  const store = openDatabase(dataDir, { recoverInterrupted: false });
  try {
    assert.deepEqual(store.runs.list({}), []);
  } finally {
    store.close();
  }
});

test('a run the engine fails for its config suggests a new config, not resume; resume refuses it', () => {
  const dataDir = path.join(tmp, 'failed');
  // Near one-hot Dirichlet shares (alpha 0.001) hand each class's 10 examples to one client: no 9
  // clients can each get 11 of 100, though 9 x 11 <= 100 passes every check made before the run.
  const config = {
    ...base,
    dataset: { id: 'synthetic', trainSize: 100, testSize: 50 },
    partition: { clients: 9, scheme: 'dirichlet', alpha: 0.001, minSize: 11 },
  };
  const r = fedmem(['run', '--config', writeJson('dirichlet.json', config), '--data-dir', dataDir]);
  assert.equal(r.code, 1, r.stderr);
  const runId = r.stdout.trim();
  const lastLine = r.stderr.trim().split('\n').pop()!;
  const failed = `^fedmem: run ${runId} failed: Dirichlet partition with alpha 0\\.001 could not give each of 9 clients`;
  assert.match(lastLine, new RegExp(failed));
  assert.match(lastLine, /; change the config and start a new run \(resuming would fail the same way\)$/);
  assert.doesNotMatch(r.stderr, /fedmem resume/);
  const resumed = fedmem(['resume', runId, '--data-dir', dataDir]);
  assert.equal(resumed.code, 1);
  assert.equal(
    resumed.stderr,
    `fedmem: run ${runId} cannot be resumed: it failed because of its config and would fail the same way again; ` +
      'change the config and start a new run\n',
  );
  const store = openDatabase(dataDir, { recoverInterrupted: false });
  try {
    assert.equal(store.runs.require(runId).status, 'failed');
    assert.equal(store.events.list(runId).filter((e) => e.type === 'resumed').length, 0);
  } finally {
    store.close();
  }
});
