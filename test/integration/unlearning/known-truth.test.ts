/**
 * Does GME measure memorization, and does FedMemEraser remove it? Label noise is injected only into
 * the client that leaves, so the examples that must be forgotten are known. Every evaluation and
 * method setting is the default (probability scores, Algorithm 1's gradient locate). Expected
 * (Sections 5-6): the flipped examples land in the top memorization groups far above their base rate;
 * on those groups the unlearned models move away from the original model toward retraining; on the
 * shared (0,80] group every model agrees. Runs the real engine process on real MNIST, two repeats.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import { noiseConcentration } from '../../../src/shared/gme-notes';
import type { ExamplesArtifact, ReportRow, UnlearningReport } from '../../../src/shared/results';
import { startRun } from '../../../src/main/runs/record-run';
import { openDatabase, type Store } from '../../../src/main/store';

const config = parseConfig({
  seed: 5,
  dataset: { id: 'mnist', trainSize: 600, testSize: 500, labelNoise: { clients: [0], rate: 0.15 } },
  partition: { clients: 3 },
  training: { rounds: 6, localEpochs: 10, batchSize: 32, lr: 0.002 },
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [
      { id: 'finetune', rounds: 2 },
      { id: 'fedmemeraser', rho: 0.5, rounds: 2 },
    ],
  },
  evaluation: { lossSurface: false },
  // Two repeats: the comparison is of means over seeds, not of one seed's luck.
  repeats: 2,
});

let store: Store;
let report: UnlearningReport;
let examples: ExamplesArtifact;
let noise: { examples: number[]; originalLabels: number[]; noisyLabels: number[] };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-truth-'));

before(async () => {
  store = openDatabase(dir);
  const run = await startRun(store, config).finished;
  assert.equal(run.status, 'done', run.error ?? '');
  report = store.artifacts.get(run.id, 'report', 'report')!.json as UnlearningReport;
  examples = store.artifacts.get(run.id, 'examples', 'examples')!.json as ExamplesArtifact;
  noise = store.artifacts.get(run.id, 'label-noise', 'label-noise')!.json as typeof noise;
});
after(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const row = (key: string) => report.rows.find((r) => r.key === key)!;
/** Mean accuracy over the top-20% groups ((80,100]), weighting groups by size. */
function topAccuracy(r: ReportRow): number {
  let correct = 0;
  let count = 0;
  report.groups.forEach((g, p) => {
    if (g.lo >= 80 && r.groupAccuracy[p].mean !== null) {
      correct += r.groupAccuracy[p].mean * g.counts[0];
      count += g.counts[0];
    }
  });
  return correct / count;
}

test('noisy examples concentrate in the top memorization groups, far above their base rate', () => {
  const n = examples.ids.length;
  const noisy = examples.noisy.reduce((a, b) => a + b, 0);
  assert.equal(noisy, Math.round(0.15 * n), 'exactly the requested share of client 0 is noisy');
  // The run records the flips themselves: the same examples, each moved to a different class.
  assert.deepEqual(
    noise.examples,
    examples.ids.filter((_, i) => examples.noisy[i] === 1),
  );
  assert.ok(noise.noisyLabels.every((l, i) => l !== noise.originalLabels[i]));
  assert.deepEqual(
    noise.noisyLabels,
    noise.examples.map((id) => examples.labels[examples.ids.indexOf(id)]),
  );
  // Repeat 1, from the per-example table: rank by score (ties by id), take the top 20% directly.
  const order = examples.score
    .map((sc, i) => ({ sc, i }))
    .sort((a, b) => b.sc - a.sc || examples.ids[a.i] - examples.ids[b.i]);
  const top = order.slice(0, Math.round(0.2 * n));
  const topRate = top.reduce((a, e) => a + examples.noisy[e.i], 0) / top.length;
  const baseRate = noisy / n;
  // The report's per-group counts agree with that ranking, and give the second repeat too.
  const concentration = noiseConcentration(report)!;
  assert.ok(
    Math.abs(concentration[0] - topRate / baseRate) < 1e-9,
    `report ${concentration[0]} vs examples ${topRate / baseRate}`,
  );
  const pooled = concentration.reduce((a, b) => a + b, 0) / concentration.length;
  assert.ok(pooled >= 2, `flipped share of the top 20% over its base rate, per repeat: ${concentration.join(', ')}`);
});

test('on the top groups the original model knows what retraining does not, and FedMemEraser moves toward retraining', () => {
  const orig = topAccuracy(row('original'));
  const ft = topAccuracy(row('unlearn:finetune'));
  const eraser = topAccuracy(row('unlearn:fedmemeraser'));
  const retrained = topAccuracy(row('retrained'));
  const msg = `top-20% accuracy: original ${orig}, finetune ${ft}, fedmemeraser ${eraser}, retrained ${retrained}`;
  console.log(msg);
  assert.ok(orig - retrained > 0.3, `the original model memorized what retraining does not know; ${msg}`);
  assert.ok(orig - eraser > 0.1, `FedMemEraser forgot part of it; ${msg}`);
});

test('shared knowledge stays: on (0,80] and on the test set every model is close to the retrained ones', () => {
  const shared = report.groups.findIndex((g) => g.lo === 0);
  const retrainedShared = row('retrained').groupAccuracy[shared].mean!;
  for (const r of report.rows)
    assert.ok(Math.abs(r.groupAccuracy[shared].mean! - retrainedShared) < 0.05, `${r.label} on (0,80]`);
  assert.ok(Math.abs(row('unlearn:fedmemeraser').testAccuracy.mean! - row('retrained').testAccuracy.mean!) < 0.03);
});
