/**
 * FedAU through the real engine process: listing it trains its auxiliary head with the original model
 * without changing that model (the stored original and the fine-tuned model equal a run without FedAU,
 * bit for bit); its row is in the report; its model keeps the original backbone; it records one round.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import type { UnlearningReport } from '../../../src/shared/results';
import { runPlannedRounds } from '../../../src/shared/method-rounds';
import { buildModel } from '../../../src/main/engine/models/registry';
import { startRun } from '../../../src/main/runs/record-run';
import { loadWeightsArtifact, openDatabase, type Store } from '../../../src/main/store';

const configWith = (methods: object[]) =>
  parseConfig({
    seed: 5,
    dataset: { id: 'mnist', trainSize: 300, testSize: 100 },
    partition: { clients: 3 },
    training: { rounds: 2, batchSize: 32, lr: 1e-3 },
    unlearning: { request: { kind: 'clients', clients: [0] }, methods },
    evaluation: { retrainModels: 1, lossSurface: false },
  });
const withFedau = configWith([{ id: 'finetune', rounds: 1 }, { id: 'fedau' }]);
const without = configWith([{ id: 'finetune', rounds: 1 }]);

let store: Store;
const ids: Record<'with' | 'without', string> = { with: '', without: '' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-fedau-'));
const weights = (run: string, name: string) => loadWeightsArtifact(store, run, name).map((t) => t.data);
const same = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

before(async () => {
  store = openDatabase(dir);
  for (const [key, config] of [
    ['with', withFedau],
    ['without', without],
  ] as const) {
    const run = await startRun(store, config).finished;
    assert.equal(run.status, 'done', run.error ?? '');
    ids[key] = run.id;
  }
});
after(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the original model (and what fine-tuning makes of it) is bit-identical with and without FedAU', () => {
  for (const stage of ['original', 'unlearn:finetune']) {
    const a = weights(ids.with, stage);
    const b = weights(ids.without, stage);
    assert.equal(a.length, b.length);
    a.forEach((t, i) => assert.ok(same(t, b[i]), `${stage}: tensor ${i} differs`));
  }
});

test('FedAU has its row; its model is the original backbone with a new last layer', () => {
  const report = store.artifacts.get(ids.with, 'report', 'report')!.json as UnlearningReport;
  assert.deepEqual(
    report.rows.map((r) => r.label),
    ['Original', 'Fine-tune', 'FedAU', 'Retrained baseline'],
  );
  const row = report.rows.find((r) => r.label === 'FedAU')!;
  assert.ok(row.testAccuracy.values.every((v) => v !== null && v >= 0 && v <= 1));
  const original = weights(ids.with, 'original');
  const unlearned = weights(ids.with, 'unlearn:fedau');
  const { head } = buildModel('cnn', [28, 28, 1], 10);
  original.forEach((t, i) => {
    const moved = !same(t, unlearned[i]);
    assert.equal(moved, i === head.weight || i === head.bias, `tensor ${i}: moved = ${moved}`);
  });
});

test('FedAU records one round, and the run recorded exactly the rounds it planned', () => {
  const rounds = store.metrics.roundsFor(ids.with);
  const fedau = rounds.filter((r) => r.stage === 'unlearn:fedau');
  assert.equal(fedau.length, 1);
  assert.ok(fedau[0].elapsedMs !== null && fedau[0].elapsedMs >= 0 && fedau[0].testAccuracy !== null);
  assert.equal(rounds.length, runPlannedRounds(withFedau));
});
