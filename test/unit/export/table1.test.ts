import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReportRow, Stat, UnlearningReport } from '../../../src/shared/results';
import { toCsv, toLatex } from '../../../src/main/export/table';
import { table1, table1Csv } from '../../../src/main/export/table1';
import { buildTable1 } from '../../../src/shared/table1-model';

const s = (mean: number | null, std: number | null = 0): Stat => ({ mean, std, values: [mean] });
const row = (key: string, label: string, kind: ReportRow['kind'], g: (number | null)[], d: (number | null)[], du: number, duDelta: number | null, testAcc: number, fair: number | null): ReportRow => ({
  key,
  label,
  kind,
  groupAccuracy: g.map((v) => s(v)),
  groupDelta: d,
  unlearnAccuracy: s(du, 0.01),
  unlearnDelta: duDelta,
  testAccuracy: s(testAcc, 0.005),
  fairnessSum: fair === null ? null : s(fair, 0.0001),
  fairnessMean: fair === null ? null : s(fair / 2, 0.0001),
  timeToPeakSeconds: null,
  speedup: null,
});

const report: UnlearningReport = {
  request: { kind: 'clients', clients: [0, 3], examples: 100 },
  unlearningClients: [0, 3],
  remainingClients: [1, 2],
  memorization: 'correct',
  fairness: 'sum',
  repeats: 3,
  retrainModels: 3,
  groups: [
    { lo: 95, hi: 100, label: '(95%,100%]', counts: [5, 5, 5] },
    { lo: 0, hi: 95, label: '(0%,95%]', counts: [95, 95, 95] },
  ],
  rows: [
    row('original', 'Original', 'original', [1, 0.99], [0.8, 0.01], 0.99, 0.1, 0.9, null),
    row('unlearn:finetune', 'Fine_tune & co', 'method', [0.9, 0.98], [0.7, 0.0], 0.97, 0.08, 0.91, 0.003),
    row('unlearn:fedmemeraser', 'FedMemEraser', 'method', [0.3, 0.95], [0.1, 0.03], 0.9, 0.01, 0.89, 0.002),
    row('retrained', 'Retrained baseline', 'retrained', [0.2, null], [null, null], 0.89, null, 0.9, 0.001),
  ],
};

