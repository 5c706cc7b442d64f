/**
 * CSL against the memorization score, one point per example of D_u (Figure H9).
 * With several repeats the scatter shows one repeat at a time (the page's selector): D_u is the same
 * examples in every repeat, but each repeat has its own CSL (its own original training) and scores
 * (its own retrained models), and a cloud of per-example means would be tighter than any repeat's
 * and match none of the correlations. The agreement measures are given as mean ± std over repeats.
 */
import type { EChartsOption } from 'echarts';
import { significant } from '../format';
import type { CslArtifact, ExamplesArtifact } from '../results';
import { baseOption, meanStd } from './common';
import { escapeHtml } from './escape-html';

const num = (v: number | null, digits = 2) => (v === null || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));

/** "0.82", or "0.82 ± 0.03" over several repeats; n/a when no repeat has the measure. */
function measure(values: (number | null)[], digits = 2, scale = 1, unit = ''): string {
  const s = meanStd(values.map((v) => (v === null ? null : v * scale)));
  if (!s) return 'n/a';
  return s.n > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}${unit}` : `${s.mean.toFixed(digits)}${unit}`;
}

/** The agreement line: one repeat's values, or mean ± std over every repeat. */
export function cslSubtitle(csl: CslArtifact | readonly CslArtifact[]): string {
  const all = Array.isArray(csl) ? (csl as readonly CslArtifact[]) : [csl as CslArtifact];
  if (all.length === 1) {
    const c = all[0];
    return `cosine ${num(c.cosine)} · Pearson ${num(c.pearson)} · Spearman ${num(c.spearman)} · top ${Math.round(c.topFraction * 100)}% overlap ${Math.round(c.overlap * 100)}%`;
  }
  const of = (f: (c: CslArtifact) => number | null) => all.map(f);
  // Three short lines: "x ± y" doubles each measure's width, and the chart is often a third of the page.
  return [
    `cosine ${measure(of((c) => c.cosine))} · Pearson ${measure(of((c) => c.pearson))}`,
    `Spearman ${measure(of((c) => c.spearman))} · top ${Math.round(all[0].topFraction * 100)}% overlap ${measure(
      of((c) => c.overlap),
      0,
      100,
      '%',
    )}`,
    `(mean ± std over ${all.length} repeats)`,
  ].join('\n');
}

export interface CslPoint {
  score: number;
  csl: number;
  /** From the examples table, when the run has one. */
  id?: number;
  client?: number;
  label?: number;
  noisy?: boolean;
}

/** A point's tooltip: which example it is, then its two values to three significant digits. */
export function cslTooltip(p: CslPoint): string {
  const who = [
    p.id !== undefined ? `example ${p.id}` : 'example',
    p.client !== undefined ? `client ${p.client}` : null,
    p.label !== undefined ? `label ${p.label}${p.noisy ? ' (flipped)' : ''}` : null,
  ].filter(Boolean);
  return escapeHtml(who.join(' · ')) + `<br/>CSL ${significant(p.csl)} · memorization score ${significant(p.score)}`;
}

export interface CslOptions {
  /** Which repeat's points to draw (0-based; default 0). */
  repeat?: number;
  /** The run's per-example table: ids, clients and labels for the tooltip (aligned with every repeat's arrays). */
  examples?: ExamplesArtifact;
}

export function buildCslScatterOption(csl: CslArtifact | readonly CslArtifact[], opts: CslOptions = {}): EChartsOption {
  const all = Array.isArray(csl) ? (csl as readonly CslArtifact[]) : [csl as CslArtifact];
  const repeat = Math.min(Math.max(0, opts.repeat ?? 0), all.length - 1);
  const shown = all[repeat];
  const ex = opts.examples;
  const pointAt = (i: number): CslPoint => ({
    score: shown.score[i],
    csl: shown.csl[i],
    ...(ex && i < ex.ids.length
      ? { id: ex.ids[i], client: ex.clients[i], label: ex.labels[i], noisy: ex.noisy[i] === 1 }
      : {}),
  });
  const base = baseOption(
    all.length > 1 ? `CSL vs memorization score (repeat ${repeat + 1} of ${all.length})` : 'CSL vs memorization score',
  );
  return {
    ...base,
    // Several repeats give a three-line subtitle: an explicit line height keeps its lines apart.
    title: { ...(base.title as object), subtext: cslSubtitle(all), subtextStyle: { lineHeight: 16 } },
    grid: { left: 64, right: 28, top: all.length > 1 ? 108 : 80, bottom: 48 },
    legend: { show: false },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p) => cslTooltip(pointAt((p as { dataIndex: number }).dataIndex)),
    },
    xAxis: { type: 'value', name: 'Memorization score', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', name: 'CSL', nameLocation: 'middle', nameGap: 40, scale: true },
    series: [
      {
        type: 'scatter',
        name: 'examples of D_u',
        symbolSize: 5,
        itemStyle: { opacity: 0.6 },
        large: shown.score.length > 2000,
        data: shown.score.map((s, i) => [s, shown.csl[i]]),
      },
    ],
  };
}
