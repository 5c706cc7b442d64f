/**
 * Compare view: test accuracy per round of several runs on one chart. Each run has its own colour and
 * its own dash so runs stay apart in print (greyscale) too; within a run, stages (the original
 * training and each method's unlearning) differ by marker. Only the first repeat's stages are drawn
 * (stages like 'unlearn:x@1' are left out), and retrained reference models are left out: they are
 * the same kind of curve as the original and would double the lines.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import { parseStageId, stageId } from '../stages';
import { baseOption, percent, percentAxisLabel, PALETTE, stageLabel } from './common';
import { groupRounds, type RoundPoint } from './live-curve';

export interface CompareRun {
  name: string;
  rounds: RoundPoint[];
}

/** One dash per run (ECharts takes a keyword or a [dash, gap, ...] pattern); at most 6 runs are compared. */
export const RUN_DASHES: ('solid' | 'dashed' | 'dotted' | number[])[] = [
  'solid',
  'dashed',
  'dotted',
  [10, 3, 2, 3],
  [2, 6],
  [14, 4, 4, 4],
];
export const STAGE_SYMBOLS = ['circle', 'triangle', 'rect', 'diamond', 'roundRect', 'pin', 'arrow'];

/** Stage ids drawn for a run: the original training and each method's first repeat, original first. */
export function comparedStages(rounds: RoundPoint[]): string[] {
  const stages = [...groupRounds(rounds).keys()].filter((s) => {
    const ref = parseStageId(s);
    return ref !== null && ref.repeat === 0 && (ref.role === 'original' || ref.role === 'unlearn');
  });
  const original = stageId({ role: 'original', repeat: 0 });
  return stages.sort((a, b) => Number(b === original) - Number(a === original));
}

/** Run names made distinct (a second "quick" becomes "quick (2)") so legend entries never merge. */
export function distinctNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}

export function buildCompareCurveOption(runs: CompareRun[]): EChartsOption {
  const names = distinctNames(runs.map((r) => r.name));
  // Markers by stage label across all runs, so "FedMemEraser" has the same marker in every run.
  const symbols = new Map<string, string>();
  const series: LineSeriesOption[] = runs.flatMap((run, i) => {
    const color = PALETTE[i % PALETTE.length];
    const grouped = groupRounds(run.rounds);
    return comparedStages(run.rounds).map((stage): LineSeriesOption => {
      const label = stageLabel(stage);
      if (!symbols.has(label)) symbols.set(label, STAGE_SYMBOLS[symbols.size % STAGE_SYMBOLS.length]);
      const points = grouped.get(stage)!;
      return {
        type: 'line',
        name: `${names[i]} · ${label}`,
        symbol: symbols.get(label),
        symbolSize: 7,
        showSymbol: points.size <= 50,
        connectNulls: false,
        itemStyle: { color },
        lineStyle: { color, type: RUN_DASHES[i % RUN_DASHES.length], width: 2 },
        data: [...points].sort((a, b) => a[0] - b[0]).map(([round, acc]) => [round, acc]),
      };
    });
  });
  const base = baseOption('Test accuracy per round, runs overlaid');
  return {
    ...base,
    animation: false,
    // Legends wrap rather than page: every run · stage stays visible (and in exported figures).
    legend: { type: 'plain', bottom: 0, left: 'center', itemWidth: 28 },
    grid: { ...(base.grid as object), bottom: 40 + 22 * Math.ceil(series.length / 3) },
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => percent(v as number | null) },
    xAxis: { type: 'value', name: 'Round', nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 0 },
    yAxis: {
      type: 'value',
      nameLocation: 'middle',
      nameGap: 46,
      name: 'Test accuracy',
      axisLabel: { formatter: percentAxisLabel },
      scale: true,
    },
    series,
  };
}
