/** One figure of the results pages, as a chart panel draws it and `fedmem figure` writes it. */
import type { EChartsOption } from 'echarts';
import { fitLegend, legendExtraHeight } from './common';

/** The plot height of a chart that names none (px, before the rows a wrapping legend adds). */
export const DEFAULT_FIGURE_HEIGHT = 340;
/** A figure's width when none is asked for: about a chart's width in the results page's two columns. */
export const DEFAULT_FIGURE_WIDTH = 600;

export interface FigureSpec {
  /** The chart's id on the page (data-testid). */
  testid: string;
  /** The exported file's name without extension; also the figure's id in `fedmem figure --chart`. */
  file: string;
  caption: string;
  option: EChartsOption;
  /** Plot height in px; the chart grows by its legend's extra rows (legendExtraHeight). */
  height: number;
  /** The chart averages repeats: the page offers the switch to the individual repeats. */
  repeatsSwitch?: boolean;
  /** A per-round curve: the page offers the smoothing control (shared by the per-round charts). */
  smoothing?: boolean;
  /** How many repeats to offer a choice of (the CSL scatter shows one repeat at a time). */
  repeatSelect?: number;
}

/**
 * A figure as drawn at `width` px, the way a chart panel draws it: the legend wrapped at that width
 * (fitLegend) and the height grown by the rows it takes; `height` instead fixes the whole drawing's.
 */
export function figureLayout(
  spec: Pick<FigureSpec, 'option' | 'height'>,
  width: number,
  height?: number,
): { option: EChartsOption; width: number; height: number } {
  const option = fitLegend(spec.option, width);
  return { option, width, height: height ?? spec.height + legendExtraHeight(option) };
}
