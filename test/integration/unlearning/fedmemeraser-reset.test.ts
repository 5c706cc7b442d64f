/**
 * What FedMemEraser records about its reset, through the real engine process on small real MNIST:
 * the per-layer counts add up, the model is assessed right after the reset and again after
 * fine-tuning (the latter equal to Table 1's numbers), and a reset of every scalar leaves a model
 * at chance that fine-tuning brings back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import type { ImportanceArtifact, SetAccuracy, UnlearningReport } from '../../../src/shared/results';
import { stageId } from '../../../src/shared/stages';
import { useStoredRun } from '../support/stored-run';

const REPEATS = 2;
const config = parseConfig({
  seed: 7,
  dataset: { id: 'mnist', trainSize: 400, testSize: 200 },
  partition: { clients: 3 },
  training: { rounds: 2, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [
      { id: 'fedmemeraser', rho: 0.3, rounds: 1, label: 'eraser' },
      { id: 'fedmemeraser', rho: 0.3, rounds: 0, label: 'reset-only' },
      { id: 'fedmemeraser', rho: 1, rounds: 3, label: 'everything' },
      { id: 'fedmemeraser', rho: 'auto', rounds: 1, locate: 'first-round-update', label: 'authors' },
    ],
  },
  evaluation: { retrainModels: 1, lossSurface: false },
  repeats: REPEATS,
});

const run = useStoredRun(config);
const LABELS = ['eraser', 'reset-only', 'everything', 'authors'];
const imp = (label: string, repeat: number) =>
  run.store.artifacts.get(run.runId, 'importance', stageId({ role: 'unlearn', label, repeat }))!
    .json as ImportanceArtifact;
const inUnit = (a: SetAccuracy) => [a.remaining!, a.unlearn, a.test].every((v) => v >= 0 && v <= 1);

test('every entry and repeat records its layers, and their reset counts add up to the total', () => {
  for (const label of LABELS) {
    for (let r = 0; r < REPEATS; r++) {
      const a = imp(label, r);
      assert.ok(a.layers && a.layers.length > 0, `${label}@${r}: layers recorded`);
      assert.equal(
        a.layers.reduce((s, l) => s + l.reset, 0),
        a.resetScalars,
        `${label}@${r}: reset counts`,
      );
      assert.equal(
        a.layers.reduce((s, l) => s + l.scalars, 0),
        a.totalScalars,
        `${label}@${r}: sizes`,
      );
      for (const l of a.layers)
        assert.ok(
          l.reset >= 0 && l.reset <= l.scalars && l.scalars === l.shape.reduce((x, y) => x * y, 1),
          `${label} ${l.name}`,
        );
    }
  }
  const all = imp('everything', 0);
  assert.ok(
    all.layers!.every((l) => l.reset === l.scalars),
    'rho 1 resets every scalar of every layer',
  );
});

test('how rho was set is recorded', () => {
  assert.equal(imp('eraser', 0).rhoRule, 'fixed');
  const auto = imp('authors', 0);
  assert.equal(auto.rhoRule, auto.recommendedRho === null ? 'auto-fallback' : 'auto');
  assert.equal(auto.locate, 'first-round-update');
});

test('accuracy right after the reset and after fine-tuning is recorded, after fine-tuning equal to Table 1', () => {
  const report = run.store.artifacts.get(run.runId, 'report', 'report')!.json as UnlearningReport;
  const dr = report.remainingClients.length;
  assert.ok(dr > 0);
  for (const label of LABELS) {
    const row = report.rows.find((x) => x.key === stageId({ role: 'unlearn', label, repeat: 0 }))!;
    for (let r = 0; r < REPEATS; r++) {
      const a = imp(label, r);
      assert.ok(a.afterReset && inUnit(a.afterReset), `${label}@${r}: after reset ${JSON.stringify(a.afterReset)}`);
      assert.ok(a.afterFineTune && inUnit(a.afterFineTune), `${label}@${r}: after fine-tuning`);
      // The same model Table 1 assesses, so the same numbers, repeat by repeat.
      assert.equal(a.afterFineTune.unlearn, row.unlearnAccuracy.values[r], `${label}@${r}: D_u`);
      assert.equal(a.afterFineTune.test, row.testAccuracy.values[r], `${label}@${r}: test`);
      // D_r is measured whole: every training example outside D_u (a client request removes whole clients).
      assert.equal(a.afterReset.remainingExamples, config.dataset.trainSize! - report.request.examples);
      assert.equal(a.fineTuneRounds, label === 'reset-only' ? 0 : label === 'everything' ? 3 : 1);
    }
  }
  // Without fine-tuning, the model after the reset is the unlearned model: both records must agree exactly.
  for (let r = 0; r < REPEATS; r++)
    assert.deepEqual(imp('reset-only', r).afterReset, imp('reset-only', r).afterFineTune);
});

test('resetting every scalar leaves a model at chance on the test set; fine-tuning brings it back above', () => {
  for (let r = 0; r < REPEATS; r++) {
    const a = imp('everything', r);
    // Ten classes: a freshly initialised model sits near 10%.
    assert.ok(a.afterReset!.test < 0.25, `repeat ${r}: test accuracy right after a full reset ${a.afterReset!.test}`);
    assert.ok(
      a.afterReset!.remaining! < 0.25,
      `repeat ${r}: D_r accuracy right after a full reset ${a.afterReset!.remaining}`,
    );
    assert.ok(
      a.afterFineTune!.test > 0.3,
      `repeat ${r}: test accuracy after 3 rounds of fine-tuning ${a.afterFineTune!.test}`,
    );
    assert.ok(a.afterFineTune!.test > a.afterReset!.test + 0.1);
  }
});
