/**
 * The whole unlearning pipeline on a tiny config through the real engine process: every selection
 * strategy as a configuration, rho "auto", a class request, two repeats, and every artifact the
 * tables and charts read, checked against each other.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import type {
  CslArtifact,
  ExamplesArtifact,
  ImportanceArtifact,
  LossSurfaceArtifact,
  TimeArtifact,
  UnlearningReport,
} from '../../../src/shared/results';
import { buildLatex, buildTable, availableTables } from '../../../src/main/export/run-tables';
import { toCsv } from '../../../src/main/export/data-files';
import { DEFAULT_LATEX_OPTIONS } from '../../../src/shared/latex-options';
import { buildTable1 } from '../../../src/shared/table1-model';
import { useStoredRun } from '../support/stored-run';

const config = parseConfig({
  seed: 11,
  dataset: { id: 'mnist', trainSize: 400, testSize: 200 },
  partition: { clients: 3 },
  training: { rounds: 2, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'class', class: 3 },
    methods: [
      { id: 'retrain', label: 'Retrained' },
      { id: 'finetune', rounds: 1 },
      { id: 'fedmemeraser', rho: 0.3, rounds: 1, label: 'redundant' },
      { id: 'fedmemeraser', rho: 'auto', rounds: 1, label: 'auto' },
      { id: 'fedmemeraser', rho: 0.2, rounds: 1, selection: 'important', label: 'salun' },
      { id: 'fedmemeraser', rho: 0.2, rounds: 1, selection: 'localized', label: 'localized' },
      { id: 'fedmemeraser', rho: 0.2, rounds: 1, selection: 'deep-layers', label: 'deep' },
      { id: 'fedmemeraser', rho: 0.2, rounds: 1, selection: 'shallow-layers', label: 'shallow' },
      { id: 'liu', rounds: 1 },
      { id: 'not', rounds: 1 },
    ],
  },
  evaluation: { retrainModels: 2, lossSurface: { steps: 2, overshoot: 0.5, maxRemaining: 100 } },
  repeats: 2,
});

const json = <T>(kind: string, name = kind) => run.store.artifacts.get(run.runId, kind, name)!.json as T;
const run = useStoredRun(config);

test('the report has a row per method plus original and retrained, each with two repeats', () => {
  const report = json<UnlearningReport>('report');
  assert.deepEqual(
    report.rows.map((r) => r.label),
    [
      'Original',
      'Fine-tune',
      'redundant',
      'auto',
      'salun',
      'localized',
      'deep',
      'shallow',
      'Liu et al.',
      'NoT',
      'Retrained baseline',
    ],
  );
  for (const r of report.rows) assert.equal(r.testAccuracy.values.length, 2);
  assert.equal(report.request.kind, 'class');
  assert.deepEqual(report.remainingClients, [0, 1, 2], 'a class request keeps every client');
  const total = report.groups.reduce((a, g) => a + g.counts[0], 0);
  assert.equal(total, report.request.examples, 'the default groups cover all of D_u');
});

test('D_u is every training example of the class; the per-example table is aligned', () => {
  const ex = json<ExamplesArtifact>('examples');
  assert.ok(ex.labels.every((l) => l === 3));
  assert.equal(ex.score.length, ex.ids.length);
  for (const key of ['original', 'retrain:0', 'retrain:1', 'unlearn:redundant', 'unlearn:shallow'])
    assert.equal(ex.correct[key].length, ex.ids.length, key);
});

test('each selection strategy reset what it was asked to; rho auto is recorded', () => {
  const imp = (stage: string) => json<ImportanceArtifact>('importance', stage);
  const red = imp('unlearn:redundant');
  assert.equal(red.resetScalars, Math.floor(0.3 * red.totalScalars));
  assert.equal(red.chosenRho, 0.3);
  const auto = imp('unlearn:auto');
  assert.equal(auto.chosenRho, auto.recommendedRho ?? 0.3);
  assert.ok(auto.resetScalars > 0);
  for (const s of ['salun', 'localized', 'deep', 'shallow']) {
    const a = imp(`unlearn:${s}`);
    assert.ok(a.resetScalars > 0 && a.resetScalars <= Math.floor(0.2 * a.totalScalars) + 1, `${s}: ${a.resetScalars}`);
  }
  assert.equal(imp('unlearn:localized').selection, 'localized');
  assert.equal(red.locate, 'gradient', 'Algorithm 1 is the default locate rule');
  assert.equal(red.percentiles.length, red.log10Magnitude.length);
  // The H.3 rule's rho is the share of scalars below its threshold, so on the stored distribution the
  // threshold must sit between the samples either side of percentile 100 * rho.
  if (auto.recommendedRho !== null) {
    const at = 100 * auto.recommendedRho;
    const below = auto.log10Magnitude[Math.floor(at)];
    const above = auto.log10Magnitude[Math.min(100, Math.ceil(at))];
    const t = Math.log10(auto.threshold!);
    assert.ok(
      below <= t + 1e-9 && t <= above + 1e-9,
      `threshold 10^${t} outside [10^${below}, 10^${above}] at percentile ${at}`,
    );
  }
});

test('the loss surface starts at the original model and ends at each target', () => {
  const ls = json<LossSurfaceArtifact>('loss-surface');
  const report = json<UnlearningReport>('report');
  const path0 = ls.paths.find((p) => p.target === 'retrain:0')!;
  assert.deepEqual(
    path0.points.map((p) => p.t),
    [-0.5, 0, 0.5, 1, 1.5],
  );
  const at = (target: string, t: number) => ls.paths.find((p) => p.target === target)!.points.find((p) => p.t === t)!;
  assert.equal(at('retrain:0', 0).test.accuracy, report.rows[0].testAccuracy.values[0], 't = 0 is the original model');
  const ft = report.rows.find((r) => r.key === 'unlearn:finetune')!;
  assert.equal(at('unlearn:finetune', 1).test.accuracy, ft.testAccuracy.values[0], 't = 1 is the unlearned model');
});

test('time curves agree with the stored round metrics; CSL agreement matches a direct computation', () => {
  const time = json<TimeArtifact>('time');
  assert.deepEqual(time.curves.map((c) => c.stage).slice(0, 4), [
    'original',
    'retrain:0',
    'retrain:1',
    'unlearn:finetune',
  ]);
  const stored = run.store.metrics.roundsFor(run.runId);
  for (const c of time.curves) {
    // The curve is the stage's rounds as the store recorded them, and its peak is the first round at their maximum.
    const rounds = stored.filter((r) => r.stage === c.stage);
    assert.deepEqual(
      c.points.map((p) => p.testAccuracy),
      rounds.map((r) => r.testAccuracy),
      c.stage,
    );
    const best = rounds.reduce((a, r) => ((r.testAccuracy ?? -1) > (a.testAccuracy ?? -1) ? r : a));
    assert.equal(c.peakRound, best.round, c.stage);
  }
  const csl = json<CslArtifact>('csl');
  assert.ok(
    csl.csl.every((v) => v > 0),
    'every example of D_u was trained on, so its cumulative loss is positive',
  );
  const dot = csl.csl.reduce((a, v, i) => a + v * csl.score[i], 0);
  const norm = (xs: number[]) => Math.sqrt(xs.reduce((a, v) => a + v * v, 0));
  assert.ok(Math.abs(csl.cosine! - dot / (norm(csl.csl) * norm(csl.score))) < 1e-9, `cosine ${csl.cosine}`);
  const rounds = run.store.metrics.roundsFor(run.runId);
  assert.ok(
    rounds.some((r) => r.stage === 'original@1'),
    'the second repeat is stored under its own stages',
  );
});

test('every table exports; the examples table has one row per example of D_u', () => {
  const names = availableTables(run.store, run.runId);
  assert.deepEqual(names.slice(0, 6), ['table1', 'examples', 'importance', 'time', 'loss-surface', 'csl']);
  for (const name of names) assert.ok(toCsv(buildTable(run.store, run.runId, name, 'csv')).length > 0, name);
  // LaTeX: every table but importance (a figure's data, refused with a pointer to CSV).
  for (const name of names.filter((n) => n !== 'importance'))
    assert.match(buildLatex(run.store, run.runId, name, DEFAULT_LATEX_OPTIONS).text, /\\bottomrule/, name);
  assert.throws(() => buildLatex(run.store, run.runId, 'importance', DEFAULT_LATEX_OPTIONS), /--format csv/);
  const ex = json<ExamplesArtifact>('examples');
  assert.equal(
    toCsv(buildTable(run.store, run.runId, 'examples'))
      .trim()
      .split('\n').length,
    ex.ids.length + 1,
  );
  assert.match(
    buildLatex(run.store, run.runId, 'table1', DEFAULT_LATEX_OPTIONS).text,
    /Class-level unlearning of class 3 \(the layout of Table H9\): accuracy \(\\%\) on \$D_u\$, on the test set.*mean over 2 repeats with \$\\pm\$ std beneath/,
  );
});

test('a class request takes the layout of Table H9 in every rendering; naming the blocks brings the groups back', () => {
  const report = json<UnlearningReport>('report');
  const t = buildTable1(report);
  assert.deepEqual(
    t.columns.map((c) => c.key),
    ['unlearn', 'test', 'time', 'speedup'],
  );
  // The known truth behind the layout: no retrained model ever sees class 3, so it never predicts it.
  const retrained = t.rows.find((r) => r.kind === 'retrained')!;
  assert.equal(retrained.cells[0].mean, 0, 'retrained accuracy on the forgotten class');
  // The CSV is data for scripts, not a layout: it keeps every measure.
  const csvHeader = toCsv(buildTable(run.store, run.runId, 'table1')).split('\n')[0];
  assert.ok(csvHeader.includes('unlearn_acc_pct_mean') && /group_95_100_acc_pct_mean/.test(csvHeader), csvHeader);
  const tex = buildLatex(run.store, run.runId, 'table1', DEFAULT_LATEX_OPTIONS).text;
  assert.doesNotMatch(tex, /memorization-score group|Fairness/);
  const withGroups = buildLatex(run.store, run.runId, 'table1', {
    ...DEFAULT_LATEX_OPTIONS,
    columns: ['groups', 'unlearn'],
  }).text;
  assert.match(withGroups, /\(95,100\]/);
  assert.doesNotMatch(withGroups, /Table H9 layout/);
});
