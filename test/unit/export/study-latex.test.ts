/** A study table as LaTeX (\multirow blocks, booktabs, bold and daggers as the model marks them) and as data files. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toCsv, toJson } from '../../../src/main/export/data-files';
import { studyLatex } from '../../../src/main/export/latex-study-table';
import { studyRunsTable, studySummaryTable } from '../../../src/main/export/study-data';
import { latexOptionsSchema, type LatexOptionsInput } from '../../../src/shared/latex-options';
import { buildStudyTable, type StudyTable } from '../../../src/shared/study-table';
import { flat, report, result, same, study } from '../shared/study-fixtures';

const R = 2;
const row = (test: number[], g0: number[]) => ({ g0, g1: same(0.5, R), du: same(0.6, R), test, fair: same(0.001, R) });
const alphaStudy = study({ name: 'Non-IID', axes: [{ path: 'partition.alpha', values: [0.1, 1] }] });
const alphaResults = [
  result(
    'alpha=0.1',
    [0.1],
    0,
    report(
      {
        original: flat(1, R),
        'unlearn:finetune': row([0.1, 0.3], [0.1, 0.11]),
        'unlearn:fedmemeraser': row([0.5, 0.7], [0.5, 0.51]),
        retrained: row([0.5, 0.7], [0.5, 0.51]),
      },
      R,
    ),
  ),
  result(
    'alpha=1',
    [1],
    0,
    report(
      {
        original: flat(1, R),
        'unlearn:finetune': row([0.5, 0.7], [0.9, 0.9]),
        'unlearn:fedmemeraser': row([0.6, 0.6], [0.2, 0.3]),
        retrained: row([0.1, 0.3], [0.1, 0.2]),
      },
      R,
    ),
  ),
];
const rhoStudy = study({ axes: [{ path: 'unlearning.methods[fedmemeraser].rho', values: [0.2, 0.4] }], seeds: 2 });
const rhoResults = [0.2, 0.4].flatMap((rho) =>
  [0, 1].map((s) =>
    result(
      `rho=${rho}`,
      [rho],
      s,
      report(
        {
          original: flat(1, R),
          'unlearn:finetune': row([0.5, 0.7], [0.9, 0.9]),
          'unlearn:fedmemeraser': row([0.6, 0.6], [rho, rho + 0.1 * (s + 1)]),
          retrained: row([0.1, 0.3], [0.1, 0.2]),
        },
        R,
      ),
    ),
  ),
);
const tex = (t: StudyTable, o: LatexOptionsInput = {}, name?: string) =>
  studyLatex(t, latexOptionsSchema.parse(o), name);
/** Body lines (rows ending in \\) between \midrule after the header and \bottomrule. */
const bodyRows = (text: string) => {
  const lines = text.split('\n');
  const start = lines.indexOf('\\midrule');
  const end = lines.indexOf('\\bottomrule');
  return lines.slice(start + 1, end);
};

