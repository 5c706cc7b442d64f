/**
 * FedOSD through the real engine process on a tiny client request: both signals run, the report has
 * their rows, every unlearning and post-training round is recorded on one clock, and the applied
 * unlearning steps were orthogonal to the remaining clients' gradients at the model they were taken at.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import type { UnlearningReport } from '../../../src/shared/results';
import { useStoredRun } from '../support/stored-run';

const config = parseConfig({
  seed: 5,
  dataset: { id: 'mnist', trainSize: 300, testSize: 100 },
  partition: { clients: 3 },
  training: { rounds: 2, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [
      { id: 'fedosd', unlearningRounds: 2, rounds: 1 },
      { id: 'fedosd', unlearningRounds: 2, rounds: 1, signal: 'gradient', label: 'FedOSD exact' },
    ],
  },
  evaluation: { retrainModels: 1, csl: false, lossSurface: false },
});

const run = useStoredRun(config);

test('the report has a row per FedOSD entry, with finite numbers', () => {
  const report = run.store.artifacts.get(run.runId, 'report', 'report')!.json as UnlearningReport;
  assert.deepEqual(
    report.rows.map((r) => r.label),
    ['Original', 'FedOSD', 'FedOSD exact', 'Retrained baseline'],
  );
  assert.deepEqual(report.remainingClients, [1, 2]);
  for (const r of report.rows) assert.ok(r.testAccuracy.values.every(Number.isFinite), r.label);
});

test('unlearning and post-training rounds are numbered on, on one clock', () => {
  const rounds = run.store.metrics.roundsFor(run.runId);
  for (const stage of ['unlearn:fedosd', 'unlearn:FedOSD exact']) {
    const mine = rounds.filter((r) => r.stage === stage);
    assert.deepEqual(
      mine.map((r) => r.round),
      [1, 2, 3],
      `${stage}: 2 unlearning rounds then 1 post-training round`,
    );
    const elapsed = mine.map((r) => r.elapsedMs!);
    assert.ok(
      elapsed.every((e, i) => e > 0 && (i === 0 || e >= elapsed[i - 1])),
      `${stage}: ${elapsed}`,
    );
  }
  const pseudo = rounds.filter((r) => r.stage === 'unlearn:fedosd');
  assert.ok(
    pseudo.every((r) => Number.isFinite(r.trainLoss)),
    'the remaining clients trained, so their losses are recorded',
  );
});

test("each applied unlearning step was orthogonal to every remaining client's gradient", () => {
  for (const stage of ['unlearn:fedosd', 'unlearn:FedOSD exact']) {
    const trace = run.store.artifacts.json(run.runId, 'method-trace', stage);
    assert.ok(trace && trace.method === 'fedosd', `no FedOSD trace for ${stage}`);
    assert.equal(trace.unlearningRounds, 2);
    // The step is written to float32 weights; its cosine with each remaining gradient stays at rounding level,
    // while the unprojected target gradient did conflict.
    assert.ok(trace.maxAbsCosineApplied < 1e-5, `${stage}: applied |cos| ${trace.maxAbsCosineApplied}`);
    assert.ok(
      trace.maxAbsCosineUnprojected > 100 * trace.maxAbsCosineApplied,
      `${stage}: unprojected |cos| ${trace.maxAbsCosineUnprojected}`,
    );
  }
});
