/**
 * The three analyses through the real engine process on small real MNIST: each artifact has its shape
 * in every repeat, and known truths hold: a model's distance to itself is 0 (L2 and KL, cosine 1);
 * the stability artifact equals the retrained models' probabilities the report scored with, sorted by
 * their mean; resetting 0% of the parameters gives the original model's accuracies and 100% gives a
 * model at chance. The tables built from them (export) have one row per model pair, example and row.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import type { DistancesArtifact, ResetArtifact, StabilityArtifact } from '../../../src/shared/analysis-results';
import type { ExamplesArtifact } from '../../../src/shared/results';
import { buildTable } from '../../../src/main/export/run-tables';
import { useStoredRun } from '../support/stored-run';

const config = parseConfig({
  seed: 11,
  dataset: { id: 'mnist', trainSize: 400, testSize: 200 },
  partition: { clients: 3 },
  training: { rounds: 3, batchSize: 32, lr: 2e-3 },
  unlearning: { request: { kind: 'clients', clients: [0] }, methods: [{ id: 'finetune', rounds: 1 }] },
  evaluation: {
    retrainModels: 2,
    lossSurface: false,
    csl: false,
    analyses: [
      { id: 'distances', maxExamples: 50 },
      { id: 'stability' },
      { id: 'reset', ratios: [0, 0.05, 1], maxRemaining: 100 },
    ],
  },
  repeats: 2,
});

const run = useStoredRun(config);
const json = <T>(kind: string, name = kind) => run.store.artifacts.get(run.runId, kind, name)!.json as T;

test('distances: every pair among original, 2 retrained and the method; a model is at distance 0 from itself', () => {
  for (const name of ['analysis-distances', 'analysis-distances@1']) {
    const d = json<DistancesArtifact>('analysis-distances', name);
    assert.deepEqual(
      d.models.map((m) => m.role),
      ['original', 'retrained', 'retrained', 'method'],
    );
    assert.equal(d.klOn, 'unlearn');
    assert.equal(d.klExamples, 50);
    for (const m of [d.l2, d.cosine, d.kl]) {
      assert.equal(m.length, 4);
      m.forEach((row) => assert.equal(row.length, 4));
    }
    d.models.forEach((_, i) => {
      assert.equal(d.l2[i][i], 0);
      assert.equal(d.kl[i][i], 0);
      assert.ok(Math.abs(d.cosine[i][i] - 1) < 1e-9);
      d.models.forEach((_, j) => {
        assert.ok(Math.abs(d.l2[i][j] - d.l2[j][i]) < 1e-9, 'L2 is symmetric');
        if (i !== j) assert.ok(d.l2[i][j] > 0 && d.kl[i][j] > 0, 'different models are apart');
      });
    });
  }
});

test("stability: the retrained models' probabilities of D_u, sorted by their mean, with the unstable share", () => {
  const s = json<StabilityArtifact>('analysis-stability');
  const ex = json<ExamplesArtifact>('examples');
  assert.equal(s.probabilities.length, 2);
  assert.equal(s.ids.length, ex.ids.length);
  assert.deepEqual(
    [...s.ids].sort((a, b) => a - b),
    [...ex.ids].sort((a, b) => a - b),
  );
  for (let i = 1; i < s.mean.length; i++) assert.ok(s.mean[i] >= s.mean[i - 1]);
  s.ids.forEach((_, i) => {
    const v = s.probabilities.map((p) => p[i]);
    assert.ok(Math.abs(s.mean[i] - (v[0] + v[1]) / 2) < 1e-6);
    assert.ok(Math.abs(s.spread[i] - Math.abs(v[0] - v[1])) < 1e-6);
    // The retrained models' correctness the report used agrees with these probabilities: p > .5 means correct.
    const pos = ex.ids.indexOf(s.ids[i]);
    v.forEach((p, j) => p > 0.5 && assert.equal(ex.correct[`retrain:${j}`][pos], 1));
  });
  assert.equal(s.unstable, s.spread.filter((x) => x > 0.5).length);
});

test('reset: ratio 0 equals the original model, ratio 1 is at chance, one row per strategy and ratio', () => {
  for (const name of ['analysis-reset', 'analysis-reset@1']) {
    const r = json<ResetArtifact>('analysis-reset', name);
    assert.equal(r.outcomes.length, 6);
    assert.equal(r.remainingSample, 100);
    assert.equal(r.groups.length, 5);
    assert.ok(r.original.test > 0.6, `the original model learned (test ${r.original.test})`);
    for (const o of r.outcomes) {
      assert.equal(o.groupAccuracy.length, 5);
      if (o.ratio === 0) {
        assert.equal(o.resetScalars, 0);
        assert.deepEqual(
          { ...o, strategy: undefined, ratio: undefined, resetScalars: undefined },
          { ...r.original, strategy: undefined, ratio: undefined, resetScalars: undefined },
        );
      }
      if (o.ratio === 1) {
        assert.equal(o.resetScalars, r.totalScalars);
        // A freshly initialised CNN sits near 10% on ten classes; one that favours a few classes reaches
        // 20-30% on 200 test images, so "chance" here is a loose bound, far under the trained model.
        assert.ok(
          o.test < 0.35 && o.unlearn < 0.35,
          `${o.strategy} at 100% is near chance (test ${o.test}, D_u ${o.unlearn})`,
        );
        assert.ok(o.test < r.original.test / 2);
      }
      if (o.ratio === 0.05) assert.equal(o.resetScalars, Math.floor(0.05 * r.totalScalars));
    }
    // Everything reset: both strategies give the same fresh model (the same draw of new values).
    const [a, b] = r.outcomes.filter((o) => o.ratio === 1);
    assert.deepEqual({ ...a, strategy: '' }, { ...b, strategy: '' });
  }
});

test('each analysis exports as a table', () => {
  const d = buildTable(run.store, run.runId, 'distances');
  assert.equal(d.rows.length, 2 * 16, 'every ordered pair in each repeat');
  const s = buildTable(run.store, run.runId, 'stability');
  assert.equal(s.rows.length, 2 * json<StabilityArtifact>('analysis-stability').ids.length);
  const h8 = buildTable(run.store, run.runId, 'reset');
  assert.ok(h8.rows.length > 0);
});
