/**
 * GME accuracy (Table 1's left block as a chart): accuracy on each memorization group of D_u for
 * every unlearning method, next to the retrained baseline. Empty groups are gaps (null), never 0.
 * With two or more repeats each bar carries a whisker of ± one sample std across repeats (the
 * table's ±), drawn by a custom series per bar series that asks ECharts for the same bar layout
 * the bars use, so the whisker sits on its bar whatever the chart's width or which methods the
 * legend hides.
 */
import type { BarSeriesOption, CustomSeriesOption, CustomSeriesRenderItem, EChartsOption } from 'echarts';
import type { Stat, UnlearningReport } from '../results';
import {
  bandTooltip,
  baseOption,
  methodOrder,
  methodStyle,
  percent,
  percentAxisLabel,
  withLegend,
  type Summary,
} from './common';

/** Shared by the bars and the whiskers' layout request: they must agree for a whisker to sit on its bar. */
const BAR_LAYOUT = { barMaxWidth: 28, barMinWidth: 1, barGap: '10%' } as const;

/** "(95,100]": the percent signs go to the axis name, so six groups' labels fit a 420 px chart. */
export const compactGroupLabel = (label: string) => label.replace(/%/g, '');

/**
 * A group's mean ± sample std as the report stores them, with its count of repeats (std 0 for one); null when empty.
 */
function summaryOf(stat: Stat | undefined): Summary | null {
  if (!stat || stat.mean === null || !Number.isFinite(stat.mean)) return null;
  const n = stat.values.filter((v) => v !== null && Number.isFinite(v)).length;
  return { mean: stat.mean, std: n >= 2 && stat.std !== null && Number.isFinite(stat.std) ? stat.std : 0, n };
}

/** A whisker only where there is a spread: two or more repeats with a value. */
const hasSpread = (s: Summary | null): s is Summary => s !== null && s.n >= 2;

