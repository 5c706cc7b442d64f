/**
 * Study charts (issue 11): a metric against the swept parameter with mean ± std bands, the
 * efficiency curves of Figures F1-F5 per swept value, and every run on parallel coordinates.
 * The swept parameter is the study's first axis; row and metric helpers are in study-data.ts.
 */
import type {
  EChartsOption,
  LineSeriesOption,
  ParallelSeriesOption,
  DefaultLabelFormatterCallbackParams,
} from 'echarts';
import type { ReportRow, Stat, UnlearningReport } from '../results';
import { axisLabel, axisValues, axisValueText, studyCells, type AxisValue, type Study } from '../study';
import type { StudyRunResult } from '../study-types';
import { parseStageId } from '../stages';
import {
  BASELINE_COLOR,
  bandTooltip,
  baseOption,
  meanBandSeries,
  methodStyle,
  PALETTE,
  percent,
  percentAxisLabel,
  withLegend,
  type MethodStyle,
} from './common';
import {
  findRow,
  isAccuracyMetric,
  isNumericAxis,
  metricName,
  metricStat,
  rowLabels,
  runsAt,
  summarize,
  sweptRowLabel,
  valueName,
  type StudyMetric,
  type Summary,
} from './study-data';

export interface StudyMetricOptions {
  metric: StudyMetric;
  /**
   * 'row': one line per report row (each method, then the retrained baseline) for `metric`.
   * 'group': one line per GME group of the swept row; the plotted value is then group accuracy,
   * whatever `metric` says.
   * With two grid axes both become one line per value of the second axis (times the group for
   * 'group'), for the swept row only; zipped axes move together, so they draw as one axis.
   */
  by: 'group' | 'row';
  /** The swept row's label when the study cannot tell it (several method rows; see sweptRowLabel). */
  row?: string;
}

interface Line {
  name: string;
  row: string;
  pick: (report: UnlearningReport, row: ReportRow) => Stat | null | undefined;
  second?: AxisValue;
  baseline: boolean;
}

const NO_ROW = 'Several method rows could be the swept one: choose a row';

function planLines(study: Study, results: StudyRunResult[], opts: StudyMetricOptions, swept: string | null): Line[] {
  // Zipped axes move together: the second adds no line of its own.
  const seconds: (AxisValue | undefined)[] =
    study.axes.length === 2 && study.combine === 'grid' ? axisValues(study.axes[1]) : [undefined];
  const suffix = (s: AxisValue | undefined) => (s === undefined ? [] : [valueName(study, 1, s)]);
  const byMetric = (report: UnlearningReport, row: ReportRow) => metricStat(report, row, opts.metric);
  if (opts.by === 'group') {
    if (swept === null) return [];
    return (results[0]?.report.groups ?? []).flatMap((g, i) =>
      seconds.map((s) => ({
        name: [g.label, ...suffix(s)].join(' · '),
        row: swept,
        pick: (_: UnlearningReport, row: ReportRow) => row.groupAccuracy[i],
        second: s,
        baseline: false,
      })),
    );
  }
  if (seconds[0] !== undefined) {
    if (swept === null) return [];
    return seconds.map((s) => ({ name: suffix(s).join(''), row: swept, pick: byMetric, second: s, baseline: false }));
  }
  // The retrained baseline last, as in the paper's tables.
  const rows = [...rowLabels(results, ['method']), ...rowLabels(results, ['retrained'])];
  const retrained = new Set(rowLabels(results, ['retrained']));
  return rows.map((label) => ({ name: label, row: label, pick: byMetric, baseline: retrained.has(label) }));
}

