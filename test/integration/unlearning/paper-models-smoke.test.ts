/**
 * Every method runs on each of the paper's models, from files in their real formats: ResNet-18 on CIFAR-10
 * binary batches (32x32x3) and VGG-9 on an EMNIST-shaped IDX folder (28x28x1, 47 classes). Tiny sizes: the
 * point is that each method's code path (training, history, ascent, full-data gradients, GME's evaluation) runs
 * on each model's shapes and memory, which the CNN-sized tests do not reach. The numbers are not looked at
 * beyond being finite; the run must end done with a report row per method.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { imagesBytes, labelsBytes, write, writeCifar10 } from '../../unit/engine/data/fixtures';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-paper-models-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const METHODS = [
  { id: 'retrain' },
  { id: 'finetune', rounds: 1 },
  { id: 'fedmemeraser', rho: 0.3, rounds: 1 },
  { id: 'halimi', rounds: 1, epochs: 1 },
  { id: 'liu', rounds: 1 },
  { id: 'fedrecovery' },
  { id: 'fedau' },
  { id: 'fedosd', unlearningRounds: 1, rounds: 1 },
  { id: 'not', rounds: 1 },
  { id: 'federaser' },
];

/** An EMNIST-balanced-shaped IDX folder: 28x28 images, labels over 47 classes (every class in both splits). */
function emnistFolder(train: number, testN: number): string {
  const dir = path.join(tmp, 'emnist');
  const pixels = (seed: number) => (i: number, r: number, c: number) => (i * 37 + r * 13 + c * 7 + seed * 11) % 256;
  const labels = (n: number) => Array.from({ length: n }, (_, i) => i % 47);
  write(dir, 'emnist-balanced-train-images-idx3-ubyte', imagesBytes(train, 28, 28, pixels(1)));
  write(dir, 'emnist-balanced-train-labels-idx1-ubyte', labelsBytes(labels(train)));
  write(dir, 'emnist-balanced-test-images-idx3-ubyte', imagesBytes(testN, 28, 28, pixels(2)));
  write(dir, 'emnist-balanced-test-labels-idx1-ubyte', labelsBytes(labels(testN)));
  return dir;
}

function runAll(name: string, dataset: object, model: string): void {
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      name,
      seed: 3,
      dataset,
      partition: { clients: 3 },
      model: { id: model },
      training: { rounds: 2, batchSize: 8, lr: 1e-3 },
      compute: { backend: 'wasm', workers: 2 },
      unlearning: { request: { kind: 'clients', clients: [0] }, methods: METHODS },
      evaluation: { retrainModels: 1, lossSurface: false },
    }),
  );
  const r = spawnSync(
    process.execPath,
    [bin, 'run', '--config', file, '--data-dir', path.join(tmp, 'data'), '--json'],
    {
      encoding: 'utf8',
      timeout: 900_000,
    },
  );
  assert.equal(r.status, 0, `${name}: ${r.stderr.slice(-2000)}`);
  const events = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(events.find((e) => e.type === 'finished')?.status, 'done');
  const show = spawnSync(
    process.execPath,
    [bin, 'show', String(events.at(-1)?.runId), '--data-dir', path.join(tmp, 'data'), '--json'],
    { encoding: 'utf8' },
  );
  assert.equal(show.status, 0, show.stderr);
  const rounds = events.filter((e) => e.type === 'round');
  assert.ok(rounds.length > METHODS.length, `${name}: ${rounds.length} rounds reported`);
  for (const e of rounds) assert.ok(Number.isFinite(e.testAccuracy), `${name}: ${JSON.stringify(e)}`);
  const stages = new Set(rounds.map((e) => String(e.stage)));
  for (const m of METHODS.filter((x) => x.id !== 'retrain' && x.id !== 'fedrecovery' && x.id !== 'federaser'))
    assert.ok(
      [...stages].some((s) => s.includes(m.id)),
      `${name}: no rounds from ${m.id} (stages: ${[...stages].join(', ')})`,
    );
}

test('every method runs on ResNet-18 from CIFAR-10 binary files', { timeout: 900_000 }, () => {
  const dir = path.join(tmp, 'cifar10');
  writeCifar10(dir, 6, 10);
  runAll('resnet18-cifar10', { id: 'cifar10', path: dir }, 'resnet18');
});

test('every method runs on VGG-9 from an EMNIST-shaped IDX folder', { timeout: 900_000 }, () => {
  runAll('vgg9-emnist', { id: 'idx', path: emnistFolder(60, 47) }, 'vgg9');
});
