/**
 * Pieces every chart option shares. Builders stay pure (no DOM, no echarts runtime import) so unit
 * tests check them without a canvas; the theme (light/dark) is applied by the chart component.
 */
import type {
  DefaultLabelFormatterCallbackParams,
  EChartsOption,
  LegendComponentOption,
  LineSeriesOption,
} from 'echarts';
import { METHODS } from '../catalog';
import { parseStageId, stageDisplayName } from '../stages';
import type { UnlearningReport } from '../results';
import { escapeHtml } from './escape-html';

/** Stage ids from the engine ('original', 'retrain:0', 'unlearn:fedmemeraser') as people read them. */
export function stageLabel(stage: string): string {
  if (stage === 'retrain' || stage === 'retrained') return 'Retrained';
  const ref = parseStageId(stage);
  if (!ref) return stage;
  // An entry without a label is named by its method id: show the method's row label instead.
  return stageDisplayName(ref, (label) => (METHODS as Record<string, { rowLabel: string }>)[label]?.rowLabel ?? label);
}

/** Accuracies stay fractions in the data (so series equal the stored numbers); axes show percent. */
export const percentAxisLabel = (v: number): string => `${Math.round(v * 1000) / 10}%`;

export const percent = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`;

/** Colours that read on both themes; the retrained baseline is always grey so it stands apart. */
export const PALETTE = ['#3b82f6', '#f97316', '#10b981', '#a855f7', '#ef4444', '#14b8a6', '#eab308', '#ec4899'];
export const BASELINE_COLOR = '#8a94a6';
/** The original (pre-unlearning) model: its own colour, outside the palette, so no method takes it. */
export const ORIGINAL_COLOR = '#92400e';
export const MARKERS = ['circle', 'rect', 'triangle', 'diamond', 'roundRect', 'pin', 'arrow'] as const;

// ----- one style per method ----------------------------------------------------------------------

/** What a series draws: the original model, a retrained baseline (retrained, scoring, held-out), or a method. */
export type SeriesRole = 'original' | 'baseline' | 'method';

export interface MethodStyle {
  color: string;
  symbol: string;
  lineType: 'solid' | 'dashed' | 'dotted';
}

/** The role of a stage id ('original', 'retrain:0@1', 'reference:0', 'unlearn:x'). */
export function roleOfStage(stage: string): SeriesRole {
  if (stage === 'retrain' || stage === 'retrained') return 'baseline';
  const role = parseStageId(stage)?.role;
  return role === 'original' ? 'original' : role === 'retrain' || role === 'reference' ? 'baseline' : 'method';
}

/** The method rows' labels in report order: the order every chart of one run colours by. */
export function methodOrder(report: UnlearningReport | null | undefined): string[] {
  return (report?.rows ?? []).filter((r) => r.kind === 'method').map((r) => r.label);
}

/**
 * The one rule for how a series looks, so a method reads the same in every chart of a run:
 * - the k-th label of `methods` (the run's method rows in report order, see methodOrder) takes
 *   PALETTE[k mod 8] and MARKERS[k mod 7], a solid line (dotted from the ninth method on, so
 *   colours that repeat still differ);
 * - a label not in `methods` takes the slot of a stable hash of its text after the listed ones;
 * - every retrained baseline is grey and dashed, the original model ORIGINAL_COLOR and solid.
 * Repeats of a method (live curves, "each repeat") share its style.
 */
export function methodStyle(label: string, methods: readonly string[], role: SeriesRole = 'method'): MethodStyle {
  if (role === 'baseline') return { color: BASELINE_COLOR, symbol: 'emptyCircle', lineType: 'dashed' };
  if (role === 'original') return { color: ORIGINAL_COLOR, symbol: 'emptyRect', lineType: 'solid' };
  const i = methods.indexOf(label);
  const k = i >= 0 ? i : methods.length + hash(label);
  return {
    color: PALETTE[k % PALETTE.length],
    symbol: MARKERS[k % MARKERS.length],
    lineType: Math.floor(k / PALETTE.length) % 2 ? 'dotted' : 'solid',
  };
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h % PALETTE.length;
}

/** A line series' colour, marker and dash from a style. */
export const lineLook = (s: MethodStyle) => ({
  symbol: s.symbol,
  itemStyle: { color: s.color },
  lineStyle: { color: s.color, type: s.lineType },
});

// ----- mean ± std over repeats -------------------------------------------------------------------

export interface Summary {
  mean: number;
  /** Sample std (n - 1); 0 for one value, as the report's tables define it. */
  std: number;
  n: number;
}

/** Mean ± sample std of the finite values; null when there are none. */
export function meanStd(values: readonly (number | null | undefined)[]): Summary | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length === 1 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
  return { mean, std, n: xs.length };
}

/**
 * Mean ± std at each x over repeats that may cover different x's (a repeat cut short, a method
 * with fewer rounds): the x's are the union, sorted; each x averages the repeats that have it
 * (n says how many), null where none has a finite value.
 */
export function bandOverRepeats(repeats: readonly ReadonlyMap<number, number | null | undefined>[]): {
  xs: number[];
  summaries: (Summary | null)[];
} {
  const xs = [...new Set(repeats.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  return { xs, summaries: xs.map((x) => meanStd(repeats.map((m) => m.get(x)))) };
}

export interface BandLine {
  /** Ids become `mean:<key>`, `lower:<key>`, `band:<key>` (tooltips find the mean line by its prefix). */
  key: string | number;
  name: string;
  style: MethodStyle;
  summaries: (Summary | null)[];
  /** The data item at index i: [x, y] on a value axis, y alone on a category axis. */
  at: (i: number, y: number | null) => unknown;
}

/**
 * A mean line plus a ± std band drawn as a stacked pair: an invisible lower bound, then the band's
 * height on top. The three share the line's name, so one legend entry shows or hides the line with
 * its band. stackStrategy 'all': the band must stack on a negative lower bound too.
 */
export function meanBandSeries(line: BandLine, extra: Partial<LineSeriesOption> = {}): LineSeriesOption[] {
  const { key, name, style, summaries: sums, at } = line;
  const band = {
    type: 'line',
    name,
    stack: `band:${key}`,
    stackStrategy: 'all',
    symbol: 'none',
    silent: true,
    z: 1,
    lineStyle: { opacity: 0 },
  } as const;
  return [
    {
      type: 'line',
      id: `mean:${key}`,
      name,
      connectNulls: false,
      symbolSize: 6,
      z: 3,
      data: sums.map((s, i) => at(i, s ? s.mean : null)) as LineSeriesOption['data'],
      ...lineLook(style),
      ...extra,
    },
    {
      ...band,
      id: `lower:${key}`,
      data: sums.map((s, i) => at(i, s ? s.mean - s.std : null)) as LineSeriesOption['data'],
    },
    {
      ...band,
      id: `band:${key}`,
      data: sums.map((s, i) => at(i, s ? 2 * s.std : null)) as LineSeriesOption['data'],
      areaStyle: { color: style.color, opacity: 0.18 },
    },
  ];
}

/**
 * An axis tooltip for charts with bands: one row per mean line, "mean ± std (n = k)"; the band's
 * helper series stay out of it. `summaries` is looked up by the mean line's key.
 */
export function bandTooltip(summaries: Map<string, (Summary | null)[]>, fmt: (v: number) => string) {
  return (params: DefaultLabelFormatterCallbackParams | DefaultLabelFormatterCallbackParams[]): string => {
    const list = Array.isArray(params) ? params : [params];
    const head = list[0]
      ? escapeHtml(String((list[0] as { axisValueLabel?: string | number }).axisValueLabel ?? list[0].name))
      : '';
    const rows = list.flatMap((p) => {
      const id = String(p.seriesId ?? '');
      if (!id.startsWith('mean:')) return [];
      const s = summaries.get(id.slice(5))?.[p.dataIndex];
      const marker = typeof p.marker === 'string' ? p.marker : '';
      return [`${marker}${escapeHtml(p.seriesName ?? '')}: ${s ? `${fmt(s.mean)} ± ${fmt(s.std)} (n = ${s.n})` : '—'}`];
    });
    return [head, ...rows].join('<br/>');
  };
}

// ----- legends, base option, export --------------------------------------------------------------

const LEGEND_ROW = 22;

/**
 * Rows a plain (wrapping) legend needs for these entries at a given chart width: each entry is its
 * symbol (25 px), its text (~7 px a character at 12 px) and a 10 px gap. An estimate that errs high.
 */
export function legendRows(names: readonly string[], width = 560): number {
  const usable = Math.max(120, width - 40);
  let rows = names.length ? 1 : 0;
  let x = 0;
  for (const n of names) {
    const w = 35 + 7 * n.length;
    if (x > 0 && x + w > usable) {
      rows++;
      x = 0;
    }
    x += w;
  }
  return rows;
}

/** A legend that wraps (never pages) at the bottom, and the grid's bottom margin that leaves it room. */
export function wrappedLegend(
  names: readonly string[],
  axisRoom = 42,
): { legend: LegendComponentOption; gridBottom: number } {
  const rows = Math.max(1, legendRows(names));
  return { legend: { type: 'plain', bottom: 0, data: [...names] }, gridBottom: axisRoom + rows * LEGEND_ROW };
}

/** Extra pixels a chart grows by so its plot keeps the height it has with a one-row legend. */
export function legendExtraHeight(option: EChartsOption): number {
  const bottom = (option.grid as { bottom?: unknown } | undefined)?.bottom;
  return typeof bottom === 'number' ? Math.max(0, bottom - 64) : 0;
}

/** Legend names in series order, once each (a band's helper series share their line's name). */
export function seriesNames(series: readonly { name?: unknown }[]): string[] {
  return [...new Set(series.map((s) => s.name).filter((n): n is string => typeof n === 'string' && n !== ''))];
}

export function baseOption(title: string): EChartsOption {
  return {
    title: { text: title, left: 'center', textStyle: { fontSize: 14, fontWeight: 600 } },
    color: PALETTE,
    backgroundColor: 'transparent',
    animationDuration: 300,
    tooltip: { trigger: 'axis', confine: true },
    legend: { type: 'plain', bottom: 0 },
    grid: { left: 64, right: 28, top: 48, bottom: 64, containLabel: false },
  };
}

/** Axis room under the plot that withLegend left, so the legend can be refitted to another width. */
const AXIS_ROOM = '__axisRoom';

/**
 * Gives an option a wrapping legend over its series' names, and the bottom room that legend needs
 * at the default width; fitLegend redoes that room for the chart's real width.
 */
export function withLegend(option: EChartsOption, axisRoom = 42): EChartsOption {
  const { legend, gridBottom } = wrappedLegend(seriesNames((option.series ?? []) as { name?: unknown }[]), axisRoom);
  return {
    ...option,
    legend: { ...(option.legend as object), ...legend, [AXIS_ROOM]: axisRoom } as unknown as LegendComponentOption,
    grid: { ...(option.grid as object), bottom: gridBottom },
  };
}

/** The option with its wrapping legend's bottom room computed for a chart `width` px wide (unchanged without one). */
export function fitLegend(option: EChartsOption, width: number): EChartsOption {
  const legend = option.legend as (LegendComponentOption & { [AXIS_ROOM]?: number }) | undefined;
  if (
    !legend ||
    Array.isArray(legend) ||
    typeof legend[AXIS_ROOM] !== 'number' ||
    !Array.isArray(legend.data) ||
    width <= 0
  )
    return option;
  const rows = Math.max(1, legendRows(legend.data as string[], width));
  return { ...option, grid: { ...(option.grid as object), bottom: legend[AXIS_ROOM] + rows * LEGEND_ROW } };
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * The option a PNG/SVG/PDF file is drawn from: every series shown (no legend unselected state), a
 * plain legend (no page arrows), no toolbox, no dataZoom slider, no draggable visualMap handles,
 * no animation. The on-screen option is left as it is.
 */
export function exportOption(option: EChartsOption): EChartsOption {
  const out: EChartsOption = { ...option, animation: false };
  if (option.legend !== undefined) {
    out.legend = asList(option.legend).map((l) => {
      const {
        selected: _selected,
        selector: _selector,
        pageButtonPosition: _pb,
        [AXIS_ROOM]: _room,
        ...rest
      } = l as LegendComponentOption & Record<string, unknown>;
      return { ...rest, type: 'plain', selectedMode: false };
    });
  }
  delete out.toolbox;
  delete out.dataZoom;
  delete out.brush;
  if (option.visualMap !== undefined)
    out.visualMap = asList(option.visualMap).map((v) => ({ ...v, calculable: false }));
  return out;
}

/** Each named series' colour (first seen wins), the page's test hook for "one colour per method". */
export function seriesColors(option: EChartsOption | null | undefined): Record<string, string> {
  // A Map, then fromEntries: series are named by users' method labels, and "__proto__" is a label like any other.
  const out = new Map<string, string>();
  for (const s of asList(option?.series) as {
    name?: unknown;
    itemStyle?: { color?: unknown };
    lineStyle?: { color?: unknown };
    silent?: boolean;
  }[]) {
    if (typeof s.name !== 'string' || out.has(s.name)) continue;
    const c = s.itemStyle?.color ?? s.lineStyle?.color;
    if (typeof c === 'string') out.set(s.name, c);
  }
  return Object.fromEntries(out);
}

/** How many ± std bands (meanBandSeries) an option draws: the page's test hook for "repeats are averaged". */
export function bandCount(option: EChartsOption | null | undefined): number {
  return (asList(option?.series) as { id?: unknown }[]).filter(
    (s) => typeof s.id === 'string' && s.id.startsWith('band:'),
  ).length;
}
