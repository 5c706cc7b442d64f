import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReportRow, Stat, UnlearningReport } from '../../../src/shared/results';
import { toCsv } from '../../../src/main/export/data-files';
import { table1Csv } from '../../../src/main/export/table1';
import { table1Latex, wrapLabel } from '../../../src/main/export/latex-table1';
import { latexOptionsSchema, type LatexOptionsInput } from '../../../src/shared/latex-options';
import { buildTable1 } from '../../../src/shared/table1-model';
import { FT_TOP, p2, REF_TOP, timedReport, tPaired } from '../shared/table1-fixtures';

// A stat with a std has two repeats' values (a spread to show); one without has one value.
const s = (mean: number | null, std: number | null = 0): Stat => ({ mean, std, values: std ? [mean, mean] : [mean] });
const row = (
  key: string,
  label: string,
  kind: ReportRow['kind'],
  g: (number | null)[],
  d: (number | null)[],
  du: number,
  duDelta: number | null,
  testAcc: number,
  fair: number | null,
): ReportRow => ({
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

const tex1 = (r: UnlearningReport, o: LatexOptionsInput = {}) =>
  table1Latex(r, latexOptionsSchema.parse(o), 'run_1 & co');
/** The lines of a row: its label line, then (when shown) the ± line and the Δ line. */
const rowLines = (tex: string, label: string) => {
  const lines = tex.split('\n');
  const i = lines.findIndex((l) => l.startsWith(label + ' & '));
  assert.ok(i >= 0, `no row ${label}`);
  const out = [lines[i]];
  // Continuation lines run up to the next rule or spacing command.
  for (let k = i + 1; lines[k] !== undefined && !lines[k].startsWith('\\'); k++) out.push(lines[k]);
  return out.map((l) => l.replace(/ \\\\$/, '').split(' & '));
};

test('LaTeX layout: a spanning group header over a cmidrule, compact labels with n, means with ± and |Δ| beneath', () => {
  const tex = tex1(report);
  assert.match(tex, /^% Table 1 of run "run_1 & co", exported by FedMem Workbench\n% needs \\usepackage\{booktabs\}\n/);
  assert.match(tex, /\\begin\{table\*\}\[t\]\n\\centering\n\\footnotesize/);
  assert.match(
    tex,
    /\\multicolumn\{2\}\{c\}\{Group acc\.\\ \(\\%\)\} & \$D_u\$ acc\. & Test acc\. & Fairness \\\\\n\\cmidrule\(lr\)\{2-3\}/,
  );
  assert.match(
    tex,
    /\nMethod & \{\\scriptsize \(95,100\]\} & \{\\scriptsize \(0,95\]\} & \{\\scriptsize \(\\%\) \$\|\\Delta\|\\downarrow\$\} & \{\\scriptsize \(\\%\) \$\\uparrow\$\} & \{\\scriptsize \(\$10\^\{-3\}\$\) \$\\downarrow\$\} \\\\/,
  );
  assert.match(tex, /\{\\scriptsize \$n\{=\}5\$\} & \{\\scriptsize \$n\{=\}95\$\}/);
  assert.match(tex, /\\begin\{tabular\}\{@\{\}lrrrrr@\{\}\}/);
  // FedMemEraser has the smaller top-group delta (0.1 < 0.7): bold mean and bold delta.
  const [mean, std, delta] = rowLines(tex, 'FedMemEraser');
  assert.deepEqual(mean, ['FedMemEraser', '\\textbf{30.00}', '95.00', '\\textbf{90.00}', '89.00', '\\textbf{2.00}']);
  assert.deepEqual(
    std.slice(1, 4),
    ['', '', '{\\scriptsize$\\pm$1.00}'],
    'groups have one value each (no spread); D_u has two',
  );
  assert.equal(delta[1], '{\\scriptsize\\bfseries (10.00\\rlap{)}}');
  assert.equal(delta[2], '{\\scriptsize (3.00\\rlap{)}}');
  // Fine-tune: label escaped; highest test accuracy (91 > 89).
  assert.equal(rowLines(tex, 'Fine\\_tune \\& co')[0][4], '\\textbf{91.00}');
  // The retrained row has no deltas and -- for its empty group; only methods compete for bold.
  const retrained = rowLines(tex, 'Retrained baseline');
  assert.deepEqual(retrained[0], ['Retrained baseline', '20.00', '--', '89.00', '90.00', '1.00']);
  assert.equal(retrained.length, 2, 'a ± line, no Δ line');
  assert.doesNotMatch(rowLines(tex, 'Original').flat().join(' '), /textbf|bfseries/);
  assert.match(tex, /\\midrule\nFine\\_tune/, 'a rule between the original and the methods');
  assert.match(tex, /\\midrule\nRetrained baseline/, 'and between the methods and the reference');
  assert.match(tex, /Bold: the best unlearning method in each column .* all bold\./);
  assert.match(tex, /sum over remaining clients \(the paper's Appendix E\.2\)/);
});

test("long labels wrap beside the row's ± and Δ lines instead of widening the table", () => {
  assert.deepEqual(wrapLabel("FedMemEraser (authors' locate)"), ['FedMemEraser', "(authors' locate)"]);
  assert.deepEqual(wrapLabel('Retrained baseline'), ['Retrained baseline']);
  assert.deepEqual(wrapLabel('averyveryverylongwordwithoutspaces x'), ['averyveryverylongwordwithoutspaces', 'x']);
  const long = 'a label that needs four lines of eighteen characters';
  const tex = tex1({
    ...report,
    rows: report.rows.map((r) => (r.key === 'unlearn:finetune' ? { ...r, label: long } : r)),
  });
  const lines = rowLines(tex, 'a label that needs');
  assert.deepEqual(
    lines.map((l) => l[0]),
    ['a label that needs', 'four lines of', 'eighteen', 'characters'],
  );
  assert.ok(
    lines[3].slice(1).every((c) => c === ''),
    'the fourth label line has empty cells',
  );
});

test('LaTeX options: columns, decimals, no std, no delta, float, scaling, font', () => {
  const tex = tex1(report, {
    columns: ['groups', 'test'],
    decimals: 1,
    std: false,
    delta: false,
    float: 'table',
    scaleToWidth: true,
    fontSize: 'scriptsize',
  });
  assert.match(tex, /% needs \\usepackage\{booktabs,graphicx\}/);
  assert.match(tex, /\\begin\{table\}\[t\]\n\\centering\n\\scriptsize/);
  assert.match(tex, /\\resizebox\{\\linewidth\}\{!\}\{%\n\\begin\{tabular\}\{@\{\}lrrr@\{\}\}/);
  assert.deepEqual(rowLines(tex, 'FedMemEraser'), [['FedMemEraser', '\\textbf{30.0}', '95.0', '89.0']]);
  assert.doesNotMatch(tex, /\\pm\$[0-9]|rlap/);
  assert.doesNotMatch(tex, /D_u\$ acc\.|Fairness/);
  assert.match(tex, /\\end\{table\}\n$/);
});

test('one repeat: no ± anywhere in the cells, and the caption says so', () => {
  const one: UnlearningReport = {
    ...report,
    repeats: 1,
    rows: report.rows.map((r) => ({
      ...r,
      unlearnAccuracy: { ...r.unlearnAccuracy, values: [r.unlearnAccuracy.mean] },
      testAccuracy: { ...r.testAccuracy, values: [r.testAccuracy.mean] },
      fairnessSum: r.fairnessSum && { ...r.fairnessSum, values: [r.fairnessSum.mean] },
    })),
  };
  const tex = tex1(one);
  assert.equal(rowLines(tex, 'FedMemEraser').length, 2, 'mean and Δ lines only');
  assert.doesNotMatch(tex.split('\\midrule').slice(1).join(''), /\\pm\$\d/);
  assert.match(tex, /one repeat \(no spread to show\)/);
});

test('CSV: the same numbers in plain columns, empty for missing', () => {
  const csv = toCsv(table1Csv(report)).trim().split('\n');
  const header = csv[0].split(',');
  const cells = (i: number) => Object.fromEntries(csv[i].split(',').map((v, k) => [header[k], v]));
  assert.deepEqual(header.slice(0, 6), [
    'method',
    'kind',
    'group_95_100_acc_pct_mean',
    'group_95_100_acc_pct_std',
    'group_95_100_acc_pct_n',
    'group_95_100_acc_pct_delta',
  ]);
  const eraser = cells(3);
  assert.equal(Number(eraser.group_95_100_acc_pct_mean), 30);
  assert.equal(Number(eraser.group_95_100_acc_pct_delta), 10);
  assert.equal(Number(eraser.fairness_sum_e3_mean), 2);
  assert.equal(Number(eraser.fairness_mean_e3_mean), 1);
  // The group's examples and the values behind each mean are separate columns; one value has no std.
  assert.equal(Number(eraser.group_95_100_size), 5);
  assert.equal(Number(eraser.group_0_95_size), 95);
  assert.equal(Number(eraser.group_95_100_acc_pct_n), 1);
  assert.equal(eraser.group_95_100_acc_pct_std, '');
  assert.equal(Number(eraser.unlearn_acc_pct_n), 2);
  assert.equal(Number(eraser.unlearn_acc_pct_std), 1);
  assert.equal(Number(eraser.test_acc_pct_n), 2);
  assert.equal(eraser.speedup_n, '0');
  const retrained = cells(4);
  assert.equal(retrained.group_0_95_acc_pct_mean, '');
  assert.equal(retrained.group_0_95_acc_pct_n, '0');
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
      {
        lo: 95,
        hi: 100,
        label: '(95%,100%]',
        counts: [5, 5],
        scoreMin: [0.5, 0.6],
        scoreMax: [0.9, 1],
        placedById: [1, 2],
        noisy: [4, 3],
      },
      {
        lo: 0,
        hi: 95,
        label: '(0%,95%]',
        counts: [95, 95],
        scoreMin: [-0.1, -0.2],
        scoreMax: [0.5, 0.6],
        placedById: [2, 3],
        noisy: [6, 7],
      },
    ],
  };
  const tex = tex1(withFacts);
  assert.match(tex, /\$K = 2\$ held-out retrained models/);
  assert.match(
    tex,
    /with n examples each: \(95,100\] \(n = 5, scores 0\.50 to 1\.00\); \(0,95\] \(n = 95, scores -0\.20 to 0\.60\)\./,
  );
  assert.match(tex, /K = 2 held-out retrained model\(s\) that took no part in scoring/);
  // 3 and 5 examples placed by id over the two repeats; 7 of 10 and 13 of 190 flipped.
  assert.match(tex, /\(95\\%,100\\%\]: 3 examples \(over 2 repeats\) share a score/);
  assert.match(tex, /\(0\\%,95\\%\]: 5 examples \(over 2 repeats\)/);
  assert.match(
    tex,
    /Label-noise examples per group: \(95\\%,100\\%\] 70\\%, \(0\\%,95\\%\] 7\\% \(base rate in D\\_u 10\\%\)/,
  );
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
  const tex = tex1(tied);
  for (const r of model.rows) {
    const cells = rowLines(tex, r.label)[0].slice(1);
    r.cells.forEach((c, i) =>
      assert.equal(cells[i].startsWith('\\textbf{'), c.best, `${r.label}, ${model.columns[i].key}`),
    );
  }
  const bestCount = model.rows.flatMap((r) => r.cells.filter((c) => c.best)).length;
  // top group: FME; bottom group: both (tie); D_u: FME; test: both (tie); fairness: FME.
  assert.equal(bestCount, 7);
});

test('LaTeX significance and times: daggers where the model marks them, the test named in the caption, speed-up beneath time to peak', () => {
  const r = timedReport();
  const model = buildTable1(r);
  const tex = tex1(r);
  const [mean, std, third] = rowLines(tex, 'Fine-tune');
  // Columns: group, D_u, test, fairness, time (speed-up stacked beneath it; no column of its own).
  assert.equal(mean.length, 6);
  assert.match(mean[1], /^91\.33\\rlap\{\$\^\\dagger\$\}$/, 'the top group differs from retraining');
  assert.doesNotMatch(rowLines(tex, 'FedMemEraser')[0][1], /dagger/, 'within noise: no dagger');
  assert.equal(mean[5], '\\textbf{12.00}\\rlap{$^\\dagger$}', 'the shortest time to peak, significant');
  assert.equal(std[5], '{\\scriptsize$\\pm$2.00}');
  assert.equal(
    third[5],
    `{\\scriptsize\\bfseries $\\times$${((10 + 100 / 12 + 100 / 14) / 3).toFixed(2)}}`,
    'the largest speed-up, bold',
  );
  assert.equal(rowLines(tex, 'FedMemEraser')[2][5], '{\\scriptsize $\\times$5.00}');
  // Every dagger is a cell the model marks significant, and the other way round.
  const daggers = model.rows.flatMap((row) =>
    rowLines(tex, row.label)[0]
      .slice(1)
      .map((c) => c.includes('dagger')),
  );
  const marked = model.rows.flatMap((row) =>
    row.cells.filter((_, i) => model.columns[i].key !== 'speedup').map((c) => c.significant),
  );
  assert.deepEqual(daggers, marked);
  assert.match(
    tex,
    /\$\^\\dagger\$: differs from Retrained by a paired \$t\$-test over the repeats, Holm-adjusted over the 13 tested cells, \$p < 0\.05\$\./,
  );
  assert.match(tex, /& Time to \\\\\n/);
  assert.match(tex, /\{\\scriptsize \$\\times\$speed-up \$\\uparrow\$\} \\\\/);
  assert.match(tex, /time to peak test accuracy \(s\) with the speed-up over retraining beneath/);
  assert.doesNotMatch(
    tex.slice(tex.indexOf('\\par\\smallskip')),
    /paired/,
    'named once, in the caption, not again in the notes',
  );
  // Without the time block: no time column, no speed-up line.
  const noTime = tex1(r, { columns: ['groups', 'unlearn', 'test', 'fairness'] });
  assert.doesNotMatch(noTime, /speed-up|Time to/);
  assert.equal(rowLines(noTime, 'Fine-tune')[0].length, 5);
});

test('LaTeX with one repeat: no daggers, and the caption says the test needs three or more repeats', () => {
  const one: UnlearningReport = {
    ...report,
    repeats: 1,
    rows: report.rows.map((r) => ({
      ...r,
      unlearnAccuracy: { ...r.unlearnAccuracy, values: [r.unlearnAccuracy.mean] },
      testAccuracy: { ...r.testAccuracy, values: [r.testAccuracy.mean] },
    })),
  };
  const tex = tex1(one);
  assert.doesNotMatch(tex, /dagger/);
  assert.match(tex, /No significance marks: a paired \$t\$-test needs three or more repeats\./);
});

test('CSV: a paired-test p and its Holm-adjusted p per measure, empty for the reference', () => {
  const r = timedReport();
  const csv = toCsv(table1Csv(r)).trim().split('\n');
  const header = csv[0].split(',');
  const cells = (label: string) =>
    Object.fromEntries(
      csv
        .find((l) => l.startsWith(label + ','))!
        .split(',')
        .map((v, k) => [header[k], v]),
    );
  for (const k of [
    'group_0_100_acc_pct_p',
    'unlearn_acc_pct_p',
    'test_acc_pct_p',
    'fairness_sum_e3_p',
    'fairness_mean_e3_p',
    'time_to_peak_s_p',
  ])
    assert.ok(header.includes(k), k);
  const model = buildTable1(r);
  const ft = model.rows.find((x) => x.label === 'Fine-tune')!;
  assert.equal(Number(cells('Fine-tune').group_0_100_acc_pct_p), ft.cells[0].p);
  assert.ok(Math.abs(Number(cells('Fine-tune').group_0_100_acc_pct_p) - p2(tPaired(FT_TOP, REF_TOP))) < 1e-9);
  // Holm over every p of the CSV: both fairness variants make its family larger than the table's (13 cells there).
  const pKeys = header.filter((k) => k.endsWith('_p'));
  const family = csv.slice(1).flatMap((_, i) => pKeys.map((k) => cells(csv[i + 1].split(',')[0])[k]));
  const m = family.filter((v) => v !== '').length;
  assert.equal(m, 16, 'original 3 (no fairness, no time), each method 6 (both fairness variants and time)');
  for (const k of pKeys) assert.ok(header.includes(`${k}_holm`), `${k}_holm`);
  const ftHolm = Number(cells('Fine-tune').group_0_100_acc_pct_p_holm);
  assert.ok(ftHolm >= Number(cells('Fine-tune').group_0_100_acc_pct_p) && ftHolm <= 1);
  assert.equal(cells('Retrained').group_0_100_acc_pct_p_holm, '');
  assert.equal(
    Number(cells('Fine-tune').time_to_peak_s_p),
    ft.cells[model.columns.findIndex((c) => c.key === 'time')].p,
  );
  assert.equal(cells('Retrained').group_0_100_acc_pct_p, '');
  assert.equal(cells('Retrained').test_acc_pct_p, '');
});
