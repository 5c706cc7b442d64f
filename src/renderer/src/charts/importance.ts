/**
 * Parameter-importance distribution (Figure H10): log10 |mean gradient| (Algorithm 1's locate rule) or
 * |first-round update| (the authors' code) of the remaining clients, by percentile. The chosen rho is a vertical line at percentile 100*rho (the lowest rho fraction is reset);
 * the Appendix H.3 recommendation is a second, dashed line when it differs.
 */
import type { EChartsOption, MarkLineComponentOption } from 'echarts';
import type { ImportanceArtifact } from '../../../shared/results';
import { baseOption } from './common';

type MarkLineDatum = NonNullable<MarkLineComponentOption['data']>[number];

const round = (v: number) => String(Math.round(v * 1000) / 1000);

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

export function buildImportanceOption(imp: ImportanceArtifact): EChartsOption {
  const lines: MarkLineDatum[] = [];
  if (imp.chosenRho !== null) {
    lines.push({ name: 'chosen ρ', xAxis: rhoPercentile(imp.chosenRho), label: { formatter: `ρ = ${round(imp.chosenRho)}` }, lineStyle: { color: '#ef4444', type: 'solid', width: 2 } });
  }
  if (imp.recommendedRho !== null && imp.recommendedRho !== imp.chosenRho) {
    lines.push({ name: 'recommended ρ', xAxis: rhoPercentile(imp.recommendedRho), label: { formatter: `auto ρ = ${round(imp.recommendedRho)}`, position: 'insideEndTop' }, lineStyle: { color: '#a855f7', type: 'dashed' } });
  }
  return {
    ...baseOption(`Parameter importance (${imp.selection}, ${imp.stage.replace(/^unlearn:/, '')})`),
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => (typeof v === 'number' ? `10^${v.toFixed(2)}` : String(v)) },
    legend: { show: false },
    xAxis: { type: 'value', name: 'Percentile of parameters', nameLocation: 'middle', nameGap: 28, min: 0, max: 100 },
    yAxis: { type: 'value', nameLocation: 'middle', nameGap: 46, name: `log10 ${importanceSignal(imp)}`, scale: true },
    series: [
      {
        type: 'line',
        name: `log10 ${importanceSignal(imp)}`,
        showSymbol: false,
        data: imp.percentiles.map((p, i) => [p, imp.log10Magnitude[i]]),
        areaStyle: { opacity: 0.15 },
        markLine: { symbol: 'none', silent: true, data: lines },
      },
    ],
  };
}
