/**
 * Time analysis (Figure 2): test accuracy against training seconds for each stage, peak marked.
 * The time artifact holds the first repeat; with the run's rounds of several repeats, 'mean' draws
 * each stage's mean accuracy per round (at the mean seconds of that round) with a ± std band, and
 * 'each' a line per repeat.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { TimeArtifact } from '../results';
import {
  bandTooltip,
  baseOption,
  lineLook,
  meanBandSeries,
  meanStd,
  methodStyle,
  percent,
  percentAxisLabel,
  roleOfStage,
  withLegend,
  type Summary,
} from './common';
import { byBaseStage, firstRepeatStage, groupRounds, type RepeatOptions } from './live-curve';

export interface TimedRound {
  stage: string;
  round: number;
  testAccuracy: number | null;
  elapsedMs: number | null;
}

const peakMark = (label: string, x: number, y: number) => ({
  // The peak (time-to-peak is what Figure 2 compares): a small diamond, named in its tooltip.
  markPoint: {
    symbol: 'diamond',
    symbolSize: 14,
    label: { show: false },
    data: [{ name: `peak of ${label}`, coord: [x, y], value: y }],
  },
});

/** Each curve's stage, per repeat: round -> [seconds, accuracy], from the run's recorded rounds. */
function repeatsOf(
  time: TimeArtifact,
  rounds: TimedRound[],
): Map<string, Map<number, [number | null, number | null]>[]> {
  const wanted = new Set(time.curves.map((c) => c.stage));
  const grouped = groupRounds(
    rounds.filter((r) => wanted.has(firstRepeatStage(r.stage))),
    (r) => [r.elapsedMs === null ? null : r.elapsedMs / 1000, r.testAccuracy] as [number | null, number | null],
  );
  return byBaseStage(grouped);
}

export function buildTimeChartOption(
  time: TimeArtifact,
  opts: RepeatOptions & { rounds?: TimedRound[] } = {},
): EChartsOption {
  const methods = opts.methods ?? time.curves.filter((c) => roleOfStage(c.stage) === 'method').map((c) => c.label);
  const style = (stage: string, label: string) => methodStyle(label, methods, roleOfStage(stage));
  const reps = opts.rounds
    ? repeatsOf(time, opts.rounds)
    : new Map<string, Map<number, [number | null, number | null]>[]>();
  const several = [...reps.values()].some((l) => l.length > 1);
  const summaries = new Map<string, (Summary | null)[]>();
  let series: LineSeriesOption[];
  if (several && opts.repeats === 'mean') {
    series = time.curves.flatMap((c, k) => {
      const list = reps.get(c.stage) ?? [];
      const xs = [...new Set(list.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
      const seconds = xs.map((x) => meanStd(list.map((m) => m.get(x)?.[0]))?.mean ?? null);
      const sums = xs.map((x) => meanStd(list.map((m) => m.get(x)?.[1])));
      summaries.set(String(k), sums);
      const peak = sums.reduce(
        (best, s, i) => (s && seconds[i] !== null && (best < 0 || s.mean > sums[best]!.mean) ? i : best),
        -1,
      );
      return meanBandSeries(
        { key: k, name: c.label, style: style(c.stage, c.label), summaries: sums, at: (i, y) => [seconds[i], y] },
        { showSymbol: xs.length <= 40, ...(peak >= 0 ? peakMark(c.label, seconds[peak]!, sums[peak]!.mean) : {}) },
      );
    });
  } else if (several) {
    series = time.curves.flatMap((c) =>
      (reps.get(c.stage) ?? []).map((m, r) => ({
        type: 'line' as const,
        name: r === 0 ? c.label : `${c.label} (repeat ${r + 1})`,
        showSymbol: m.size <= 40,
        data: [...m].sort((a, b) => a[0] - b[0]).map(([, p]) => p),
        ...lineLook(style(c.stage, c.label)),
      })),
    );
  } else {
    series = time.curves.map((c) => ({
      type: 'line',
      name: c.label,
      showSymbol: c.points.length <= 40,
      data: c.points.map((p) => [p.seconds, p.testAccuracy]),
      ...lineLook(style(c.stage, c.label)),
      ...peakMark(c.label, c.peakSeconds, c.peakAccuracy),
    }));
  }
  const base = baseOption('Test accuracy over time');
  return withLegend({
    ...base,
    ...(summaries.size
      ? {
          title: {
            ...(base.title as object),
            subtext: 'mean ± sample std over repeats; x: mean seconds at each round',
          },
          grid: { ...(base.grid as object), top: 64 },
        }
      : {}),
    tooltip: {
      trigger: 'axis',
      confine: true,
      ...(summaries.size
        ? { formatter: bandTooltip(summaries, (v) => percent(v)) }
        : { valueFormatter: (v) => percent(v as number) }),
    },
    xAxis: { type: 'value', name: 'Training time (s)', nameLocation: 'middle', nameGap: 28, min: 0 },
    yAxis: {
      type: 'value',
      nameLocation: 'middle',
      nameGap: 46,
      name: 'Test accuracy',
      axisLabel: { formatter: percentAxisLabel },
      scale: true,
    },
    series,
  });
}
