/**
 * Train and test loss per round, two lines per stage: train solid, test dashed, both in the stage's
 * method colour (methodStyle), so a method reads the same here as in every other chart of the run.
 * Zoomable on the round axis; optionally smoothed (EMA), with raw values kept in the tooltip.
 * With repeats, 'mean' draws each stage's mean train and test loss with a ± std band (the per-round
 * chart's rule, live-curve.ts); 'each' a pair of lines per repeat.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import {
  bandOverRepeats,
  bandTooltip,
  baseOption,
  meanBandSeries,
  methodStyle,
  roleOfStage,
  stageLabel,
  withLegend,
  type Summary,
} from './common';
import { byBaseStage, firstRepeatStage, groupRounds, methodsOfStages } from './live-curve';
import { roundZoom, smoothedPoints, smoothedTooltip } from './smooth';

export interface LossPoint {
  stage: string;
  round: number;
  trainLoss: number | null;
  testLoss: number | null;
}

export interface LossChartOptions {
  /** The run's method labels in report order (methodOrder); default: methods in order of appearance. */
  methods?: readonly string[];
  /** EMA weight 0–0.95 for the per-repeat lines; 0 (default) draws the raw values. */
  smoothing?: number;
  /** 'each' (default): lines per repeat; 'mean': mean ± std over repeats when there are several. */
  repeats?: 'each' | 'mean';
}

const KINDS = [
  { kind: 'train', line: 'solid', width: 2 },
  { kind: 'test', line: 'dashed', width: 1.5 },
] as const;

const fmtLoss = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(4));

export function buildLossChartOption(rounds: readonly LossPoint[], opts: LossChartOptions = {}): EChartsOption {
  const grouped = groupRounds(rounds as LossPoint[], (r) => r);
  const methods = opts.methods ?? methodsOfStages(grouped.keys());
  const styleOf = (stage: string) => methodStyle(stageLabel(firstRepeatStage(stage)), methods, roleOfStage(stage));
  const lossOf = (p: LossPoint, kind: 'train' | 'test') => (kind === 'train' ? p.trainLoss : p.testLoss);
  const bases = byBaseStage(grouped);
  const summaries = new Map<string, (Summary | null)[]>();
  let series: LineSeriesOption[];
  if (opts.repeats === 'mean' && [...bases.values()].some((list) => list.length > 1)) {
    series = [...bases].flatMap(([base, repeats], k) =>
      KINDS.flatMap(({ kind, line, width }) => {
        const { xs, summaries: sums } = bandOverRepeats(
          repeats.map((m) => new Map([...m].map(([round, p]) => [round, lossOf(p, kind)]))),
        );
        summaries.set(`${k}:${kind}`, sums);
        return meanBandSeries(
          {
            key: `${k}:${kind}`,
            name: `${stageLabel(base)} · ${kind}`,
            style: { ...styleOf(base), lineType: line },
            summaries: sums,
            at: (i, y) => [xs[i], y],
          },
          { showSymbol: xs.length <= 50, lineStyle: { color: styleOf(base).color, type: line, width } },
        );
      }),
    );
  } else {
    series = [...grouped].flatMap(([stage, points]) => {
      const style = styleOf(stage);
      const sorted = [...points.values()].sort((a, b) => a.round - b.round);
      return KINDS.map(({ kind, line, width }) => ({
        type: 'line' as const,
        name: `${stageLabel(stage)} · ${kind}`,
        showSymbol: sorted.length <= 50,
        symbol: style.symbol,
        connectNulls: false,
        data: smoothedPoints(
          sorted.map((p) => [p.round, lossOf(p, kind)]),
          opts.smoothing ?? 0,
        ),
        itemStyle: { color: style.color },
        lineStyle: { color: style.color, type: line, width },
      }));
    });
  }
  const base = baseOption('Train and test loss per round');
  return withLegend({
    ...base,
    ...(summaries.size
      ? {
          title: { ...(base.title as object), subtext: 'mean ± sample std over repeats' },
          grid: { ...(base.grid as object), top: 64 },
        }
      : {}),
    animation: false,
    tooltip: {
      trigger: 'axis',
      confine: true,
      formatter: summaries.size ? bandTooltip(summaries, fmtLoss) : smoothedTooltip(fmtLoss),
    },
    xAxis: { type: 'value', name: 'Round', nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 0 },
    yAxis: { type: 'value', name: 'Loss', nameLocation: 'middle', nameGap: 46, scale: true },
    dataZoom: roundZoom(),
    series,
  });
}
