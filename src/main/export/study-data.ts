/**
 * A study's tables as data (table.ts), written by data-files.ts as CSV and JSON: the summary (the
 * numbers of the study-table model in plain columns, as table1Csv does for Table 1) and every run of
 * the study with one line per report row. Percentages and fairness ×10^-3, as the tables print them;
 * p-values as they are.
 */
import { axisLabel, axisValueText, studyCells, studySeed, type AxisValue, type Study } from '../../shared/study';
import type { StudyTable } from '../../shared/study-table';
import type { StudyRunResult } from '../../shared/study-types';
import type { GroupInfo, ReportRow, Stat } from '../../shared/results';
import type { Table1Column } from '../../shared/table1-model';
import { dataColumn, textColumn, type CellValue, type Table } from './table';

type Row = Record<string, CellValue>;

/** Fixed columns an axis must not shadow (an axis labelled "n" becomes "axis_n"). */
const RESERVED = new Set([
  'block',
  'row',
  'row_key',
  'kind',
  'reference',
  'runs',
  'n',
  'seed_index',
  'seed',
  'run_id',
  'cell_key',
  'repeats',
]);

/**
 * One column per axis, keyed by its label. Numbers (and yes/no as 1/0) stay numbers when every value
 * of the axis is one, so the column sorts and plots; mixed axes are text.
 */
function axisColumns(labels: string[], values: (AxisValue[] | null)[]) {
  return labels.map((label, i) => {
    const safe = label.replace(/[^A-Za-z0-9_]+/g, '_');
    const key = RESERVED.has(safe) ? `axis_${safe}` : safe;
    const numeric = values.every((v) => v === null || typeof v[i] === 'number' || typeof v[i] === 'boolean');
    const value = (v: AxisValue[] | null): CellValue =>
      v === null ? null : numeric ? Number(v[i]) : axisValueText(v[i]);
    return { column: dataColumn(key, { type: numeric ? 'number' : 'string' }), key, value };
  });
}

const groupKey = (g: Pick<GroupInfo, 'lo' | 'hi'>) => `group_${g.lo}_${g.hi}_acc_pct`;

/** A measure's column stem, in the units the table prints. */
function measureKey(c: Table1Column, fairness: string): string {
  if (c.info) return groupKey(c.info);
  return c.key === 'unlearn' ? 'unlearn_acc_pct' : c.key === 'test' ? 'test_acc_pct' : `fairness_${fairness}_e3`;
}

const scaled = (v: number | null, scale: number) => (v === null ? null : v * scale);

/**
 * One line per row of the study table: its block, axis values, row and per measure mean, std, n, |Δ| (Δ columns) and p.
 */
export function studySummaryTable(t: StudyTable, name = 'study-summary'): Table {
  const lines = t.blocks.flatMap((b) => b.rows.map((r) => ({ b, r })));
  const axes = axisColumns(
    t.axes.map((a) => a.label),
    lines.map(({ r }) => r.values),
  );
  const stems = t.columns.map((c) => measureKey(c, t.fairnessVariant));
  const stats = (c: Table1Column) => ['mean', 'std', 'n', ...(c.compares === 'delta' ? ['delta'] : []), 'p'];
  const columns: Table['columns'] = [
    textColumn('block', 'l'),
    ...axes.map((a) => a.column),
    textColumn('row', 'l'),
    textColumn('row_key', 'l'),
    textColumn('kind', 'l'),
    ...['reference', 'runs', 'n'].map((k) => dataColumn(k)),
    ...t.columns.flatMap((c, i) => stats(c).map((s) => dataColumn(`${stems[i]}_${s}`))),
  ];
  const rows = lines.map(({ b, r }) => {
    const row: Row = {
      block: b.title ?? '',
      row: r.label,
      row_key: r.rowKey,
      kind: r.kind,
      reference: r.reference ? 1 : 0,
      runs: r.runs,
      n: r.n,
    };
    axes.forEach((a) => (row[a.key] = a.value(r.values)));
    t.columns.forEach((c, i) => {
      const cell = r.cells[i];
      Object.assign(row, {
        [`${stems[i]}_mean`]: scaled(cell.mean, c.scale),
        [`${stems[i]}_std`]: scaled(cell.std, c.scale),
        [`${stems[i]}_n`]: cell.n,
        ...(c.compares === 'delta' ? { [`${stems[i]}_delta`]: scaled(cell.deltaValue, c.scale) } : {}),
        [`${stems[i]}_p`]: cell.p,
      });
    });
    return row;
  });
  const ref = t.reference.label ?? t.reference.key;
  return {
    name,
    caption: `Study summary (${t.layout} layout): mean, sample std and n pooled over seeds and repeats, |delta| and Welch p against ${ref}`,
    columns,
    rows,
    keyColumns: 2,
  };
}

