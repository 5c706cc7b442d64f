/** CSL against the memorization score, one point per example of D_u (Figure H9). */
import type { EChartsOption } from 'echarts';
import type { CslArtifact } from '../../../shared/results';
import { baseOption } from './common';

const num = (v: number | null, digits = 2) => (v === null || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));

export function cslSubtitle(csl: CslArtifact): string {
  return (
    `cosine ${num(csl.cosine)} · Pearson ${num(csl.pearson)} · Spearman ${num(csl.spearman)} · ` +
    `top ${Math.round(csl.topFraction * 100)}% overlap ${Math.round(csl.overlap * 100)}%`
  );
}

export function buildCslScatterOption(csl: CslArtifact): EChartsOption {
  const base = baseOption('CSL vs memorization score');
  return {
    ...base,
    title: { ...(base.title as object), subtext: cslSubtitle(csl) },
    grid: { left: 64, right: 28, top: 80, bottom: 48 },
    legend: { show: false },
    tooltip: { trigger: 'item', confine: true },
    xAxis: { type: 'value', name: 'Memorization score', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', name: 'CSL', nameLocation: 'middle', nameGap: 40, scale: true },
    series: [
      {
        type: 'scatter',
        name: 'examples of D_u',
        symbolSize: 5,
        itemStyle: { opacity: 0.6 },
        large: csl.score.length > 2000,
        data: csl.score.map((s, i) => [s, csl.csl[i]]),
      },
    ],
  };
}