/** A '#rrggbb' colour mixed halfway to black: the whisker's part inside its own bar. */
export function darker(hex: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) return hex;
  const n = parseInt(m[1], 16);
  const half = (shift: number) => Math.round(((n >> shift) & 255) / 2);
  return `#${[16, 8, 0].map((s) => half(s).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Draws the whisker of bar series `bar` (of `bars` bar series, indices 0..bars-1) at one group:
 * data item [group, mean - std, mean + std, mean]. Above the bar's top it is the method's colour
 * (on the background, in either theme); inside the bar a darker shade, so it shows against the bar.
 * Legend-hidden bars leave the layout, so the slot is counted among the bars still shown.
 */
export function whiskerRenderer(bar: number, bars: number, color: string): CustomSeriesRenderItem {
  const inside = darker(color);
  return (params, api) => {
    const shown = api.currentSeriesIndices().filter((i) => i < bars);
    const slot = shown.indexOf(bar);
    const layout = slot < 0 ? null : api.barLayout({ count: shown.length, ...BAR_LAYOUT });
    const [lo, hi, mean] = [api.value(1), api.value(2), api.value(3)];
    if (!layout || typeof lo !== 'number' || typeof hi !== 'number' || typeof mean !== 'number') return null;
    const x = api.coord([api.value(0), 0])[0] + layout[slot].offsetCenter;
    const [top, mid, bottom] = [hi, mean, lo].map((v) => api.coord([api.value(0), v])[1]);
    const half = Math.max(2, Math.min(6, layout[slot].width / 3));
    const out = { stroke: color, lineWidth: 1.5 };
    const within = { stroke: inside, lineWidth: 1.5 };
    const coordSys = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
    return {
      type: 'group',
      // Accuracy ± std may pass 100%: the whisker stops at the plot's edge like the axis does.
      clipPath: {
        type: 'rect',
        shape: { x: coordSys.x, y: coordSys.y, width: coordSys.width, height: coordSys.height },
      },
      children: [
        { type: 'line', shape: { x1: x, y1: top, x2: x, y2: mid }, style: out },
        { type: 'line', shape: { x1: x - half, y1: top, x2: x + half, y2: top }, style: out },
        { type: 'line', shape: { x1: x, y1: mid, x2: x, y2: bottom }, style: within },
        { type: 'line', shape: { x1: x - half, y1: bottom, x2: x + half, y2: bottom }, style: within },
      ],
    };
  };
}

export function buildGmeChartOption(report: UnlearningReport): EChartsOption {
  const rows = report.rows.filter((r) => r.kind !== 'original');
  // The retrained baseline last, as in the paper's table.
  rows.sort((a, b) => Number(a.kind === 'retrained') - Number(b.kind === 'retrained'));
  const methods = methodOrder(report);
  const summaries = new Map(
    rows.map((row, k) => [String(k), report.groups.map((_, g) => summaryOf(row.groupAccuracy[g]))]),
  );
  const whiskers = [...summaries.values()].some((s) => s.some(hasSpread));
  const styles = rows.map((row) => methodStyle(row.label, methods, row.kind === 'method' ? 'method' : 'baseline'));
  const bars: BarSeriesOption[] = rows.map((row, k) => {
    const { color, lineType } = styles[k];
    // Bars have no dash: a method past the palette (dotted as a line) is told apart by a hatch instead.
    const decal =
      row.kind === 'retrained'
        ? { symbol: 'line', dashArrayX: [1, 0], dashArrayY: [3, 3], rotation: -Math.PI / 4 }
        : lineType === 'dotted'
          ? { symbol: 'line', dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: Math.PI / 4 }
          : undefined;
    return {
      type: 'bar',
      id: `mean:${k}`,
      name: row.label,
      data: report.groups.map((_, g) => row.groupAccuracy[g]?.mean ?? null),
      ...BAR_LAYOUT,
      itemStyle: decal ? { color, decal } : { color },
    };
  });
  const whiskerSeries: CustomSeriesOption[] = whiskers
    ? rows.map((row, k) => ({
        type: 'custom',
        id: `std:${k}`,
        name: row.label,
        renderItem: whiskerRenderer(k, rows.length, styles[k].color),
        data: summaries
          .get(String(k))!
          .flatMap((s, g) => (hasSpread(s) ? [[g, s.mean - s.std, s.mean + s.std, s.mean]] : [])),
        encode: { x: 0, y: [1, 2] },
        itemStyle: { color: styles[k].color },
        silent: true,
        z: 3,
      }))
    : [];
  const base = baseOption('Accuracy per memorization group of D_u');
  const tilted = report.groups.length > 6;
  return withLegend(
    {
      ...base,
      ...(whiskers && {
        title: { ...(base.title as object), subtext: `whiskers: ± sample std over ${report.repeats} repeats` },
        grid: { ...(base.grid as object), top: 64 },
      }),
      tooltip: whiskers
        ? {
            trigger: 'axis',
            axisPointer: { type: 'shadow' },
            confine: true,
            formatter: bandTooltip(summaries, (v) => percent(v)),
          }
        : {
            trigger: 'axis',
            axisPointer: { type: 'shadow' },
            confine: true,
            valueFormatter: (v) => percent(v as number | null),
          },
      xAxis: {
        type: 'category',
        name: 'Memorization-score group (percentiles of D_u)',
        nameLocation: 'middle',
        nameGap: tilted ? 48 : 28,
        data: report.groups.map((g) => compactGroupLabel(g.label)),
        // Every group is named, even when labels would otherwise be thinned out; many groups tilt.
        axisLabel: { interval: 0, ...(tilted && { rotate: 30 }) },
      },
      yAxis: {
        type: 'value',
        nameLocation: 'middle',
        nameGap: 46,
        name: 'Accuracy',
        min: 0,
        max: 1,
        axisLabel: { formatter: percentAxisLabel },
      },
      series: [...bars, ...whiskerSeries],
    },
    tilted ? 62 : 42,
  );
}
