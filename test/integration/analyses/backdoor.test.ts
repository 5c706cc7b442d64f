/**
 * The backdoor of Appendix G.3 through the real engine process on small real MNIST (known truth):
 * half of client 0's examples carry a 3-pixel white square and the label 0. After the original
 * training the attack succeeds on most triggered test images of other classes; a model retrained
 * without client 0 never learned it; fine-tuning on the remaining clients brings it down (the G.3
 * finding). The curves, the model ends, Table 1's column and the export agree with each other.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import type { BackdoorArtifact } from '../../../src/shared/analysis-results';
import type { BackdoorDataArtifact, PartitionArtifact, UnlearningReport } from '../../../src/shared/results';
import { buildTable1 } from '../../../src/shared/table1-model';
import { buildTable } from '../../../src/main/export/run-tables';
import { useStoredRun } from '../support/stored-run';

const FINETUNE_ROUNDS = 4;
const config = parseConfig({
  seed: 3,
  dataset: {
    id: 'mnist',
    trainSize: 900,
    testSize: 300,
    backdoor: { share: 0.5, target: 0, pattern: { size: 3, position: 'bottom-right' } },
  },
  partition: { clients: 3 },
  training: { rounds: 5, localEpochs: 2, batchSize: 32, lr: 2e-3 },
  unlearning: { request: { kind: 'clients', clients: [0] }, methods: [{ id: 'finetune', rounds: FINETUNE_ROUNDS }] },
  evaluation: { retrainModels: 1, lossSurface: false, csl: false, analyses: [{ id: 'backdoor' }] },
});

const run = useStoredRun(config);
const json = <T>(kind: string, name = kind) => run.store.artifacts.get(run.runId, kind, name)!.json as T;

test('the trigger sits on half of client 0, relabelled to the target', () => {
  const b = json<BackdoorDataArtifact>('backdoor');
  const sizes = json<PartitionArtifact>('partition').sizes;
  assert.deepEqual(b.clients, [0], 'the unlearning client, by default');
  assert.equal(b.examples.length, Math.round(0.5 * sizes[0]));
  assert.equal(b.originalLabels.length, b.examples.length);
});

test('the attack succeeds after the original training, not on the retrained model, and fine-tuning brings it down', () => {
  const a = json<BackdoorArtifact>('analysis-backdoor');
  const at = (role: string) => a.models.find((m) => m.role === role)!;
  const [original, retrained, finetuned] = [at('original'), at('retrained'), at('method')];
  console.log(
    `# ASR original ${original.asr.toFixed(3)} retrained ${retrained.asr.toFixed(3)} fine-tuned ${finetuned.asr.toFixed(3)}; ` +
      `test ${original.testAccuracy.toFixed(3)} / ${retrained.testAccuracy.toFixed(3)} / ${finetuned.testAccuracy.toFixed(3)}; ` +
      `D_u clean ${original.cleanAccuracy?.toFixed(3)} / ${finetuned.cleanAccuracy?.toFixed(3)}, triggered as target ${original.triggeredAsTarget?.toFixed(3)} / ${finetuned.triggeredAsTarget?.toFixed(3)}`,
  );
  assert.ok(original.testAccuracy > 0.7, `the original model learned (test ${original.testAccuracy})`);
  assert.ok(original.asr > 0.5, `backdoor learned: attack success ${original.asr}`);
  assert.ok(
    original.triggeredAsTarget! > 0.8,
    `it fit its triggered training examples (${original.triggeredAsTarget})`,
  );
  assert.ok(retrained.asr < 0.3, `a model that never saw the trigger: ${retrained.asr}`);
  assert.ok(
    finetuned.asr < original.asr - 0.2,
    `fine-tuning removes much of the attack: ${original.asr} -> ${finetuned.asr}`,
  );
  assert.ok(finetuned.testAccuracy > 0.7, `and keeps the task (test ${finetuned.testAccuracy})`);
  // The other half of G.3: the client's normal examples stay about as well classified as before.
  assert.ok(
    finetuned.cleanAccuracy! > 0.85,
    `normal D_u stays learned (${original.cleanAccuracy} -> ${finetuned.cleanAccuracy})`,
  );
  assert.ok(
    original.cleanAccuracy! - finetuned.cleanAccuracy! <
      (original.triggeredAsTarget! - finetuned.triggeredAsTarget!) / 2,
    'the backdoor fades much faster than the normal data',
  );
});

test('the curves cover every round, and each stage ends at its model', () => {
  const a = json<BackdoorArtifact>('analysis-backdoor');
  assert.equal(a.target, 0);
  assert.deepEqual(
    a.stages.map((s) => [s.role, s.points.length]),
    [
      ['original', 5],
      ['method', FINETUNE_ROUNDS],
    ],
  );
  for (const s of a.stages) {
    assert.deepEqual(
      s.points.map((p) => p.round),
      s.points.map((_, i) => i + 1),
    );
    const end = a.models.find((m) => m.stage === s.stage)!;
    const last = s.points[s.points.length - 1];
    // Same weights, same data: the last round's measures are the model's own.
    for (const k of ['testAccuracy', 'asr', 'cleanAccuracy', 'triggeredAsTarget'] as const)
      assert.equal(last[k], end[k], `${s.stage} ${k}`);
  }
});

test("Table 1 has the attack success per model, the export has the analysis' table", () => {
  const report = json<UnlearningReport>('report');
  const a = json<BackdoorArtifact>('analysis-backdoor');
  const original = report.rows.find((r) => r.kind === 'original')!;
  assert.equal(original.attackSuccessRate!.mean, a.models.find((m) => m.role === 'original')!.asr);
  const t1 = buildTable1(report);
  assert.ok(t1.columns.some((c) => c.key === 'asr'));
  const t = buildTable(run.store, run.runId, 'backdoor');
  assert.equal(t.rows.length, a.models.length + 5 + FINETUNE_ROUNDS);
});
