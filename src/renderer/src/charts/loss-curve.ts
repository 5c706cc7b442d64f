/**
 * Train and test loss per round, two lines per stage: train solid, test dashed, both in the stage's
 * method colour (methodStyle), so a method reads the same here as in every other chart of the run.
 * Zoomable on the round axis; optionally smoothed (EMA), with raw values kept in the tooltip.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import { baseOption, methodStyle, roleOfStage, stageLabel, withLegend } from './common';
import { firstRepeatStage, groupRounds, methodsOfStages } from './live-curve';
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
  /** EMA weight 0–0.95; 0 (default) draws the raw values. */
  smoothing?: number;
}

const fmtLoss = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(4));

export function buildLossChartOption(rounds: readonly LossPoint[], opts: LossChartOptions = {}): EChartsOption {
  const grouped = groupRounds(rounds as LossPoint[], (r) => r);
  const methods = opts.methods ?? methodsOfStages(grouped.keys());
  const series: LineSeriesOption[] = [...grouped].flatMap(([stage, points]) => {
    const style = methodStyle(stageLabel(firstRepeatStage(stage)), methods, roleOfStage(stage));
    const sorted = [...points.values()].sort((a, b) => a.round - b.round);
    return (['train', 'test'] as const).map((kind) => ({
      type: 'line' as const,
      name: `${stageLabel(stage)} · ${kind}`,
      showSymbol: sorted.length <= 50,
      symbol: style.symbol,
      connectNulls: false,
      data: smoothedPoints(sorted.map((p) => [p.round, kind === 'train' ? p.trainLoss : p.testLoss]), opts.smoothing ?? 0) as LineSeriesOption['data'],
      itemStyle: { color: style.color },
      lineStyle: { color: style.color, type: kind === 'train' ? ('solid' as const) : ('dashed' as const), width: kind === 'train' ? 2 : 1.5 },
    }));
  });
  return withLegend({
    ...baseOption('Train and test loss per round'),
    animation: false,
    tooltip: { trigger: 'axis', confine: true, formatter: smoothedTooltip(fmtLoss) },
    xAxis: { type: 'value', name: 'Round', nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 0 },
    yAxis: { type: 'value', name: 'Loss', nameLocation: 'middle', nameGap: 46, scale: true },
    dataZoom: roundZoom(),
    series,
  });
}
