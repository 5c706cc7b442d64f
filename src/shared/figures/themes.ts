/**
 * The charts' two themes and the background exported figures are drawn on: data only (no echarts
 * runtime, no DOM), so the app (echarts.ts registers them) and `fedmem figure` use the same values.
 */
export type Theme = 'light' | 'dark';

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

export const CHART_THEMES = {
  'fm-light': theme('#1f2937', '#4b5563', '#9ca3af', '#e5e7eb', '#ffffff'),
  'fm-dark': theme('#e5e7eb', '#9ca3af', '#6b7280', '#2f3542', '#1f2430'),
};

export const themeName = (t: Theme): keyof typeof CHART_THEMES => (t === 'dark' ? 'fm-dark' : 'fm-light');

/** The card colour (styles.css --bg-card) a figure's PNG/SVG/PDF is drawn on; a unit test keeps the two equal. */
export const FIGURE_BACKGROUND: Record<Theme, string> = { light: '#ffffff', dark: '#1a1f29' };

/** Pixels per chart pixel of a PNG export (the UI's and the CLI's). */
export const PNG_PIXEL_RATIO = 2;

/**
 * PDF points per chart pixel of a PDF export (the UI's and the CLI's): a CSS pixel is 0.75 pt, so the page is the
 * chart's size.
 */
export const PDF_POINTS_PER_PX = 0.75;
