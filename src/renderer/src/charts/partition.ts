/** Examples per class on each client, as a heatmap (the wizard's live preview and the results page). */
import type { EChartsOption } from 'echarts';
import { baseOption } from './common';

export function buildPartitionHeatmapOption(classCounts: number[][]): EChartsOption {
  const classes = classCounts.reduce((m, row) => Math.max(m, row.length), 0);
  const data: [number, number, number][] = [];
  let max = 0;
  classCounts.forEach((row, client) =>
    row.forEach((n, cls) => {
      data.push([cls, client, n]);
      if (n > max) max = n;
    }),
  );
  return {
    ...baseOption('Examples per class on each client'),
    legend: { show: false },
    tooltip: { trigger: 'item', confine: true, formatter: (p) => heatmapTip(p as unknown as { value: [number, number, number] }) },
    grid: { left: 64, right: 96, top: 40, bottom: 48 },
    xAxis: { type: 'category', name: 'Class', nameLocation: 'middle', nameGap: 24, data: range(classes).map(String), splitArea: { show: true } },
    yAxis: { type: 'category', name: 'Client', nameLocation: 'middle', nameGap: 40, data: range(classCounts.length).map(String), inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max: Math.max(1, max),
      calculable: true,
      orient: 'vertical',
      right: 8,
      top: 'middle',
      itemHeight: 120,
      inRange: { color: ['#eef4ff', '#93b4f5', '#1d4ed8'] },
    },
    series: [
      {
        type: 'heatmap',
        name: 'examples',
        data,
        label: { show: classCounts.length <= 12 && classes <= 12, fontSize: 10 },
        emphasis: { itemStyle: { borderColor: '#111', borderWidth: 1 } },
      },
    ],
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const heatmapTip = (p: { value: [number, number, number] }) => `client ${p.value[1]}, class ${p.value[0]}: ${p.value[2]} examples`;
