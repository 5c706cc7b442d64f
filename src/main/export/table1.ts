/**
 * The paper's Table 1 layout from a run's report: rows are the methods and the retrained baseline
 * (plus the original model for reference), columns the GME groups, D_u accuracy, test accuracy and
 * local fairness (x10^-3). Cells print mean ± std over repeats with |Δ| to the retrained baseline in
 * parentheses; the best method per column is bold (smallest Δ, highest test accuracy, lowest
 * fairness). CSV carries the same numbers in plain columns.
 */
import { describeGroup, groupScoreRange, table1Notes } from '../../shared/gme-notes';
import { ROW_KIND_ORDER, type ReportRow, type Stat, type UnlearningReport } from '../../shared/results';
import type { Cell, Table } from './table';

const pct = (v: number | null) => (v === null ? null : v * 100);
const milli = (v: number | null) => (v === null ? null : v * 1000);

function pm(s: Stat | null, scale: (v: number | null) => number | null, delta?: number | null): string {
  if (!s || s.mean === null) return '--';
  const body = `${scale(s.mean)!.toFixed(2)} $\\pm$ ${scale(s.std)!.toFixed(2)}`;
  return delta === undefined || delta === null ? body : `${body} (${scale(delta)!.toFixed(2)})`;
}

/** Index of the best method row by `score` (lower is better unless `higher`); null if none. */
function best(rows: ReportRow[], score: (r: ReportRow) => number | null, higher = false): string | null {
  let key: string | null = null;
  let bestValue = 0;
  for (const r of rows) {
    if (r.kind !== 'method') continue;
    const v = score(r);
    if (v === null) continue;
    if (key === null || (higher ? v > bestValue : v < bestValue)) (key = r.key), (bestValue = v);
  }
  return key;
}

function fairnessOf(r: ReportRow, report: UnlearningReport): Stat | null {
  return report.fairness === 'sum' ? r.fairnessSum : r.fairnessMean;
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
  const rows = report.rows;
  const groupKeys = report.groups.map((_, p) => `g${p}`);
  const bestGroup = report.groups.map((_, p) => best(rows, (r) => r.groupDelta[p]));
  const bestDu = best(rows, (r) => r.unlearnDelta);
  const bestTest = best(rows, (r) => r.testAccuracy.mean, true);
  const bestFair = best(rows, (r) => fairnessOf(r, report)?.mean ?? null);
  const cell = (value: number | null, latex: string, bold: boolean): Cell => ({ value, latex, bold });
  return {
    name: 'table1',
    caption: 'Unlearning results in the layout of Table 1',
    captionLatex: describe(report),
    columns: [
      { key: 'method', label: 'Method', align: 'l' },
      ...report.groups.map((g, p) => ({ key: groupKeys[p], label: `Group ${g.label.replace(/%/g, '\\%')} ($n = ${g.counts[0]}$, $\\Delta\\downarrow$)` })),
      { key: 'du', label: 'Unlearning Acc. (\\%) ($\\Delta\\downarrow$)' },
      { key: 'test', label: 'Test Acc. (\\%) $\\uparrow$' },
      { key: 'fairness', label: 'Local Fairness ($10^{-3}$) $\\downarrow$' },
    ],
    rows: ROW_KIND_ORDER.flatMap((k) => rows.filter((r) => r.kind === k)).map((r) => ({
      method: r.label,
      ...Object.fromEntries(
        report.groups.map((_, p) => [groupKeys[p], cell(pct(r.groupAccuracy[p].mean), pm(r.groupAccuracy[p], pct, r.groupDelta[p]), bestGroup[p] === r.key)]),
      ),
      du: cell(pct(r.unlearnAccuracy.mean), pm(r.unlearnAccuracy, pct, r.unlearnDelta), bestDu === r.key),
      test: cell(pct(r.testAccuracy.mean), pm(r.testAccuracy, pct), bestTest === r.key),
      fairness: cell(milli(fairnessOf(r, report)?.mean ?? null), pm(fairnessOf(r, report), milli), bestFair === r.key),
    })),
    note: [
      `Local fairness shows the ${report.fairness === 'sum' ? "sum over remaining clients (the paper's Appendix E.2)" : "mean over remaining clients (the authors' code)"}. The original model is shown for reference.`,
      `Groups: ${report.groups.map((g) => `${g.label} ${describeGroup(g, 2)}`).join('; ')}.`,
      ...table1Notes(report),
    ].join(' '),
  };
}

/** The same numbers as plain CSV columns: percentages and fairness x10^-3, mean/std/delta separate. */
export function table1Csv(report: UnlearningReport): Table {
  const columns: Table['columns'] = [
    { key: 'method', label: 'method' },
    { key: 'kind', label: 'kind' },
  ];
  const add = (key: string) => columns.push({ key, label: key });
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
