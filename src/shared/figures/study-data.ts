/**
 * What the study charts read out of a study's results (issue 11): which report row the study sweeps,
 * a metric's per-repeat values in a row, and mean ± sample std over the pooled values of a cell.
 * Pure; rows are matched across runs by their label, the name people pick them by.
 */
import { axisLabel, axisMethodRow, axisValueText, type AxisValue, type Study } from '../study';
import type { StudyRunResult } from '../study-types';
import type { ReportRow, Stat, UnlearningReport } from '../results';
import { meanStd, type Summary } from './common';

/** 'group:<i>': accuracy on GME group i (0 = the top group); the rest as in the report's columns. */
export type StudyMetric = `group:${number}` | 'unlearn' | 'test' | 'fairness' | 'wall';

export const isAccuracyMetric = (m: StudyMetric) => m !== 'fairness' && m !== 'wall';

/** The metric's Stat in one row; the fairness variant is the one the run's report chose. */
export function metricStat(report: UnlearningReport, row: ReportRow, metric: StudyMetric): Stat | null | undefined {
  if (metric.startsWith('group:')) return row.groupAccuracy[Number(metric.slice(6))];
  if (metric === 'unlearn') return row.unlearnAccuracy;
  if (metric === 'test') return row.testAccuracy;
  if (metric === 'wall') return row.wallSeconds;
  return report.fairness === 'mean' ? row.fairnessMean : row.fairnessSum;
}

export function metricName(metric: StudyMetric, results: StudyRunResult[]): string {
  if (metric.startsWith('group:')) {
    const g = Number(metric.slice(6));
    return `Accuracy on group ${results[0]?.report.groups[g]?.label ?? g + 1}`;
  }
  if (metric === 'unlearn') return 'Accuracy on D_u';
  if (metric === 'test') return 'Test accuracy';
  if (metric === 'wall') return 'Unlearning time (s)';
  return `Fairness (${results[0]?.report.fairness ?? 'sum'})`;
}

export const findRow = (report: UnlearningReport, label: string) => report.rows.find((r) => r.label === label);

/** Labels of the rows of the given kinds across all runs, in the order they first appear. */
export function rowLabels(results: StudyRunResult[], kinds: ReportRow['kind'][]): string[] {
  const seen = new Set<string>();
  for (const r of results) for (const row of r.report.rows) if (kinds.includes(row.kind)) seen.add(row.label);
  return [...seen];
}

/**
 * The report row whose config the study varies: the `row` asked for; else the method entry the axis
 * paths name (when they name exactly one); else the only method row. Null when several method rows
 * could be meant (e.g. an axis on training.lr with two methods): the caller asks the user for `row`.
 */
export function sweptRowLabel(study: Study, results: StudyRunResult[], row?: string): string | null {
  if (row !== undefined) return row;
  const named = new Set(
    study.axes.map((a) => axisMethodRow(study.base, a.path)).filter((l): l is string => l !== null),
  );
  if (named.size === 1) return [...named][0];
  const methods = rowLabels(results, ['method']);
  return named.size === 0 && methods.length === 1 ? methods[0] : null;
}

export type { Summary } from './common';

/** Mean ± std of every non-null value of the given Stats (each seed's repeats pooled); null if none. */
export function summarize(stats: (Stat | null | undefined)[]): Summary | null {
  return meanStd(stats.flatMap((s) => (s ? s.values : [])));
}

/** "rho=0.4": an axis value as legends name it (built from the axis, never parsed from a cell key). */
export const valueName = (study: Study, axis: number, v: AxisValue) =>
  `${axisLabel(study.axes[axis])}=${axisValueText(v)}`;

export const isNumericAxis = (values: AxisValue[]) => values.every((v) => typeof v === 'number');

/**
 * The runs of a cell: every result whose values match `values` on the axes given (undefined = any); lists match by
 * content.
 */
export const runsAt = (results: StudyRunResult[], values: (AxisValue | undefined)[]) =>
  results.filter((r) => values.every((v, i) => v === undefined || JSON.stringify(r.values[i]) === JSON.stringify(v)));

/** Minimal HTML escaping for tooltip text built from user labels. */
