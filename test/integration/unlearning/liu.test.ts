/**
 * Liu et al. through the real engine on a tiny MNIST client request, two defining properties: it starts from a
 * fresh initialisation (with a step too small to move it, its model is as bad as an untrained one while the
 * original is far better), and only the remaining clients train (every client round of its stage is theirs, and
 * every remaining client trains in every round).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import type { UnlearningReport } from '../../../src/shared/results';
import { useStoredRun } from '../support/stored-run';

const config = parseConfig({
  seed: 4,
  dataset: { id: 'mnist', trainSize: 400, testSize: 300 },
  partition: { clients: 4 },
  training: { rounds: 3, batchSize: 32, lr: 2e-3, localEpochs: 2 },
  unlearning: {
    request: { kind: 'clients', clients: [1] },
    methods: [
      { id: 'liu', rounds: 2 },
      // A step of 1e-12 leaves the fresh initialisation where it was (the Fisher step is at most lr / (2 √damping)).
      { id: 'liu', label: 'frozen', rounds: 1, lr: 1e-12 },
    ],
  },
  evaluation: { retrainModels: 1, lossSurface: false, csl: false },
});

const run = useStoredRun(config);

test('only the remaining clients train, every one of them in every round', () => {
  for (const [stage, rounds] of [
    ['unlearn:liu', 2],
    ['unlearn:frozen', 1],
  ] as const) {
    const clients = run.store.metrics.clientRoundsFor(run.runId, stage);
    assert.equal(clients.length, 3 * rounds, `${stage}: ${JSON.stringify(clients.map((c) => [c.round, c.client]))}`);
    for (let r = 1; r <= rounds; r++) {
      assert.deepEqual(
        clients.filter((c) => c.round === r).map((c) => c.client),
        [0, 2, 3],
        `${stage} round ${r}`,
      );
    }
  }
});

test('it starts fresh: frozen at its initialisation it is near chance, far below the original it replaces', () => {
  const report = run.store.artifacts.get(run.runId, 'report', 'report')!.json as UnlearningReport;
  const test = (label: string) => report.rows.find((r) => r.label === label)!.testAccuracy.mean!;
  const [original, frozen, liu] = [test('Original'), test('frozen'), test('Liu et al.')];
  assert.ok(original > 0.6, `the original learned (${original})`);
  // Ten classes: an untrained network sits near 10%; 30% would mean it started from a trained model.
  assert.ok(frozen < 0.3, `frozen Liu is at its fresh initialisation (${frozen})`);
  assert.ok(liu > frozen + 0.1, `two real rounds learn from there (${liu} vs ${frozen})`);
});
