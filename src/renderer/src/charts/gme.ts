/**
 * GME accuracy (Table 1's left block as a chart): accuracy on each memorization group of D_u for
 * every unlearning method, next to the retrained baseline. Empty groups are gaps (null), never 0.
 */
import type { BarSeriesOption, EChartsOption } from 'echarts';
import type { UnlearningReport } from '../../../shared/results';
import { baseOption, methodOrder, methodStyle, percent, percentAxisLabel, withLegend } from './common';

export function buildGmeChartOption(report: UnlearningReport): EChartsOption {
  const rows = report.rows.filter((r) => r.kind !== 'original');
  // The retrained baseline last, as in the paper's table.
  rows.sort((a, b) => Number(a.kind === 'retrained') - Number(b.kind === 'retrained'));
  const methods = methodOrder(report);
  const series: BarSeriesOption[] = rows.map((row) => {
    const { color } = methodStyle(row.label, methods, row.kind === 'method' ? 'method' : 'baseline');
    return {
      type: 'bar',
      name: row.label,
      data: report.groups.map((_, g) => row.groupAccuracy[g]?.mean ?? null),
      barMaxWidth: 28,
      itemStyle: row.kind === 'retrained' ? { color, decal: { symbol: 'line', dashArrayX: [1, 0], dashArrayY: [3, 3], rotation: -Math.PI / 4 } } : { color },
    };
  });
  return withLegend({
    ...baseOption('Accuracy per memorization group of D_u'),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, valueFormatter: (v) => percent(v as number | null) },
    xAxis: {
      type: 'category',
      name: 'Memorization group',
      nameLocation: 'middle',
      nameGap: 28,
      data: report.groups.map((g) => g.label),
      // Every group is named, even when labels would otherwise be thinned out.
      axisLabel: { interval: 0 },
    },
    yAxis: { type: 'value', nameLocation: 'middle', nameGap: 46, name: 'Accuracy', min: 0, max: 1, axisLabel: { formatter: percentAxisLabel } },
    series,
  });
}
