/**
 * Loss along the shortest unlearning path (Figure H13): the original model at t = 0, each target
 * (a retrained model or an unlearned one) at t = 1. Each path takes its method's colour and marker
 * (methodStyle; the retrained path grey); here the line's dash tells the split instead.
 * With several repeats (one artifact each), 'mean' draws each target's mean loss at every t with a
 * ± std band, 'each' one line per repeat; a repeat's path is matched to repeat 1's by its target's
 * first-repeat stage id ('unlearn:x@1' -> 'unlearn:x').
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { LossSurfaceArtifact } from '../results';
import {
  bandOverRepeats,
  bandTooltip,
  baseOption,
  meanBandSeries,
  methodStyle,
  roleOfStage,
  withLegend,
  type Summary,
} from './common';
import { firstRepeatStage } from './live-curve';

export const LOSS_SPLITS = [
  { key: 'remaining', label: 'D_r', line: 'solid' },
  { key: 'unlearning', label: 'D_u', line: 'dashed' },
  { key: 'test', label: 'test', line: 'dotted' },
] as const;

type Path = LossSurfaceArtifact['paths'][number];

export interface LossSurfaceOptions {
  /** The run's method labels in report order (methodOrder). */
  methods?: readonly string[];
  /** 'mean' (default): mean ± std over repeats when there are several; 'each': a line per repeat. */
  repeats?: 'each' | 'mean';
}

/** Each target of repeat 1 (by first-repeat stage id) with its path in every repeat that has it. */
export function pathsByTarget(
  repeats: readonly LossSurfaceArtifact[],
): { target: string; label: string; paths: Path[] }[] {
  const out = new Map<string, { target: string; label: string; paths: Path[] }>();
  for (const ls of repeats)
    for (const p of ls.paths) {
      const target = firstRepeatStage(p.target);
      const entry = out.get(target) ?? { target, label: p.label, paths: [] };
      entry.paths.push(p);
      out.set(target, entry);
    }
  return [...out.values()];
}

const fmtLoss = (v: number) => v.toFixed(4);

export function buildLossSurfaceOption(
  input: LossSurfaceArtifact | readonly LossSurfaceArtifact[],
  opts: LossSurfaceOptions = {},
): EChartsOption {
  const repeats = Array.isArray(input) ? (input as readonly LossSurfaceArtifact[]) : [input as LossSurfaceArtifact];
  const targets = pathsByTarget(repeats);
  const methods = opts.methods ?? targets.filter((g) => roleOfStage(g.target) === 'method').map((g) => g.label);
  const mean = repeats.length > 1 && opts.repeats !== 'each';
  const summaries = new Map<string, (Summary | null)[]>();
  const series: LineSeriesOption[] = [];
  targets.forEach((g, k) => {
    const look = methodStyle(g.label, methods, roleOfStage(g.target));
    for (const split of LOSS_SPLITS) {
      const name = `${g.label} · ${split.label}`;
      if (mean) {
        const { xs, summaries: sums } = bandOverRepeats(
          g.paths.map((p) => new Map(p.points.map((pt) => [pt.t, pt[split.key].loss]))),
        );
        const key = `${k}:${split.key}`;
        summaries.set(key, sums);
        series.push(
          ...meanBandSeries(
            { key, name, style: { ...look, lineType: split.line }, summaries: sums, at: (i, y) => [xs[i], y] },
            { showSymbol: xs.length <= 30, symbolSize: 4 },
          ),
        );
      } else {
        g.paths.forEach((path, r) =>
          series.push({
            type: 'line',
            name: r === 0 ? name : `${name} (repeat ${r + 1})`,
            showSymbol: path.points.length <= 30,
            symbolSize: 4,
            data: path.points.map((p) => [p.t, p[split.key].loss]),
            symbol: look.symbol,
            lineStyle: { type: split.line, color: look.color },
            itemStyle: { color: look.color },
          }),
        );
      }
    }
  });
  if (series.length > 0)
    series[0].markLine = {
      symbol: 'none',
      silent: true,
      lineStyle: { color: '#8a94a6', type: 'dashed' },
      data: [
        { xAxis: 0, label: { formatter: 'original' } },
        { xAxis: 1, label: { formatter: 'target' } },
      ],
    };
  const base = baseOption('Loss along the shortest unlearning path');
  return withLegend({
    ...base,
    ...(mean
      ? { title: { ...(base.title as object), subtext: `mean ± sample std over ${repeats.length} repeats` } }
      : {}),
    // D_r and D_u shown first; the test split is one legend click away (five paths x three splits crowd).
    legend: {
      ...(base.legend as object),
      selected: Object.fromEntries(
        series.filter((s) => String(s.name).includes('· test')).map((s) => [s.name as string, false]),
      ),
    },
    grid: { left: 64, right: 28, top: mean ? 72 : 64, bottom: 64 },
    tooltip: {
      trigger: 'axis',
      confine: true,
      ...(mean
        ? { formatter: bandTooltip(summaries, fmtLoss) }
        : { valueFormatter: (v) => (typeof v === 'number' ? fmtLoss(v) : String(v)) }),
    },
    xAxis: { type: 'value', name: 't (0 = original, 1 = target)', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', nameLocation: 'middle', nameGap: 46, name: 'Loss', scale: true },
    series,
  });
}
