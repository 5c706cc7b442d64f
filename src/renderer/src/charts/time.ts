/** Time analysis (Figure 2): test accuracy against training seconds for each stage, peak marked. */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { TimeArtifact } from '../../../shared/results';
import { BASELINE_COLOR, baseOption, percent, percentAxisLabel } from './common';

export function buildTimeChartOption(time: TimeArtifact): EChartsOption {
  const series: LineSeriesOption[] = time.curves.map((c) => ({
    type: 'line',
    name: c.label,
    showSymbol: c.points.length <= 40,
    data: c.points.map((p) => [p.seconds, p.testAccuracy]),
    ...(c.stage.startsWith('retrain') ? { lineStyle: { type: 'dashed' }, itemStyle: { color: BASELINE_COLOR } } : {}),
    // The peak (time-to-peak is what Figure 2 compares): a small diamond, named in its tooltip.
    markPoint: {
      symbol: 'diamond',
      symbolSize: 14,
      label: { show: false },
      data: [{ name: `peak of ${c.label}`, coord: [c.peakSeconds, c.peakAccuracy], value: c.peakAccuracy }],
    },
  }));
  return {
    ...baseOption('Test accuracy over time'),
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => percent(v as number) },
    xAxis: { type: 'value', name: 'Training time (s)', nameLocation: 'middle', nameGap: 28, min: 0 },
    yAxis: { type: 'value', nameLocation: 'middle', nameGap: 46, name: 'Test accuracy', axisLabel: { formatter: percentAxisLabel }, scale: true },
    series,
  };
}
