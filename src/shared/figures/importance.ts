/**
 * Parameter-importance distribution (Figure H10): log10 |mean gradient| (Algorithm 1's locate rule) or
 * |first-round update| (the authors' code) of the remaining clients, by percentile, for one
 * FedMemEraser entry over all its repeats (mean ± std band, or each repeat as its own line).
 *
 * The shaded area is exactly what was reset. The paper's selection ('redundant') resets the scalars
 * with the smallest importance, so they are the lowest resetScalars / totalScalars of this curve:
 * percentiles 0 .. 100 * that share. The other selections (SalUn, localized, deep/shallow) choose by
 * another signal, so what they reset is no range of this curve and nothing is shaded.
 */
import type { EChartsOption, LineSeriesOption, MarkAreaComponentOption, MarkLineComponentOption } from 'echarts';
import type { ImportanceArtifact } from '../results';
import {
  bandTooltip,
  baseOption,
  lineLook,
  meanBandSeries,
  meanStd,
  methodStyle,
  stageLabel,
  withLegend,
  type Summary,
} from './common';
import { firstRepeatStage } from './live-curve';

type MarkLineDatum = NonNullable<MarkLineComponentOption['data']>[number];
type MarkAreaDatum = NonNullable<MarkAreaComponentOption['data']>[number];

const round = (v: number) => String(Math.round(v * 1000) / 1000);
const pct = (v: number) => String(Math.round(v * 10) / 10);
const GUIDE_COLOR = '#6b7280';

export function rhoPercentile(rho: number): number {
  return Math.round(rho * 100 * 1e6) / 1e6;
}

/** What the curve ranks by; runs recorded before the rule was selectable used the first-round update. */
export function importanceSignal(imp: ImportanceArtifact): string {
  return (imp.locate ?? 'first-round-update') === 'gradient' ? '|mean gradient|' : '|first-round update|';
}

/** The locate rule in words, for the chart's caption. */
export function locateCaption(imp: ImportanceArtifact): string {
  return (imp.locate ?? 'first-round-update') === 'gradient'
    ? "the remaining clients' mean gradient at the original model (Algorithm 1)"
    : "the first fine-tuning round's aggregated update (the authors' code)";
}

/** Percent of the scalars one repeat reset. */
export const resetPercent = (imp: ImportanceArtifact): number =>
  imp.totalScalars > 0 ? rhoPercentile(imp.resetScalars / imp.totalScalars) : 0;

/**
 * The percentile range of the curve that was reset, over repeats: [0, always] in every repeat, and
 * (always, upTo] in some of them (upTo = always when every repeat reset the same share). Null when
 * nothing was reset or the selection is not the one that ranks by this curve.
 */
export function resetShading(imps: readonly ImportanceArtifact[]): { always: number; upTo: number } | null {
  if (imps.length === 0 || imps.some((i) => i.selection !== 'redundant')) return null;
  const shares = imps.map(resetPercent);
  const upTo = Math.max(...shares);
  return upTo > 0 ? { always: Math.min(...shares), upTo } : null;
}

/** One value shared by every repeat, or null when they differ or any is missing. */
function common<T>(values: readonly (T | null | undefined)[]): T | null {
  const first = values[0];
  return first !== null && first !== undefined && values.every((v) => v === first) ? first : null;
}

/** The mean of the repeats' values and whether they differ (null when none has one). */
function meanOf(values: readonly (number | null)[]): { mean: number; varies: boolean } | null {
  const xs = values.filter((v): v is number => v !== null);
  if (xs.length === 0) return null;
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, varies: xs.some((v) => v !== xs[0]) };
}

/**
 * Guides: the chosen ρ (label above the plot), the H.3 recommendation when it differs (label at the
 * foot of its line, so the two never meet however close they are), and the H.3 threshold as a
 * horizontal line when every repeat had the same one, labelled at its left end: left of where the
 * curve crosses the threshold the curve lies below it, so the label never sits on the curve.
 * With repeats that differ, lines sit at the mean.
 */
function guides(imps: readonly ImportanceArtifact[], color: string): MarkLineDatum[] {
  const lines: MarkLineDatum[] = [];
  const chosen = meanOf(imps.map((i) => i.chosenRho));
  if (chosen) {
    lines.push({
      name: 'chosen ρ',
      xAxis: rhoPercentile(chosen.mean),
      label: { formatter: `${chosen.varies ? 'mean ρ' : 'ρ'} = ${round(chosen.mean)}`, position: 'end', color },
      lineStyle: { color, type: 'solid', width: 2 },
    });
  }
  const auto = meanOf(imps.map((i) => i.recommendedRho));
  if (auto && (!chosen || Math.abs(auto.mean - chosen.mean) > 1e-12)) {
    lines.push({
      name: 'recommended ρ',
      xAxis: rhoPercentile(auto.mean),
      label: {
        formatter: `${auto.varies ? 'mean auto ρ' : 'auto ρ'} = ${round(auto.mean)}`,
        position: 'insideStartTop',
        color: GUIDE_COLOR,
      },
      lineStyle: { color: GUIDE_COLOR, type: 'dashed' },
    });
  }
  const threshold = common(imps.map((i) => i.threshold));
  if (threshold !== null && threshold > 0) {
    lines.push({
      name: 'H.3 threshold',
      yAxis: Math.log10(threshold),
      label: {
        formatter: `threshold 10^${round(Math.log10(threshold))}`,
        position: 'insideStartTop',
        color: GUIDE_COLOR,
      },
      lineStyle: { color: GUIDE_COLOR, type: 'dotted' },
    });
  }
  return lines;
}

