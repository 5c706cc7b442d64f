/**
 * The ECharts runtime, tree-shaken to what the charts use, and the two app themes. Canvas draws on
 * screen; the SVG renderer serves the "save as SVG" path (figureSvg, used by ChartPanel.vue and `fedmem figure`).
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
import type { EChartsOption } from 'echarts';
import { exportOption } from './common';
import { CHART_THEMES, FIGURE_BACKGROUND, themeName, type Theme } from './themes';

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

for (const [name, theme] of Object.entries(CHART_THEMES)) echarts.registerTheme(name, theme);

export { themeName };

/**
 * An option as the SVG document a figure file holds: exportOption's (every series, a plain legend, no
 * animation), in the theme, on its card background, `width` x `height` px, from a short-lived
 * server-side-rendering instance (real vectors; no DOM needed, so `fedmem figure` draws it too).
 */
export function figureSvg(option: EChartsOption, size: { width: number; height: number }, theme: Theme): string {
  const svg = echarts.init(null, themeName(theme), {
    renderer: 'svg',
    ssr: true,
    width: size.width,
    height: size.height,
  });
  try {
    svg.setOption({ ...exportOption(option), backgroundColor: FIGURE_BACKGROUND[theme] });
    return svg.renderToSVGString();
  } finally {
    svg.dispose();
  }
}
export type ChartInstance = echarts.EChartsType;
export { echarts };
