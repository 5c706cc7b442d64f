/** Test accuracy per round, one line per stage (original training, each retraining, each method). */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import { BASELINE_COLOR, baseOption, percent, percentAxisLabel, stageLabel } from './common';

export interface RoundPoint {
  stage: string;
  round: number;
  testAccuracy: number | null;
}

/** Stages in the order they first appear; rounds sorted and de-duplicated (a replayed event wins). */
export function groupRounds(rounds: RoundPoint[]): Map<string, Map<number, number | null>> {
  const byStage = new Map<string, Map<number, number | null>>();
  for (const r of rounds) {
    let m = byStage.get(r.stage);
    if (!m) byStage.set(r.stage, (m = new Map()));
    m.set(r.round, r.testAccuracy);
  }
  return byStage;
}

export function buildLiveCurveOption(rounds: RoundPoint[]): EChartsOption {
  const series: LineSeriesOption[] = [...groupRounds(rounds)].map(([stage, points]) => ({
    type: 'line',
    name: stageLabel(stage),
    showSymbol: points.size <= 50,
    connectNulls: false,
    data: [...points].sort((a, b) => a[0] - b[0]).map(([round, acc]) => [round, acc]),
    ...(stage.startsWith('retrain') ? { lineStyle: { type: 'dashed' }, itemStyle: { color: BASELINE_COLOR } } : {}),
  }));
  return {
    ...baseOption('Test accuracy per round'),
    animation: false,
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => percent(v as number | null) },
    xAxis: { type: 'value', name: 'Round', nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 0 },
    yAxis: { type: 'value', nameLocation: 'middle', nameGap: 46, name: 'Test accuracy', axisLabel: { formatter: percentAxisLabel }, scale: true },
    series,
  };
}