/** Mean line plus a band drawn as a stacked pair: an invisible lower bound, then the band's height on top. */
export function buildStudyMetricChart(
  study: Study,
  results: StudyRunResult[],
  opts: StudyMetricOptions,
): EChartsOption {
  const xs = axisValues(study.axes[0]);
  const numeric = isNumericAxis(xs);
  const swept = sweptRowLabel(study, results, opts.row);
  const lines = planLines(study, results, opts, swept);
  const accuracy = opts.by === 'group' || isAccuracyMetric(opts.metric);
  const summaries: (Summary | null)[][] = lines.map((line) =>
    xs.map((x) =>
      summarize(
        runsAt(results, [x, line.second]).map((r) => {
          const row = findRow(r.report, line.row);
          return row ? line.pick(r.report, row) : null;
        }),
      ),
    ),
  );
  // A value axis takes [x, y] pairs; a category axis takes y per category, in axis order.
  const at = (i: number, y: number | null) => (numeric ? [xs[i], y] : y);
  // Lines that are report rows take their method's style (methodStyle); groups and values take the palette in order.
  const methods = rowLabels(results, ['method']);
  const byRow = opts.by === 'row' && lines.every((l) => l.second === undefined);
  const styleOf = (line: Line, k: number): MethodStyle =>
    line.baseline
      ? methodStyle(line.row, methods, 'baseline')
      : byRow
        ? methodStyle(line.row, methods)
        : { color: PALETTE[k % PALETTE.length], symbol: 'emptyCircle', lineType: 'solid' };
  const series: LineSeriesOption[] = lines.flatMap((line, k) =>
    meanBandSeries({ key: k, name: line.name, style: styleOf(line, k), summaries: summaries[k], at }),
  );
  const fmt = accuracy
    ? (v: number) => percent(v)
    : opts.metric === 'wall'
      ? (v: number) => `${v.toFixed(1)} s`
      : (v: number) => v.toPrecision(3);
  const yName = opts.by === 'group' ? 'Accuracy on the group' : metricName(opts.metric, results);
  const title =
    opts.by === 'group'
      ? `GME group accuracy of ${swept ?? '?'} vs ${axisLabel(study.axes[0])}`
      : `${yName} vs ${axisLabel(study.axes[0])}`;
  const base = baseOption(title);
  return withLegend({
    ...base,
    title: {
      ...(base.title as object),
      subtext: lines.length === 0 && swept === null ? NO_ROW : 'mean ± sample std over seeds × repeats',
    },
    grid: { left: 64, right: 28, top: 72, bottom: 64 },
    tooltip: { trigger: 'axis', confine: true, formatter: (p) => metricTooltip(p, summaries, fmt) },
    xAxis: numeric
      ? {
          type: 'value',
          name: axisLabel(study.axes[0]),
          nameLocation: 'middle',
          nameGap: 28,
          min: 'dataMin',
          max: 'dataMax',
        }
      : {
          type: 'category',
          name: axisLabel(study.axes[0]),
          nameLocation: 'middle',
          nameGap: 28,
          data: xs.map(String),
          axisLabel: { interval: 0 },
        },
    yAxis: {
      type: 'value',
      name: yName,
      nameLocation: 'middle',
      nameGap: 46,
      scale: true,
      ...(accuracy ? { axisLabel: { formatter: percentAxisLabel } } : {}),
    },
    series,
  });
}

/** One row per line: mean ± std (n); the band's two helper series stay out of it. */
export function metricTooltip(
  params: DefaultLabelFormatterCallbackParams | DefaultLabelFormatterCallbackParams[],
  summaries: (Summary | null)[][],
  fmt: (v: number) => string,
): string {
  // The lines' band series are keyed by their index (meanBandSeries' `mean:<k>`).
  return bandTooltip(new Map(summaries.map((s, k) => [String(k), s])), fmt)(params);
}

const cellName = (study: Study, values: AxisValue[]) => values.map((v, i) => valueName(study, i, v)).join(', ');

/** The run of a cell whose curves are drawn: the lowest seed that recorded a time artifact. */
const firstTimed = (results: StudyRunResult[], values: AxisValue[]) =>
  runsAt(results, values)
    .filter((r) => r.time !== null)
    .sort((a, b) => a.seedIndex - b.seedIndex)[0];

/**
 * Figures F1-F5: test accuracy against seconds for the swept row, one line per cell (its first
 * seed's run), and one retrained curve (grey, dashed) from the first such run, as the reference.
 */
