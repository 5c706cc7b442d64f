/**
 * The embeddings analysis (Figure 1) through the real engine on small real MNIST: the artifact has one
 * panel per model (original, retrained 0), a 2-D point per drawn example, only the chosen class, at
 * most maxPerClient per client, and an overlap in [0, 1]; the export table has one row per point.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import type { EmbeddingsArtifact } from '../../../src/shared/analysis-results';
import { buildTable } from '../../../src/main/export/run-tables';
import { useStoredRun } from '../support/stored-run';

const config = parseConfig({
  seed: 5,
  dataset: { id: 'mnist', trainSize: 400, testSize: 200 },
  partition: { clients: 3 },
  training: { rounds: 2, batchSize: 32, lr: 2e-3 },
  unlearning: { request: { kind: 'clients', clients: [1] }, methods: [{ id: 'retrain' }] },
  evaluation: {
    retrainModels: 1,
    lossSurface: false,
    csl: false,
    analyses: [{ id: 'embeddings', class: 3, maxPerClient: 10, k: 5 }],
  },
  repeats: 1,
});

const run = useStoredRun(config);

test('embeddings: original and retrained panels, 2-D points of class 3, at most 10 per client, overlap in [0, 1]', () => {
  const e = run.store.artifacts.get(run.runId, 'analysis-embeddings', 'analysis-embeddings')!
    .json as EmbeddingsArtifact;
  assert.equal(e.class, 3);
  assert.equal(e.k, 5);
  assert.equal(e.dimension, 64, "the CNN's last dense layer takes 64 features");
  assert.deepEqual(e.unlearningClients, [1]);
  assert.deepEqual(
    e.panels.map((p) => p.model.role),
    ['original', 'retrained'],
  );
  assert.equal(e.ids.length, e.clients.length);
  for (const c of [0, 1, 2]) {
    const n = e.clients.filter((x) => x === c).length;
    assert.ok(n > 0 && n <= 10, `client ${c}: ${n} points`);
  }
  assert.equal(new Set(e.ids).size, e.ids.length, 'no example twice');
  for (const p of e.panels) {
    assert.equal(p.points.length, e.ids.length);
    p.points.forEach((pt) => assert.ok(pt.length === 2 && pt.every(Number.isFinite)));
    assert.ok(p.overlap >= 0 && p.overlap <= 1, `overlap ${p.overlap}`);
    assert.ok(p.overlapChance > 0 && p.overlapChance < 1, `chance ${p.overlapChance}`);
    assert.ok(p.explained[0] >= p.explained[1] && p.explained[0] + p.explained[1] <= 1 + 1e-9);
    // PCA points are centred.
    const mx = p.points.reduce((s, q) => s + q[0], 0) / p.points.length;
    assert.ok(Math.abs(mx) < 1e-3 * (1 + Math.max(...p.points.map((q) => Math.abs(q[0])))), `mean x ${mx}`);
  }
  assert.notDeepEqual(e.panels[0].points, e.panels[1].points, 'two different models give two pictures');
  const t = buildTable(run.store, run.runId, 'embeddings');
  assert.equal(t.rows.length, 2 * e.ids.length);
  assert.equal(t.rows.filter((r) => r.unlearning === 1).length, 2 * e.clients.filter((c) => c === 1).length);
});
