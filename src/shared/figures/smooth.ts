/**
 * Exponential moving average for per-round curves (the smoothing control), and the tooltip that
 * keeps the raw values visible beside the smoothed ones. Pure: unit-tested against hand-computed values.
 */
import type { DefaultLabelFormatterCallbackParams } from 'echarts';
import { escapeHtml } from './escape-html';

/** Weights the control offers: 0 (off) to 0.95. */
export const SMOOTHING_MAX = 0.95;

/**
 * s_0 = v_0, s_i = w·s_{i-1} + (1 − w)·v_i. A missing value (null, NaN) stays missing and does not
 * move the average; the next value continues from the last smoothed one. The weight is clamped to
 * [0, SMOOTHING_MAX]; 0 returns the values unchanged.
 */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.min(SMOOTHING_MAX, Math.max(0, Number.isFinite(weight) ? weight : 0));
  let last: number | null = null;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    last = last === null || w === 0 ? v : w * last + (1 - w) * v;
    return last;
  });
}

/**
 * Data items [x, y] with the curve smoothed by `weight`; when it is on, each item carries its raw
 * value third ([x, smoothed, raw]) for the tooltip.
 */
export function smoothedPoints(points: readonly [number, number | null][], weight: number): (number | null)[][] {
  if (!(weight > 0)) return points.map(([x, y]) => [x, y]);
  const ys = smooth(
    points.map((p) => p[1]),
    weight,
  );
  return points.map(([x, y], i) => [x, ys[i], y]);
}

/** An axis tooltip: "name: raw" per series, with "(smoothed s)" after it when the curve is smoothed. */
export function smoothedTooltip(fmt: (v: number | null) => string) {
  return (params: DefaultLabelFormatterCallbackParams | DefaultLabelFormatterCallbackParams[]): string => {
    const list = Array.isArray(params) ? params : [params];
    const head = list[0]
      ? `Round ${escapeHtml(String((list[0] as { axisValueLabel?: string | number }).axisValueLabel ?? list[0].name))}`
      : '';
    const rows = list.map((p) => {
      const d = (Array.isArray(p.value) ? p.value : []) as (number | null)[];
      const marker = typeof p.marker === 'string' ? p.marker : '';
      const raw = d.length > 2 ? d[2] : d[1];
      return `${marker}${escapeHtml(p.seriesName ?? '')}: ${fmt(raw ?? null)}${d.length > 2 ? ` (smoothed ${fmt(d[1] ?? null)})` : ''}`;
    });
    return [head, ...rows].join('<br/>');
  };
}

/** Zoom by mouse wheel and drag on the round axis (exportOption drops it from saved figures). */
export const roundZoom = () => [{ type: 'inside' as const, xAxisIndex: 0, filterMode: 'none' as const }];
