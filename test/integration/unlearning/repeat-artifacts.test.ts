/**
 * Every repeat stores its CSL and loss-surface artifacts (issue 12: charts average repeats): a 2-repeat
 * run through the real engine has 'csl'/'csl@1' and 'loss-surface'/'loss-surface@1' of the same shapes,
 * repeat 2's paths end at repeat 2's models, and the extra evaluation changes nothing of repeat 1: its
 * report numbers and artifacts equal those of the same config run with one repeat.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import type { CslArtifact, LossSurfaceArtifact, UnlearningReport } from '../../../src/shared/results';
import { buildTable } from '../../../src/main/export/run-tables';
import { useStoredRun, type StoredRun } from '../support/stored-run';

const input = {
  seed: 5,
  dataset: { id: 'mnist', trainSize: 300, testSize: 100, labelNoise: { clients: [0], rate: 0.2 } },
  partition: { clients: 3 },
  training: { rounds: 1, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [{ id: 'retrain' }, { id: 'finetune', rounds: 1 }],
  },
  evaluation: { retrainModels: 1, lossSurface: { steps: 2, overshoot: 0.5, maxRemaining: 60 } },
};
const two = useStoredRun(parseConfig({ ...input, repeats: 2 }));
const one = useStoredRun(parseConfig({ ...input, repeats: 1 }));

const json = <T>(run: StoredRun, kind: string, name = kind) =>
  run.store.artifacts.get(run.runId, kind, name)?.json as T | undefined;

test('both repeats have a CSL and a loss-surface artifact of the same shape', () => {
  const [c0, c1] = [json<CslArtifact>(two, 'csl'), json<CslArtifact>(two, 'csl', 'csl@1')];
  assert.ok(c0 && c1, 'csl and csl@1 stored');
  assert.equal(c1.csl.length, c0.csl.length);
  assert.equal(c1.score.length, c0.score.length);
  assert.notDeepEqual(c1.csl, c0.csl, 'repeat 2 trained its own original model, so its CSL differs');
  // Repeat 2's agreement is computed from repeat 2's own arrays.
  const dot = c1.csl.reduce((a, v, i) => a + v * c1.score[i], 0);
  const norm = (xs: number[]) => Math.sqrt(xs.reduce((a, v) => a + v * v, 0));
  if (c1.cosine !== null) assert.ok(Math.abs(c1.cosine - dot / (norm(c1.csl) * norm(c1.score))) < 1e-9);

  const [l0, l1] = [
    json<LossSurfaceArtifact>(two, 'loss-surface'),
    json<LossSurfaceArtifact>(two, 'loss-surface', 'loss-surface@1'),
  ];
  assert.ok(l0 && l1, 'loss-surface and loss-surface@1 stored');
  assert.deepEqual(
    l0.paths.map((p) => p.target),
    ['retrain:0', 'unlearn:finetune'],
  );
  assert.deepEqual(
    l1.paths.map((p) => p.target),
    ['retrain:0@1', 'unlearn:finetune@1'],
  );
  assert.deepEqual(
    l1.paths.map((p) => p.label),
    l0.paths.map((p) => p.label),
    'labels match so the chart groups repeats',
  );
  assert.deepEqual(
    l1.paths.map((p) => p.points.map((x) => x.t)),
    l0.paths.map((p) => p.points.map((x) => x.t)),
  );
  assert.equal(l1.remainingSample, l0.remainingSample);
  assert.equal(json(two, 'examples', 'examples@1'), undefined, "the per-example table stays the first repeat's");
});

test("repeat 2's loss path runs from repeat 2's original model to repeat 2's targets", () => {
  const report = json<UnlearningReport>(two, 'report')!;
  const l1 = json<LossSurfaceArtifact>(two, 'loss-surface', 'loss-surface@1')!;
  const at = (target: string, t: number) => l1.paths.find((p) => p.target === target)!.points.find((p) => p.t === t)!;
  const row = (key: string) => report.rows.find((r) => r.key === key)!;
  assert.equal(at('unlearn:finetune@1', 0).test.accuracy, row('original').testAccuracy.values[1]);
  assert.equal(at('unlearn:finetune@1', 1).test.accuracy, row('unlearn:finetune').testAccuracy.values[1]);
});

test("repeat 1 is unchanged by the second repeat's extra evaluation: same numbers as a one-repeat run", () => {
  const [r2, r1] = [json<UnlearningReport>(two, 'report')!, json<UnlearningReport>(one, 'report')!];
  assert.deepEqual(
    r2.rows.map((r) => r.key),
    r1.rows.map((r) => r.key),
  );
  r1.rows.forEach((a, i) => {
    const b = r2.rows[i];
    assert.equal(b.testAccuracy.values[0], a.testAccuracy.values[0], `${a.key} test`);
    assert.equal(b.unlearnAccuracy.values[0], a.unlearnAccuracy.values[0], `${a.key} D_u`);
    assert.deepEqual(
      b.groupAccuracy.map((g) => g.values[0]),
      a.groupAccuracy.map((g) => g.values[0]),
      `${a.key} groups`,
    );
  });
  for (const kind of ['csl', 'loss-surface', 'examples'] as const)
    assert.deepEqual(json(two, kind), json(one, kind), kind);
  assert.equal(json(one, 'csl', 'csl@1'), undefined);
});

test('the csl and loss-surface tables hold every repeat under a repeat column', () => {
  const csl = buildTable(two.store, two.runId, 'csl');
  const n = json<CslArtifact>(two, 'csl')!.csl.length;
  assert.equal(csl.columns[0].key, 'repeat');
  assert.deepEqual([...new Set(csl.rows.map((r) => r.repeat))], [1, 2]);
  assert.equal(csl.rows.length, 2 * n);
  assert.equal(
    csl.rows[n].csl,
    json<CslArtifact>(two, 'csl', 'csl@1')!.csl[0],
    "repeat 2's rows are repeat 2's values",
  );
  const ls = buildTable(two.store, two.runId, 'loss-surface');
  assert.deepEqual(
    [...new Set(ls.rows.map((r) => `${r.repeat as number} ${r.target as string}`))],
    ['1 retrain:0', '1 unlearn:finetune', '2 retrain:0@1', '2 unlearn:finetune@1'],
  );
  assert.equal(buildTable(one.store, one.runId, 'csl').rows.length, n, 'one repeat: its rows only');
});
