/**
 * Table 1 as CSV: the numbers of the shared Table 1 model in plain columns (mean, std, delta apart),
 * and each measure's paired t-test p against the retrained reference with its Holm-adjusted `_p_holm`
 * (shared/paired-tests.ts; empty for the reference itself and below three repeats). Its LaTeX is latex-table1.ts.
 * Beside every mean, `_n` is the number of values behind it (repeats with a value) and `std` is empty below two,
 * as in the table: one value has no spread, and 0 would claim one. A group's `_size` is its number of examples
 * (mean over repeats; the percentile cut makes them equal unless ties moved them).
 */
import { collapsedRows } from '../../shared/collapse';
import { groupScoreRange } from '../../shared/gme-notes';
import type { UnlearningReport } from '../../shared/results';
import { holmAdjust } from '../../shared/paired-tests';
import { pairedP, spread, valueCount } from '../../shared/table1-stats';
import type { Table } from './table';

const pct = (v: number | null) => (v === null ? null : v * 100);
const milli = (v: number | null) => (v === null ? null : v * 1000);

/** The same numbers as plain CSV columns: percentages and fairness x10^-3, mean/std/delta/p separate. */
export function table1Csv(report: UnlearningReport): Table {
  const columns: Table['columns'] = [
    { key: 'method', label: 'method', type: 'string' },
    { key: 'kind', label: 'kind', type: 'string' },
  ];
  const add = (key: string) => columns.push({ key, label: key, type: 'number' });
  report.groups.forEach((g) => {
    ['mean', 'std', 'n', 'delta', 'p'].forEach((s) => add(`group_${g.lo}_${g.hi}_acc_pct_${s}`));
    ['size', 'score_min', 'score_max', 'placed_by_id', ...(g.noisy ? ['noisy'] : [])].forEach((s) =>
      add(`group_${g.lo}_${g.hi}_${s}`),
    );
  });
  ['mean', 'std', 'n', 'delta', 'p'].forEach((s) => add(`unlearn_acc_pct_${s}`));
  ['mean', 'std', 'n', 'p'].forEach((s) => add(`test_acc_pct_${s}`));
  ['mean', 'std', 'n', 'p'].forEach((s) => add(`fairness_sum_e3_${s}`));
  ['mean', 'std', 'n', 'p'].forEach((s) => add(`fairness_mean_e3_${s}`));
  ['mean', 'std', 'n', 'p'].forEach((s) => add(`time_to_peak_s_${s}`));
  ['mean', 'std', 'n'].forEach((s) => add(`speedup_${s}`));
  // 1 for a method whose test accuracy fell more than 20 points below retraining's (shared/collapse.ts).
  add('collapsed');
  const ref = report.rows.find((r) => r.kind === 'retrained') ?? null;
  const collapsed = new Set(collapsedRows(report).map((c) => c.key));
  const rows = report.rows.map((r) => {
    const row: Record<string, string | number | null> = {
      method: r.label,
      kind: r.kind,
      collapsed: collapsed.has(r.key) ? 1 : 0,
    };
    const p = (pick: (x: typeof r) => Parameters<typeof pairedP>[0]) =>
      ref === null || r === ref ? null : pairedP(pick(r), pick(ref));
    report.groups.forEach((g, gi) => {
      const k = `group_${g.lo}_${g.hi}_acc_pct_`;
      row[k + 'mean'] = pct(r.groupAccuracy[gi].mean);
      row[k + 'std'] = pct(spread(r.groupAccuracy[gi]));
      row[k + 'n'] = valueCount(r.groupAccuracy[gi]);
      row[k + 'delta'] = pct(r.groupDelta[gi]);
      row[k + 'p'] = p((x) => x.groupAccuracy[gi] ?? null);
      // Group facts (the same on every row): examples, score range over all repeats; tie placements and
      // label-noise examples per repeat (means over repeats).
      const range = groupScoreRange(g);
      const perRepeat = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      row[`group_${g.lo}_${g.hi}_size`] = g.counts.length ? perRepeat(g.counts) : null;
      row[`group_${g.lo}_${g.hi}_score_min`] = range?.[0] ?? null;
      row[`group_${g.lo}_${g.hi}_score_max`] = range?.[1] ?? null;
      row[`group_${g.lo}_${g.hi}_placed_by_id`] = g.placedById ? perRepeat(g.placedById) : null;
      if (g.noisy) row[`group_${g.lo}_${g.hi}_noisy`] = perRepeat(g.noisy);
    });
    Object.assign(row, {
      unlearn_acc_pct_mean: pct(r.unlearnAccuracy.mean),
      unlearn_acc_pct_std: pct(spread(r.unlearnAccuracy)),
      unlearn_acc_pct_n: valueCount(r.unlearnAccuracy),
      unlearn_acc_pct_delta: pct(r.unlearnDelta),
      test_acc_pct_mean: pct(r.testAccuracy.mean),
      test_acc_pct_std: pct(spread(r.testAccuracy)),
      test_acc_pct_n: valueCount(r.testAccuracy),
      fairness_sum_e3_mean: milli(r.fairnessSum?.mean ?? null),
      fairness_sum_e3_std: milli(spread(r.fairnessSum ?? null)),
      fairness_sum_e3_n: valueCount(r.fairnessSum),
      fairness_mean_e3_mean: milli(r.fairnessMean?.mean ?? null),
      fairness_mean_e3_std: milli(spread(r.fairnessMean ?? null)),
      fairness_mean_e3_n: valueCount(r.fairnessMean),
      time_to_peak_s_mean: r.timeToPeakSeconds?.mean ?? null,
      time_to_peak_s_std: spread(r.timeToPeakSeconds ?? null),
      time_to_peak_s_n: valueCount(r.timeToPeakSeconds),
      unlearn_acc_pct_p: p((x) => x.unlearnAccuracy),
      test_acc_pct_p: p((x) => x.testAccuracy),
      fairness_sum_e3_p: p((x) => x.fairnessSum),
      fairness_mean_e3_p: p((x) => x.fairnessMean),
      time_to_peak_s_p: p((x) => x.timeToPeakSeconds),
      speedup_mean: r.speedup?.mean ?? null,
      speedup_std: spread(r.speedup ?? null),
      speedup_n: valueCount(r.speedup),
    });
    return row;
  });
  // Holm over every p of this CSV (each measure of each row): `_p_holm` beside each `_p`. The table on screen adjusts
  // over the cells it shows, so its family can be smaller.
  const pKeys = columns.map((c) => c.key).filter((k) => k.endsWith('_p'));
  const family = rows.flatMap((row) => pKeys.map((k) => ({ row, k })));
  const adjusted = holmAdjust(family.map(({ row, k }) => row[k] as number | null));
  family.forEach(({ row, k }, i) => (row[`${k}_holm`] = adjusted[i]));
  const withHolm = columns.flatMap((c) =>
    c.key.endsWith('_p') ? [c, { key: `${c.key}_holm`, label: `${c.key}_holm`, type: 'number' as const }] : [c],
  );
  return { name: 'table1', caption: 'Table 1 (plain numbers)', columns: withHolm, rows };
}
