/**
 * FedRecovery and FedEraser through the real engine on tiny MNIST: the original training's history is
 * written beside the run's weights before the methods run, its size equals the wizard's estimate,
 * both methods have report rows and time curves, deleting the run deletes the history, and a run
 * whose engine was given nowhere to record fails with the one sentence naming the setting.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import type { TimeArtifact, UnlearningReport } from '../../../src/shared/results';
import { forkEngine } from '../../../src/main/engine-host/fork-engine';
import { estimateRun } from '../../../src/main/runs/estimate';
import { startRun } from '../../../src/main/runs/record-run';
import { openDatabase, type Store } from '../../../src/main/store';
import { historyDirFor } from '../../../src/main/store/paths';

const config = parseConfig({
  seed: 5,
  dataset: { id: 'mnist', trainSize: 240, testSize: 100 },
  partition: { clients: 3 },
  training: { rounds: 2, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [
      { id: 'fedrecovery', sigma: 0 },
      { id: 'federaser', interval: 1 },
    ],
  },
  evaluation: { retrainModels: 1, csl: false, lossSurface: false },
});

let store: Store;
let runId: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-history-'));
const seenDuringUnlearning: string[][] = [];
const filesUnder = (d: string): string[] =>
  fs.existsSync(d)
    ? (fs.readdirSync(d, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(d, f)).isFile()).sort()
    : [];

before(async () => {
  store = openDatabase(dir);
  const handle = startRun(store, config, {
    onEvent: (id, e) => {
      if (e.type === 'phase' && e.phase === 'unlearning') seenDuringUnlearning.push(filesUnder(historyDirFor(dir, id)));
    },
  });
  const run = await handle.finished;
  assert.equal(run.status, 'done', run.error ?? '');
  runId = run.id;
});
after(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("the history holds each round's global model and every client's update, written before unlearning", () => {
  const expected = [
    'rep0/r1-c0.fmw',
    'rep0/r1-c1.fmw',
    'rep0/r1-c2.fmw',
    'rep0/r1-global.fmw',
    'rep0/r2-c0.fmw',
    'rep0/r2-c1.fmw',
    'rep0/r2-c2.fmw',
    'rep0/r2-global.fmw',
  ];
  assert.deepEqual(
    filesUnder(historyDirFor(dir, runId)).map((f) => f.split(path.sep).join('/')),
    expected,
  );
  assert.equal(seenDuringUnlearning.length, 2, 'one unlearning phase per method');
  for (const seen of seenDuringUnlearning) assert.equal(seen.length, expected.length);
});

test("the estimate's history size equals the bytes written", () => {
  const hist = historyDirFor(dir, runId);
  const written = filesUnder(hist).reduce((n, f) => n + fs.statSync(path.join(hist, f)).size, 0);
  assert.ok(written > 0);
  assert.equal(estimateRun(config).historyBytes, written);
});

test('both methods have report rows and time curves with their planned records', () => {
  const report = store.artifacts.get(runId, 'report', 'report')!.json as UnlearningReport;
  assert.deepEqual(
    report.rows.map((r) => r.label),
    ['Original', 'FedRecovery', 'FedEraser', 'Retrained baseline'],
  );
  for (const r of report.rows) assert.ok(Number.isFinite(r.testAccuracy.mean), r.label);
  const time = store.artifacts.get(runId, 'time', 'time')!.json as TimeArtifact;
  const points = (stage: string) => time.curves.find((c) => c.stage === stage)?.points.length;
  assert.equal(points('unlearn:fedrecovery'), 1, 'FedRecovery: one record after the correction');
  assert.equal(points('unlearn:federaser'), 2, 'FedEraser: one record per recorded round (interval 1, 2 rounds)');
  // With sigma 0 and a leaving client, FedRecovery moves the model: its weights differ from the original's.
  const original = store.artifacts.get(runId, 'weights', 'original');
  const recovered = store.artifacts.get(runId, 'weights', 'unlearn:fedrecovery');
  assert.ok(original && recovered);
  assert.notEqual(original.sha256, recovered.sha256);
});

test('deleting the run deletes its history', () => {
  const hist = historyDirFor(dir, runId);
  assert.ok(fs.existsSync(hist));
  assert.equal(store.runs.delete(runId), true);
  assert.equal(fs.existsSync(hist), false);
});

test('with no history recorded, FedRecovery fails with one sentence naming training.recordHistory', async () => {
  const small = parseConfig({ ...config, unlearning: { ...config.unlearning, methods: [{ id: 'fedrecovery' }] } });
  // An engine started without a history folder records nothing, as if the files were gone.
  const run = await startRun(store, small, { startEngine: (c) => forkEngine(c, {}) }).finished;
  assert.equal(run.status, 'failed');
  assert.match(
    run.error ?? '',
    /^FedRecovery needs the original training's per-round history, which this run did not record: set training\.recordHistory to true/,
  );
  assert.equal((run.error ?? '').split('. ').length, 1, 'one sentence');
});