function shadingAreas(imps: readonly ImportanceArtifact[], color: string): MarkAreaDatum[] {
  const s = resetShading(imps);
  if (!s) return [];
  const areas: MarkAreaDatum[] = [];
  if (s.always > 0) areas.push([{ name: 'reset', xAxis: 0, itemStyle: { color, opacity: 0.16 } }, { xAxis: s.always }]);
  if (s.upTo > s.always)
    areas.push([
      { name: 'reset in some repeats', xAxis: s.always, itemStyle: { color, opacity: 0.07 } },
      { xAxis: s.upTo },
    ]);
  return areas;
}

function subtitle(imps: readonly ImportanceArtifact[]): string {
  const s = resetShading(imps);
  const n = imps.length > 1 ? ` · ${imps.length} repeats` : '';
  if (s)
    return `shaded: the ${s.upTo > s.always ? `${pct(s.always)}–${pct(s.upTo)}` : pct(s.upTo)}% of scalars that were reset${n}`;
  if (imps.some((i) => i.selection !== 'redundant'))
    return `the ${imps[0].selection} selection chose the reset scalars by another signal${n}`;
  return `nothing was reset${n}`;
}

export interface ImportanceOptions {
  /** The run's method labels in report order (methodOrder), for the entry's colour. */
  methods?: readonly string[];
  /** With several repeats: 'mean' (default) a mean line with a ± std band; 'each' a line per repeat, with a legend. */
  repeats?: 'mean' | 'each';
}

/** One entry's chart from its repeats' artifacts (in repeat order); a single artifact works too. */
export function buildImportanceOption(
  input: ImportanceArtifact | readonly ImportanceArtifact[],
  opts: ImportanceOptions = {},
): EChartsOption {
  const imps = Array.isArray(input) ? (input as readonly ImportanceArtifact[]) : [input as ImportanceArtifact];
  const first = imps[0];
  const label = stageLabel(firstRepeatStage(first.stage));
  const style = methodStyle(label, opts.methods ?? [label]);
  const signal = importanceSignal(first);
  const overlays = {
    markArea: { silent: true, label: { show: false }, data: shadingAreas(imps, style.color) },
    markLine: { symbol: 'none', silent: true, data: guides(imps, style.color) },
  };
  const fmt = (v: number) => `10^${v.toFixed(2)}`;
  const several = imps.length > 1;
  const each = several && opts.repeats === 'each';
  let series: LineSeriesOption[];
  let tooltip: EChartsOption['tooltip'] = {
    trigger: 'axis',
    confine: true,
    valueFormatter: (v) => (typeof v === 'number' ? fmt(v) : String(v)),
  };
  if (several && !each) {
    const xs = first.percentiles;
    const sums: (Summary | null)[] = xs.map((_, k) => meanStd(imps.map((i) => i.log10Magnitude[k])));
    series = meanBandSeries(
      { key: 0, name: label, style, summaries: sums, at: (k, y) => [xs[k], y] },
      { showSymbol: false, ...overlays },
    );
    tooltip = { trigger: 'axis', confine: true, formatter: bandTooltip(new Map([['0', sums]]), fmt) };
  } else {
    series = imps.map((imp, r) => ({
      type: 'line',
      name: several ? `${label} (repeat ${r + 1})` : label,
      showSymbol: false,
      data: imp.percentiles.map((p, k) => [p, imp.log10Magnitude[k]]),
      ...lineLook(style),
      ...(r === 0 ? overlays : {}),
    }));
  }
  const option: EChartsOption = {
    ...baseOption(`Parameter importance (${label})`),
    title: {
      text: `Parameter importance (${label})`,
      subtext: subtitle(imps),
      left: 'center',
      textStyle: { fontSize: 14, fontWeight: 600 },
    },
    grid: { left: 64, right: 28, top: 84, bottom: 64, containLabel: false },
    tooltip,
    legend: { show: each },
    xAxis: { type: 'value', name: 'Percentile of parameters', nameLocation: 'middle', nameGap: 28, min: 0, max: 100 },
    yAxis: { type: 'value', nameLocation: 'middle', nameGap: 46, name: `log10 ${signal}`, scale: true },
    series,
  };
  return each ? withLegend(option) : option;
}