export function buildStudyEfficiencyChart(
  study: Study,
  results: StudyRunResult[],
  opts: { row?: string } = {},
): EChartsOption {
  const row = sweptRowLabel(study, results, opts.row);
  const series: LineSeriesOption[] = [];
  let reference: StudyRunResult | undefined;
  if (row !== null) {
    studyCells(study).forEach((cell, k) => {
      const run = firstTimed(results, cell.values);
      if (!run) return;
      reference ??= run;
      // Curves carry the row's stage; its label is the fallback for rows without one.
      const stage = findRow(run.report, row)?.key;
      const curve = run.time!.curves.find((c) => c.stage === stage) ?? run.time!.curves.find((c) => c.label === row);
      if (!curve) return;
      const color = PALETTE[k % PALETTE.length];
      series.push({
        type: 'line',
        name: cellName(study, cell.values),
        showSymbol: curve.points.length <= 40,
        data: curve.points.map((p) => [p.seconds, p.testAccuracy]),
        itemStyle: { color },
        lineStyle: { color },
      });
    });
  }
  const retrained = reference?.time!.curves.find((c) => parseStageId(c.stage)?.role === 'retrain');
  if (retrained) {
    series.push({
      type: 'line',
      name: 'Retrained',
      showSymbol: retrained.points.length <= 40,
      data: retrained.points.map((p) => [p.seconds, p.testAccuracy]),
      itemStyle: { color: BASELINE_COLOR },
      lineStyle: { color: BASELINE_COLOR, type: 'dashed' },
    });
  }
  const base = baseOption(`Test accuracy over time: ${row ?? '?'} per ${axisLabel(study.axes[0])}`);
  return withLegend({
    ...base,
    title: {
      ...(base.title as object),
      subtext: row === null ? NO_ROW : 'first seed of each cell; retrained from one run',
    },
    grid: { left: 64, right: 28, top: 72, bottom: 64 },
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => percent(v as number) },
    xAxis: { type: 'value', name: 'Training time (s)', nameLocation: 'middle', nameGap: 28, min: 0 },
    yAxis: {
      type: 'value',
      name: 'Test accuracy',
      nameLocation: 'middle',
      nameGap: 46,
      scale: true,
      axisLabel: { formatter: percentAxisLabel },
    },
    series,
  });
}

/**
 * Every run on parallel coordinates: the axes' values, then the swept row's top-group, D_u and test
 * accuracy and fairness (each the run's mean over repeats). One series per first-axis value, so the
 * colour and the legend say which value a line belongs to.
 */
export function buildStudyParallelChart(
  study: Study,
  results: StudyRunResult[],
  opts: { row?: string } = {},
): EChartsOption {
  const row = sweptRowLabel(study, results, opts.row);
  const lists = study.axes.map(axisValues);
  const numeric = lists.map(isNumericAxis);
  const top = results[0]?.report.groups[0]?.label;
  const metrics: { name: string; metric: StudyMetric }[] = [
    { name: top ? `Top group ${top}` : 'Top group', metric: 'group:0' },
    { name: 'D_u accuracy', metric: 'unlearn' },
    { name: 'Test accuracy', metric: 'test' },
    { name: metricName('fairness', results), metric: 'fairness' },
  ];
  const parallelAxis = [
    ...study.axes.map((a, i) =>
      numeric[i]
        ? { dim: i, name: axisLabel(a), type: 'value' as const, scale: true }
        : { dim: i, name: axisLabel(a), type: 'category' as const, data: lists[i].map(axisValueText) },
    ),
    // Accuracies on their whole 0-100% range, so lines compare at a glance; fairness fitted to its data.
    ...metrics.map((m, j) => ({
      dim: lists.length + j,
      name: m.name,
      type: 'value' as const,
      ...(isAccuracyMetric(m.metric)
        ? { min: 0, max: 1, axisLabel: { formatter: percentAxisLabel } }
        : { scale: true }),
    })),
  ];
  const lineOf = (r: StudyRunResult) => {
    const found = row === null ? undefined : findRow(r.report, row);
    return [
      ...r.values.map((v, i) => (numeric[i] ? (v as number) : axisValueText(v))),
      ...metrics.map((m) => (found ? (metricStat(r.report, found, m.metric)?.mean ?? null) : null)),
    ];
  };
  const series: ParallelSeriesOption[] =
    row === null
      ? []
      : lists[0].map((x, k) => ({
          type: 'parallel',
          name: valueName(study, 0, x),
          lineStyle: { color: PALETTE[k % PALETTE.length], width: 1.5, opacity: 0.8 },
          data: runsAt(results, [x]).map(lineOf),
        }));
  const option: EChartsOption = {
    ...baseOption(`Every run of the study: ${row ?? '?'}`),
    tooltip: { trigger: 'item', confine: true },
    parallel: { left: 64, right: 110, top: 72, bottom: 64 },
    parallelAxis,
    series,
  };
  // No cartesian grid here: the parallel component lays the chart out.
  delete option.grid;
  if (row === null) option.title = { ...(option.title as object), subtext: NO_ROW };
  return option;
}