/** Every run of the study, one line per report row, with the per-run means (over its repeats) of every measure. */
export function studyRunsTable(study: Study, results: StudyRunResult[], name = 'study-runs'): Table {
  // Cell order, then seed: the order the study expands in, whatever order the runs finished in.
  const order = new Map(studyCells(study).map((c, i) => [c.key, i]));
  const runs = [...results].sort(
    (a, b) => (order.get(a.cellKey) ?? Infinity) - (order.get(b.cellKey) ?? Infinity) || a.seedIndex - b.seedIndex,
  );
  const axes = axisColumns(
    study.axes.map(axisLabel),
    runs.map((r) => r.values),
  );
  // Groups by their bounds, over every run: a run with other groups (another evaluation config) still has columns.
  const groups = [...new Map(runs.flatMap((r) => r.report.groups.map((g) => [groupKey(g), g] as const))).values()];
  const m = (s: Stat | null | undefined, scale = 1) => scaled(s?.mean ?? null, scale);
  const columns: Table['columns'] = [
    ...axes.map((a) => a.column),
    dataColumn('seed_index'),
    dataColumn('seed'),
    textColumn('run_id', 'l'),
    textColumn('cell_key', 'l'),
    textColumn('row', 'l'),
    textColumn('row_key', 'l'),
    textColumn('kind', 'l'),
    dataColumn('repeats'),
    ...groups.flatMap((g) => [dataColumn(`${groupKey(g)}_mean`), dataColumn(`${groupKey(g)}_delta`)]),
    ...[
      'unlearn_acc_pct_mean',
      'unlearn_acc_pct_delta',
      'test_acc_pct_mean',
      'fairness_sum_e3_mean',
      'fairness_mean_e3_mean',
      'time_to_peak_s_mean',
      'wall_seconds_mean',
    ].map((k) => dataColumn(k)),
  ];
  const rows = runs.flatMap((run) =>
    run.report.rows.map((r: ReportRow) => {
      const row: Row = {
        seed_index: run.seedIndex,
        seed: studySeed(study, run.seedIndex),
        run_id: run.runId,
        cell_key: run.cellKey,
        row: r.label,
        row_key: r.key,
        kind: r.kind,
        repeats: run.report.repeats,
        unlearn_acc_pct_mean: m(r.unlearnAccuracy, 100),
        unlearn_acc_pct_delta: scaled(r.unlearnDelta, 100),
        test_acc_pct_mean: m(r.testAccuracy, 100),
        fairness_sum_e3_mean: m(r.fairnessSum, 1000),
        fairness_mean_e3_mean: m(r.fairnessMean, 1000),
        time_to_peak_s_mean: m(r.timeToPeakSeconds),
        wall_seconds_mean: m(r.wallSeconds),
      };
      axes.forEach((a) => (row[a.key] = a.value(run.values)));
      groups.forEach((g) => {
        const p = run.report.groups.findIndex((x) => groupKey(x) === groupKey(g));
        row[`${groupKey(g)}_mean`] = p < 0 ? null : m(r.groupAccuracy[p], 100);
        row[`${groupKey(g)}_delta`] = p < 0 ? null : scaled(r.groupDelta[p], 100);
      });
      return row;
    }),
  );
  return {
    name,
    caption: `Every run of ${study.name ? `study ${study.name}` : 'the study'}: one line per run and report row, means over the run's repeats`,
    columns,
    rows,
    keyColumns: study.axes.length + 1,
  };
}
