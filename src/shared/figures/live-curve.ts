/**
 * Test accuracy per round, one line per stage (original training, each retraining, each method).
 * With repeats, 'mean' draws each stage's mean over repeats with a ± std band; 'each' one line per
 * repeat, in its stage's style (the live view, and the switch on the results page).
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import { parseStageId, stageId } from '../stages';
import { roundZoom, smoothedPoints, smoothedTooltip } from './smooth';
import {
  bandOverRepeats,
  bandTooltip,
  baseOption,
  lineLook,
  meanBandSeries,
  methodStyle,
  percent,
  percentAxisLabel,
  roleOfStage,
  stageLabel,
  withLegend,
  type Summary,
} from './common';

export interface RoundPoint {
  stage: string;
  round: number;
  testAccuracy: number | null;
}

export interface RepeatOptions {
  /** The run's method labels in report order (methodOrder); default: the methods in order of appearance. */
  methods?: readonly string[];
  /** 'each' (default): a line per repeat; 'mean': mean ± std over repeats when there are several. */
  repeats?: 'each' | 'mean';
  /** EMA weight 0–0.95 for the per-repeat lines (the tooltip keeps the raw values); default 0. */
  smoothing?: number;
}

/** Stages in the order they first appear; rounds sorted and de-duplicated (a replayed event wins). */
export function groupRounds<T extends { stage: string; round: number }, V = number | null>(
  rounds: T[],
  value: (r: T) => V = (r) => (r as unknown as RoundPoint).testAccuracy as V,
): Map<string, Map<number, V>> {
  const byStage = new Map<string, Map<number, V>>();
  for (const r of rounds) {
    let m = byStage.get(r.stage);
    if (!m) byStage.set(r.stage, (m = new Map<number, V>()));
    m.set(r.round, value(r));
  }
  return byStage;
}

/** The stage id of the first repeat ('unlearn:x@2' -> 'unlearn:x'); ids this app did not make stay. */
export function firstRepeatStage(stage: string): string {
  const ref = parseStageId(stage);
  return ref ? stageId({ ...ref, repeat: 0 }) : stage;
}

/** Stage ids grouped by their first repeat's id, in order of appearance. */
export function byBaseStage<V>(stages: Map<string, V>): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const [stage, v] of stages) {
    const base = firstRepeatStage(stage);
    out.set(base, [...(out.get(base) ?? []), v]);
  }
  return out;
}

/** Method labels in the order their stages appear (the fallback method order). */
export function methodsOfStages(stages: Iterable<string>): string[] {
  return [
    ...new Set([...stages].filter((s) => roleOfStage(s) === 'method').map((s) => stageLabel(firstRepeatStage(s)))),
  ];
}

export function buildLiveCurveOption(rounds: RoundPoint[], opts: RepeatOptions = {}): EChartsOption {
  const grouped = groupRounds(rounds);
  const methods = opts.methods ?? methodsOfStages(grouped.keys());
  const style = (stage: string) => methodStyle(stageLabel(firstRepeatStage(stage)), methods, roleOfStage(stage));
  const bases = byBaseStage(grouped);
  const several = [...bases.values()].some((list) => list.length > 1);
  let series: LineSeriesOption[];
  const summaries = new Map<string, (Summary | null)[]>();
  if (opts.repeats === 'mean' && several) {
    series = [...bases].flatMap(([base, repeats], k) => {
      const { xs, summaries: sums } = bandOverRepeats(repeats);
      summaries.set(String(k), sums);
      return meanBandSeries(
        { key: k, name: stageLabel(base), style: style(base), summaries: sums, at: (i, y) => [xs[i], y] },
        { showSymbol: xs.length <= 50 },
      );
    });
  } else {
    series = [...grouped].map(([stage, points]) => ({
      type: 'line',
      name: stageLabel(stage),
      showSymbol: points.size <= 50,
      connectNulls: false,
      data: smoothedPoints(
        [...points].sort((a, b) => a[0] - b[0]),
        opts.smoothing ?? 0,
      ),
      ...lineLook(style(stage)),
    }));
  }
  const option: EChartsOption = {
    ...baseOption('Test accuracy per round'),
    animation: false,
    tooltip:
      (opts.smoothing ?? 0) > 0
        ? { trigger: 'axis', confine: true, formatter: smoothedTooltip((v) => percent(v)) }
        : { trigger: 'axis', confine: true, valueFormatter: (v) => percent(v as number | null) },
    xAxis: { type: 'value', name: 'Round', nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 0 },
    yAxis: {
      type: 'value',
      nameLocation: 'middle',
      nameGap: 46,
      name: 'Test accuracy',
      axisLabel: { formatter: percentAxisLabel },
      scale: true,
    },
    dataZoom: roundZoom(),
    series,
  };
  if (summaries.size) {
    option.title = { ...(option.title as object), subtext: 'mean ± sample std over repeats' };
    option.grid = { ...(option.grid as object), top: 64 };
    option.tooltip = { trigger: 'axis', confine: true, formatter: bandTooltip(summaries, (v) => percent(v)) };
  }
  return withLegend(option);
}
