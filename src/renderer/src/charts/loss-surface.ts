/**
 * Loss along the shortest unlearning path (Figure H13): the original model at t = 0, each target
 * (a retrained model or an unlearned one) at t = 1. Each path takes its method's colour and marker
 * (methodStyle; the retrained path grey); here the line's dash tells the split instead.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { LossSurfaceArtifact } from '../../../shared/results';
import { baseOption, methodStyle, roleOfStage, withLegend } from './common';

export const LOSS_SPLITS = [
  { key: 'remaining', label: 'D_r', line: 'solid' },
  { key: 'unlearning', label: 'D_u', line: 'dashed' },
  { key: 'test', label: 'test', line: 'dotted' },
] as const;

export function buildLossSurfaceOption(ls: LossSurfaceArtifact, opts: { methods?: readonly string[] } = {}): EChartsOption {
  const methods = opts.methods ?? ls.paths.filter((p) => roleOfStage(p.target) === 'method').map((p) => p.label);
  const series: LineSeriesOption[] = [];
  ls.paths.forEach((path) => {
    const look = methodStyle(path.label, methods, roleOfStage(path.target));
    for (const split of LOSS_SPLITS) {
      series.push({
        type: 'line',
        name: `${path.label} · ${split.label}`,
        showSymbol: path.points.length <= 30,
        symbolSize: 4,
        data: path.points.map((p) => [p.t, p[split.key].loss]),
        symbol: look.symbol,
        lineStyle: { type: split.line, color: look.color },
        itemStyle: { color: look.color },
        ...(series.length === 0
          ? {
              markLine: {
                symbol: 'none',
                silent: true,
                lineStyle: { color: '#8a94a6', type: 'dashed' },
                data: [
                  { xAxis: 0, label: { formatter: 'original' } },
                  { xAxis: 1, label: { formatter: 'target' } },
                ],
              },
            }
          : {}),
      });
    }
  });
  const base = baseOption('Loss along the shortest unlearning path');
  return withLegend({
    ...base,
    // D_r and D_u shown first; the test split is one legend click away (five paths x three splits crowd).
    legend: { ...(base.legend as object), selected: Object.fromEntries(series.filter((s) => String(s.name).endsWith('· test')).map((s) => [s.name as string, false])) },
    grid: { left: 64, right: 28, top: 64, bottom: 64 },
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(4) : String(v)) },
    xAxis: { type: 'value', name: 't (0 = original, 1 = target)', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', nameLocation: 'middle', nameGap: 46, name: 'Loss', scale: true },
    series,
  });
}
