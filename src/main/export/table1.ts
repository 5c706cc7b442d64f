/**
 * Table 1 as LaTeX and CSV. LaTeX renders the shared Table 1 model (shared/table1-model.ts: rows,
 * cells, which cell is best, notes), so it bolds exactly what the app's table bolds; cells print
 * mean ± std over repeats with |Δ| to the reference in parentheses. CSV carries the same numbers in
 * plain columns.
 */
import { fixed } from '../../shared/format';
import { describeGroup, groupScoreRange } from '../../shared/gme-notes';
import type { UnlearningReport } from '../../shared/results';
import { buildTable1, type Table1Cell, type Table1Column } from '../../shared/table1-model';
import type { Cell, Table } from './table';

const pct = (v: number | null) => (v === null ? null : v * 100);
const milli = (v: number | null) => (v === null ? null : v * 1000);

/** "12.34 $\pm$ 0.56 (7.89)": the model's numbers in LaTeX; "--" for an empty cell. */
function latexCell(cell: Table1Cell, scale: number): string {
  if (cell.mean === null) return '--';
  const body = `${fixed(cell.mean, scale)} $\\pm$ ${fixed(cell.std ?? 0, scale)}`;
  return cell.deltaValue === null ? body : `${body} (${fixed(cell.deltaValue, scale)})`;
}

const OTHER_LABELS: Record<string, string> = {
  unlearn: 'Unlearning Acc. (\\%) ($\\Delta\\downarrow$)',
  test: 'Test Acc. (\\%) $\\uparrow$',
  fairness: 'Local Fairness ($10^{-3}$) $\\downarrow$',
};

function latexColumnLabel(col: Table1Column): string {
  if (col.info) return `Group ${col.info.label.replace(/%/g, '\\%')} ($n = ${col.info.counts[0]}$, $\\Delta\\downarrow$)`;
  return OTHER_LABELS[col.key] ?? col.label;
}

function describe(report: UnlearningReport): string {
  const who =
    report.request.kind === 'clients'
      ? `client${report.request.clients!.length > 1 ? 's' : ''} ${report.request.clients!.join(', ')}`
      : report.request.kind === 'class'
        ? `class ${report.request.class}`
        : `${report.request.examples} examples`;
  const K = report.referenceModels ?? 0;
  const ref = K > 0 ? `$K = ${K}$ held-out retrained models` : `the retrained baseline ($J = ${report.retrainModels}$)`;
  return `Unlearning ${who}: accuracy (\\%) by memorization-score group of $D_u$, on $D_u$ and on the test set, and local fairness; mean $\\pm$ std over ${report.repeats} repeat(s), $|\\Delta|$ to ${ref} in parentheses.`;
}

export function table1(report: UnlearningReport): Table {
  const model = buildTable1(report);
  return {
    name: 'table1',
    caption: 'Unlearning results in the layout of Table 1',
    captionLatex: describe(report),
    columns: [{ key: 'method', label: 'Method', type: 'string', align: 'l' }, ...model.columns.map((c) => ({ key: c.key, label: latexColumnLabel(c), type: 'number' as const }))],
    rows: model.rows.map((r) => ({
      method: r.label,
      ...Object.fromEntries(
        r.cells.map((cell, c): [string, Cell] => {
          const col = model.columns[c];
          return [col.key, { value: cell.mean === null ? null : cell.mean * col.scale, latex: latexCell(cell, col.scale), bold: cell.best }];
        }),
      ),
    })),
    note: [
      `Local fairness shows the ${report.fairness === 'sum' ? "sum over remaining clients (the paper's Appendix E.2)" : "mean over remaining clients (the authors' code)"}. The original model is shown for reference.`,
      `Groups: ${report.groups.map((g) => `${g.label} ${describeGroup(g, 2)}`).join('; ')}.`,
      ...model.notes,
    ].join(' '),
  };
}

/** The same numbers as plain CSV columns: percentages and fairness x10^-3, mean/std/delta separate. */
export function table1Csv(report: UnlearningReport): Table {
  const columns: Table['columns'] = [
    { key: 'method', label: 'method', type: 'string' },
    { key: 'kind', label: 'kind', type: 'string' },
  ];
  const add = (key: string) => columns.push({ key, label: key, type: 'number' });
  report.groups.forEach((g) => {
    ['mean', 'std', 'delta', 'count'].forEach((s) => add(`group_${g.lo}_${g.hi}_acc_pct_${s}`));
    ['score_min', 'score_max', 'placed_by_id', ...(g.noisy ? ['noisy'] : [])].forEach((s) => add(`group_${g.lo}_${g.hi}_${s}`));
  });
  ['mean', 'std', 'delta'].forEach((s) => add(`unlearn_acc_pct_${s}`));
  ['mean', 'std'].forEach((s) => add(`test_acc_pct_${s}`));
  ['mean', 'std'].forEach((s) => add(`fairness_sum_e3_${s}`));
  ['mean', 'std'].forEach((s) => add(`fairness_mean_e3_${s}`));
  ['mean', 'std'].forEach((s) => add(`time_to_peak_s_${s}`));
  ['mean', 'std'].forEach((s) => add(`speedup_${s}`));
  const rows = report.rows.map((r) => {
    const row: Record<string, string | number | null> = { method: r.label, kind: r.kind };
    report.groups.forEach((g, p) => {
      const k = `group_${g.lo}_${g.hi}_acc_pct_`;
      row[k + 'mean'] = pct(r.groupAccuracy[p].mean);
      row[k + 'std'] = pct(r.groupAccuracy[p].std);
      row[k + 'delta'] = pct(r.groupDelta[p]);
      row[k + 'count'] = g.counts[0];
      // Group facts (the same on every row): score range over all repeats; tie placements and
      // label-noise examples per repeat (mean over repeats, like the count of one repeat).
      const range = groupScoreRange(g);
      const perRepeat = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      row[`group_${g.lo}_${g.hi}_score_min`] = range?.[0] ?? null;
      row[`group_${g.lo}_${g.hi}_score_max`] = range?.[1] ?? null;
      row[`group_${g.lo}_${g.hi}_placed_by_id`] = g.placedById ? perRepeat(g.placedById) : null;
      if (g.noisy) row[`group_${g.lo}_${g.hi}_noisy`] = perRepeat(g.noisy);
    });
    Object.assign(row, {
      unlearn_acc_pct_mean: pct(r.unlearnAccuracy.mean),
      unlearn_acc_pct_std: pct(r.unlearnAccuracy.std),
      unlearn_acc_pct_delta: pct(r.unlearnDelta),
      test_acc_pct_mean: pct(r.testAccuracy.mean),
      test_acc_pct_std: pct(r.testAccuracy.std),
      fairness_sum_e3_mean: milli(r.fairnessSum?.mean ?? null),
      fairness_sum_e3_std: milli(r.fairnessSum?.std ?? null),
      fairness_mean_e3_mean: milli(r.fairnessMean?.mean ?? null),
      fairness_mean_e3_std: milli(r.fairnessMean?.std ?? null),
      time_to_peak_s_mean: r.timeToPeakSeconds?.mean ?? null,
      time_to_peak_s_std: r.timeToPeakSeconds?.std ?? null,
      speedup_mean: r.speedup?.mean ?? null,
      speedup_std: r.speedup?.std ?? null,
    });
    return row;
  });
  return { name: 'table1', caption: 'Table 1 (plain numbers)', columns, rows };
}