test('LaTeX: mean ± std in %, delta in parentheses, best method bold per column, arrows, escaped labels', () => {
  const tex = toLatex(table1(report));
  const line = (label: string) => tex.split('\n').find((l) => l.startsWith(label))!;
  assert.match(tex, /Group \(95\\%,100\\%\] \(\$n = 5\$, \$\\Delta\\downarrow\$\)/);
  assert.match(tex, /Test Acc\. \(\\%\) \$\\uparrow\$/);
  assert.match(tex, /Local Fairness \(\$10\^\{-3\}\$\) \$\\downarrow\$/);
  assert.match(tex, /\\toprule[\s\S]*\\midrule[\s\S]*\\bottomrule/);
  assert.match(tex, /Unlearning clients 0, 3: .*over 3 repeat\(s\).*\$J = 3\$/);
  // FedMemEraser has the smaller top-group delta (0.1 < 0.7) -> bold there; fine-tune the smaller bottom delta.
  assert.match(line('FedMemEraser'), /^FedMemEraser & \\textbf\{30\.00 \$\\pm\$ 0\.00 \(10\.00\)\} & 95\.00 \$\\pm\$ 0\.00 \(3\.00\)/);
  assert.match(line('Fine\\_tune \\& co'), /& \\textbf\{98\.00 \$\\pm\$ 0\.00 \(0\.00\)\}/);
  // Highest test accuracy among methods: fine-tune (91 > 89); lowest fairness: FedMemEraser (2.00 < 3.00).
  assert.match(line('Fine\\_tune'), /\\textbf\{91\.00 \$\\pm\$ 0\.50\}/);
  assert.match(line('FedMemEraser'), /\\textbf\{2\.00 \$\\pm\$ 0\.10\} \\\\$/);
  // The retrained row has no deltas; its empty bottom group prints --; the original has no fairness.
  assert.match(line('Retrained baseline'), /^Retrained baseline & 20\.00 \$\\pm\$ 0\.00 & -- & 89\.00 \$\\pm\$ 1\.00 & 90\.00/);
  assert.match(line('Original'), /& -- \\\\$/);
  assert.doesNotMatch(line('Original'), /textbf/, 'only methods compete for bold');
  assert.match(tex, /sum over remaining clients \(the paper's Appendix E\.2\)/);
});

test('the fairness variant switches the column and the note', () => {
  const tex = toLatex(table1({ ...report, fairness: 'mean' }));
  assert.match(tex.split('\n').find((l) => l.startsWith('FedMemEraser'))!, /1\.00 \$\\pm\$ 0\.10\} \\\\$/);
  assert.match(tex, /mean over remaining clients \(the authors' code\)/);
});

test('CSV: the same numbers in plain columns, empty for missing', () => {
  const csv = toCsv(table1Csv(report)).trim().split('\n');
  const header = csv[0].split(',');
  const cells = (i: number) => Object.fromEntries(csv[i].split(',').map((v, k) => [header[k], v]));
  assert.deepEqual(header.slice(0, 6), ['method', 'kind', 'group_95_100_acc_pct_mean', 'group_95_100_acc_pct_std', 'group_95_100_acc_pct_delta', 'group_95_100_acc_pct_count']);
  const eraser = cells(3);
  assert.equal(Number(eraser.group_95_100_acc_pct_mean), 30);
  assert.equal(Number(eraser.group_95_100_acc_pct_delta), 10);
  assert.equal(Number(eraser.fairness_sum_e3_mean), 2);
  assert.equal(Number(eraser.fairness_mean_e3_mean), 1);
  assert.equal(Number(eraser.group_95_100_acc_pct_count), 5);
  const retrained = cells(4);
  assert.equal(retrained.group_0_95_acc_pct_mean, '');
  assert.equal(retrained.group_95_100_acc_pct_delta, '');
  assert.equal(cells(1).method, 'Original');
  assert.equal(cells(2).method, '"Fine_tune & co"'.replace(/"/g, ''));
});

test('group facts and notes: score ranges, ties placed by id, label noise, the reference used', () => {
  const withFacts: UnlearningReport = {
    ...report,
    repeats: 2,
    referenceModels: 2,
    noisyInUnlearn: [10, 10],
    groups: [
      { lo: 95, hi: 100, label: '(95%,100%]', counts: [5, 5], scoreMin: [0.5, 0.6], scoreMax: [0.9, 1], placedById: [1, 2], noisy: [4, 3] },
      { lo: 0, hi: 95, label: '(0%,95%]', counts: [95, 95], scoreMin: [-0.1, -0.2], scoreMax: [0.5, 0.6], placedById: [2, 3], noisy: [6, 7] },
    ],
  };
  const tex = toLatex(table1(withFacts));
  assert.match(tex, /\$K = 2\$ held-out retrained models/);
  assert.match(tex, /Groups: \(95\\%,100\\%\] n = 5, scores 0\.50 to 1\.00; \(0\\%,95\\%\] n = 95, scores -0\.20 to 0\.60\./);
  assert.match(tex, /K = 2 held-out retrained model\(s\) that took no part in scoring/);
  // 3 and 5 examples placed by id over the two repeats; 7 of 10 and 13 of 190 flipped.
  assert.match(tex, /\(95\\%,100\\%\]: 3 examples \(over 2 repeats\) share a score/);
  assert.match(tex, /\(0\\%,95\\%\]: 5 examples \(over 2 repeats\)/);
  assert.match(tex, /Label-noise examples per group: \(95\\%,100\\%\] 70\\%, \(0\\%,95\\%\] 7\\% \(base rate in D\\_u 10\\%\)/);
  const csv = toCsv(table1Csv(withFacts)).trim().split('\n');
  const header = csv[0].split(',');
  const first = Object.fromEntries(csv[1].split(',').map((v, k) => [header[k], v]));
  assert.equal(Number(first.group_95_100_score_min), 0.5);
  assert.equal(Number(first.group_95_100_score_max), 1);
  assert.equal(Number(first.group_95_100_placed_by_id), 1.5, 'mean per repeat');
  assert.equal(Number(first.group_0_95_noisy), 6.5);
});

test('the LaTeX bolds exactly the cells the app marks best, ties included', () => {
  // Fine-tune and FedMemEraser tie on the bottom group's delta and on test accuracy.
  const tied: UnlearningReport = {
    ...report,
    rows: [
      row('original', 'Original', 'original', [1, 0.99], [0.8, 0.01], 0.99, 0.1, 0.9, null),
      row('unlearn:finetune', 'Fine-tune', 'method', [0.9, 0.98], [0.7, 0.02], 0.97, 0.08, 0.9, 0.003),
      row('unlearn:fedmemeraser', 'FedMemEraser', 'method', [0.3, 0.94], [0.1, 0.02], 0.9, 0.01, 0.9, 0.002),
      row('retrained', 'Retrained baseline', 'retrained', [0.2, 0.96], [null, null], 0.89, null, 0.9, 0.001),
    ],
  };
  const model = buildTable1(tied);
  const tex = toLatex(table1(tied));
  for (const r of model.rows) {
    const line = tex.split('\n').find((l) => l.startsWith(r.label.replace(/_/g, '\\_')))!;
    const cells = line.replace(/ \\\\$/, '').split(' & ').slice(1);
    r.cells.forEach((c, i) => assert.equal(cells[i].startsWith('\\textbf{'), c.best, `${r.label}, ${model.columns[i].key}`));
  }
  const bestCount = model.rows.flatMap((r) => r.cells.filter((c) => c.best)).length;
  // top group: FME; bottom group: both (tie); D_u: FME; test: both (tie); fairness: FME.
  assert.equal(bestCount, 7);
});
