/**
 * Loss along the shortest unlearning path (Figure H13): the original model at t = 0, each target
 * (a retrained model or an unlearned one) at t = 1. One colour per path; line style tells the split.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { LossSurfaceArtifact } from '../../../shared/results';
import { baseOption, PALETTE } from './common';

export const LOSS_SPLITS = [
  { key: 'remaining', label: 'D_r', line: 'solid' },
  { key: 'unlearning', label: 'D_u', line: 'dashed' },
  { key: 'test', label: 'test', line: 'dotted' },
] as const;

export function buildLossSurfaceOption(ls: LossSurfaceArtifact): EChartsOption {
  const series: LineSeriesOption[] = [];
  ls.paths.forEach((path, i) => {
    for (const split of LOSS_SPLITS) {
      series.push({
        type: 'line',
        name: `${path.label} · ${split.label}`,
        showSymbol: path.points.length <= 30,
        symbolSize: 4,
        data: path.points.map((p) => [p.t, p[split.key].loss]),
        lineStyle: { type: split.line, color: PALETTE[i % PALETTE.length] },
        itemStyle: { color: PALETTE[i % PALETTE.length] },
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
  return {
    ...baseOption('Loss along the shortest unlearning path'),
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(4) : String(v)) },
    xAxis: { type: 'value', name: 't (0 = original, 1 = target)', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', name: 'Loss', scale: true },
    series,
  };
}