test('blocked: each block title spans all its lines with \\multirow, in booktabs rules', () => {
  const t = buildStudyTable(alphaStudy, alphaResults);
  const text = tex(t, {}, 'Non-IID');
  assert.match(
    text,
    /^% Study table of "Non-IID" \(blocked layout\), exported by FedMem Workbench\n% needs \\usepackage\{booktabs,multirow\}\n/,
  );
  assert.match(text, /\\begin\{table\*\}\[t\]\n\\centering\n\\footnotesize/);
  assert.match(text, /\\begin\{tabular\}\{@\{\}llrrrrr@\{\}\}\n\\toprule\n/);
  assert.match(text, /\n\$\\alpha\$ & Method & \{\\scriptsize \(50,100\]\}/);
  assert.match(text, /\\cmidrule\(lr\)\{3-4\}/);
  assert.match(text, /\\bottomrule\n\\end\{tabular\}/);
  // Each block: \multirow{k}{*}{title} where k counts the block's lines (every row's mean, ± and Δ lines).
  const body = bodyRows(text);
  const blocks: string[][] = [[]];
  for (const l of body) l === '\\midrule' ? blocks.push([]) : blocks[blocks.length - 1].push(l);
  assert.equal(blocks.length, 2);
  blocks.forEach((b, i) => {
    const lines = b.filter((l) => l.endsWith(' \\\\'));
    assert.equal(lines.length, 8, 'Fine-tune and FedMemEraser: mean, ±, Δ; retrained: mean, ±');
    assert.ok(
      lines[0].startsWith(`\\multirow{${lines.length}}{*}{$\\alpha$ = ${['0.1', '1'][i]}} & Fine-tune & `),
      lines[0],
    );
    assert.ok(
      lines.slice(1).every((l) => l.startsWith(' & ')),
      'only the first line holds the title',
    );
    assert.ok(b.includes('\\cmidrule(l){2-7}'), "a rule between the block's methods and its reference");
  });
  assert.match(text, /Welch's \$t\$-test, \$p < 0\.05\$/);
  assert.match(text, /\$\|\\Delta\|\$ to the pooled mean of Retrained baseline in parentheses \(within the block\)/);
});

test('the LaTeX bolds and daggers exactly the cells the model marks', () => {
  for (const t of [buildStudyTable(alphaStudy, alphaResults), buildStudyTable(rhoStudy, rhoResults)]) {
    const text = tex(t);
    const meanLines = bodyRows(text).filter(
      (l) => l.endsWith(' \\\\') && /\d/.test(l) && !/^\s*&\s*(&\s*)*\{\\scriptsize/.test(l),
    );
    const rows = t.blocks.flatMap((b) => b.rows);
    assert.equal(meanLines.length, rows.length, meanLines.join('\n'));
    const stub = t.layout === 'blocked' ? 2 : 1;
    rows.forEach((r, k) => {
      const cells = meanLines[k]
        .replace(/ \\\\$/, '')
        .split(' & ')
        .slice(stub);
      r.cells.forEach((c, i) => {
        assert.equal(cells[i].startsWith('\\textbf{'), c.best, `${r.label} ${t.columns[i].key} bold`);
        assert.equal(cells[i].endsWith('\\rlap{$^\\dagger$}'), c.significant, `${r.label} ${t.columns[i].key} dagger`);
      });
    });
    assert.ok(rows.some((r) => r.cells.some((c) => c.significant)) && rows.some((r) => r.cells.some((c) => c.best)));
  }
});

test('two axes: the title stacks one line per axis inside the \\multirow', () => {
  const two = study({
    axes: [
      { path: 'unlearning.methods[fedmemeraser].rho', values: [0.4] },
      { path: 'partition.alpha', values: [0.1, 1] },
    ],
  });
  const results = alphaResults.map((r, i) => ({
    ...r,
    cellKey: `rho=0.4|alpha=${[0.1, 1][i]}`,
    values: [0.4, [0.1, 1][i]],
  }));
  const text = tex(buildStudyTable(two, results));
  assert.match(
    text,
    /\\multirow\{8\}\{\*\}\{\\begin\{tabular\}\{@\{\}l@\{\}\}\$\\rho\$ = 0\.4\\\\\$\\alpha\$ = 0\.1\\end\{tabular\}\} & Fine-tune/,
  );
  assert.match(text, /\n\$\\rho\$, \$\\alpha\$ & Method & /);
});

test('flat: the parameter heads the first column; rows are its values, then the rows it does not change', () => {
  const t = buildStudyTable(rhoStudy, rhoResults);
  const text = tex(t);
  assert.match(text, /\(flat layout\)/);
  assert.match(text, /\\begin\{tabular\}\{@\{\}lrrrrr@\{\}\}/);
  assert.match(text, /\n\$\\rho\$ & \{\\scriptsize \(50,100\]\}/);
  const labels = bodyRows(text)
    .filter((l) => /^[^ \\]/.test(l))
    .map((l) => l.split(' & ')[0]);
  assert.deepEqual(labels, ['0.2', '0.4', 'Fine-tune', 'Retrained baseline']);
  assert.match(text, /\\midrule\nFine-tune/);
  assert.match(text, /\\midrule\nRetrained baseline/);
  assert.match(
    text,
    /FedMemEraser for each value of \$\\rho\$ \(one row each\), then the rows \$\\rho\$ does not change/,
  );
  assert.match(text, /n = 2 seeds \$\\times\$ 2 repeats = 4/);
  assert.match(text, /Fine-tune, Retrained baseline do not depend on \$\\rho\$/);
});

test('LaTeX options: table, scriptsize, scaled, fewer columns, no std, no delta', () => {
  const text = tex(buildStudyTable(alphaStudy, alphaResults), {
    float: 'table',
    fontSize: 'scriptsize',
    scaleToWidth: true,
    columns: ['groups', 'test'],
    std: false,
    delta: false,
  });
  assert.match(text, /% needs \\usepackage\{booktabs,multirow,graphicx\}/);
  assert.match(text, /\\begin\{table\}\[t\]\n\\centering\n\\scriptsize/);
  assert.match(text, /\\resizebox\{\\linewidth\}\{!\}\{%\n\\begin\{tabular\}\{@\{\}llrrr@\{\}\}/);
  // One line per row now: three rows per block.
  assert.match(text, /\\multirow\{3\}\{\*\}\{\$\\alpha\$ = 0\.1\}/);
  assert.doesNotMatch(text, /\\pm\$\d|rlap\{\)\}|Fairness/);
  assert.match(text, /\\end\{table\}\n$/);
});

test('summary CSV: one line per table row with block, axis values and per measure mean, std, n, delta, p', () => {
  const t = buildStudyTable(alphaStudy, alphaResults);
  const csv = toCsv(studySummaryTable(t)).trim().split('\n');
  const header = csv[0].split(',');
  assert.deepEqual(header.slice(0, 9), [
    'block',
    'alpha',
    'row',
    'row_key',
    'kind',
    'reference',
    'runs',
    'n',
    'group_50_100_acc_pct_mean',
  ]);
  assert.deepEqual(header.slice(9, 13), [
    'group_50_100_acc_pct_std',
    'group_50_100_acc_pct_n',
    'group_50_100_acc_pct_delta',
    'group_50_100_acc_pct_p',
  ]);
  assert.ok(
    header.includes('test_acc_pct_p') &&
      !header.includes('test_acc_pct_delta') &&
      header.includes('fairness_sum_e3_mean'),
  );
  assert.equal(csv.length, 1 + 6);
  const line = (i: number) => Object.fromEntries(csv[i].split(',').map((v, k) => [header[k], v]));
  const ft = line(1);
  assert.deepEqual(
    [ft.block, ft.alpha, ft.row, ft.kind, ft.reference, ft.runs, ft.n],
    ['α = 0.1', '0.1', 'Fine-tune', 'method', '0', '1', '2'],
  );
  assert.ok(Math.abs(Number(ft.group_50_100_acc_pct_mean) - 10.5) < 1e-9);
  assert.ok(Math.abs(Number(ft.group_50_100_acc_pct_delta) - 40) < 1e-9);
  assert.ok(Math.abs(Number(ft.test_acc_pct_p) - (1 - 2 / Math.sqrt(5))) < 1e-12);
  const ref = line(3);
  assert.deepEqual([ref.reference, ref.group_50_100_acc_pct_delta, ref.group_50_100_acc_pct_p], ['1', '', '']);
  assert.match(toJson(studySummaryTable(t)), /"name": "study-summary"/);
});

test('runs CSV: one line per (run, report row), with the axis columns, seed and every measure', () => {
  const csv = toCsv(studyRunsTable(rhoStudy, [...rhoResults].reverse()))
    .trim()
    .split('\n');
  const header = csv[0].split(',');
  assert.deepEqual(header.slice(0, 9), [
    'rho',
    'seed_index',
    'seed',
    'run_id',
    'cell_key',
    'row',
    'row_key',
    'kind',
    'repeats',
  ]);
  for (const k of [
    'group_50_100_acc_pct_mean',
    'group_0_50_acc_pct_mean',
    'unlearn_acc_pct_mean',
    'test_acc_pct_mean',
    'fairness_sum_e3_mean',
    'fairness_mean_e3_mean',
    'wall_seconds_mean',
  ])
    assert.ok(header.includes(k), k);
  // 4 runs x 4 report rows (the original included), in the study's order whatever order they came in.
  assert.equal(csv.length, 1 + 4 * 4);
  const line = (i: number) => Object.fromEntries(csv[i].split(',').map((v, k) => [header[k], v]));
  assert.deepEqual(
    [line(1).rho, line(1).seed_index, line(1).seed, line(1).row, line(1).kind],
    ['0.2', '0', '7', 'Original', 'original'],
  );
  const fme = line(7);
  assert.deepEqual(
    [fme.rho, fme.seed, fme.run_id, fme.row, fme.repeats],
    ['0.2', '8', 'run-rho=0.2-1', 'FedMemEraser', '2'],
  );
  assert.ok(Math.abs(Number(fme.group_50_100_acc_pct_mean) - 30) < 1e-9, 'mean of 0.2 and 0.4');
  assert.equal(Number(fme.wall_seconds_mean), 12);
  assert.deepEqual([...new Set(csv.slice(1).map((l, i) => line(i + 1).rho))], ['0.2', '0.4']);
});
