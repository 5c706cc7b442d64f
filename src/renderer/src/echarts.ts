/**
 * The ECharts runtime, tree-shaken to what the charts use, and the two app themes. Canvas draws on
 * screen; the SVG renderer serves the "save as SVG" path (see ChartPanel.vue).
 */
import { BarChart, CustomChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomInsideComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import type { Theme } from './stores/theme';

echarts.use([
  BarChart,
  CustomChart,
  HeatmapChart,
  LineChart,
  ParallelChart,
  ScatterChart,
  DataZoomInsideComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
  SVGRenderer,
]);

function theme(text: string, muted: string, line: string, split: string, tooltipBg: string) {
  const axis = {
    axisLine: { lineStyle: { color: line } },
    axisTick: { lineStyle: { color: line } },
    axisLabel: { color: muted },
    splitLine: { lineStyle: { color: split } },
    nameTextStyle: { color: muted },
  };
  return {
    textStyle: { color: text },
    title: { textStyle: { color: text }, subtextStyle: { color: muted } },
    legend: { textStyle: { color: text }, pageTextStyle: { color: muted } },
    categoryAxis: axis,
    valueAxis: axis,
    tooltip: { backgroundColor: tooltipBg, borderColor: line, textStyle: { color: text } },
    visualMap: { textStyle: { color: muted } },
    markLine: { label: { color: text } },
  };
}

echarts.registerTheme('fm-light', theme('#1f2937', '#4b5563', '#9ca3af', '#e5e7eb', '#ffffff'));
echarts.registerTheme('fm-dark', theme('#e5e7eb', '#9ca3af', '#6b7280', '#2f3542', '#1f2430'));

export const themeName = (t: Theme) => (t === 'dark' ? 'fm-dark' : 'fm-light');
export type ChartInstance = echarts.EChartsType;
export { echarts };
